/**
 * When a delivery is tried (ARCHITECTURE.md): at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h
 * after each failure; after the eighth failure it is given up (a replay starts it again).
 */
export const RETRY_SCHEDULE_MS: readonly number[] = [
  0,
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
];

/** An endpoint failing without a single success for this long is disabled, and its owner told. */
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 3_600_000;

/** How long a delivery may take: an answer after 15 s counts as a failure. */
export const DELIVERY_TIMEOUT_MS = 15_000;

/** After a failure at `step`: the step and time of the next try, or null when none is left. */
export function nextRetry(step: number, failedAt: Date): { step: number; at: Date } | null {
  const next = step + 1;
  const delay = RETRY_SCHEDULE_MS[next];
  if (delay === undefined) return null;
  return { step: next, at: new Date(failedAt.getTime() + delay) };
}
