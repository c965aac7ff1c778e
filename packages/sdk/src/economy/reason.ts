/**
 * The rule for the reason every admin action carries, exported so that a form (the control plane)
 * checks it exactly as the SDK does instead of restating it.
 */

/** Counted in UTF-16 code units, as `string.length` counts: an emoji is two. */
export const MAX_REASON_LENGTH = 500;

// NUL would truncate or be refused by a store; other control characters and lone surrogates corrupt logs.
const FORBIDDEN = /[\p{Cc}\p{Cs}]/u;
// Characters that show nothing: spaces, zero-width and other format characters, combining marks alone,
// and the blank-looking letters people paste to fake an empty field.
const INVISIBLE = /[\p{White_Space}\p{Cf}\p{M}\u115F\u1160\u2800\u3164\uFFA0]/gu;

/** Why `reason` is not acceptable, or null when it is. */
export function reasonProblem(reason: unknown): string | null {
  if (typeof reason !== 'string') return 'must be text';
  if (reason.length > MAX_REASON_LENGTH)
    return `must be at most ${MAX_REASON_LENGTH} characters (an emoji counts as two)`;
  if (FORBIDDEN.test(reason)) return 'must not contain control characters';
  if (reason.replace(INVISIBLE, '') === '') return 'say why, in visible characters';
  return null;
}
