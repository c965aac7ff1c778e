import { z } from 'zod';
import { toIssues } from '../config/define.js';
import { ErrorCode, ValidationError } from '../errors.js';

/*
 * What a runtime keeps of a member's voice time between processes, so that a restart (even a kill -9)
 * neither loses nor pays twice the minutes of a period: where the member is and what their open period
 * holds, as of `savedAt`, and the periods already closed but maybe not paid yet (`due`, paid again after a
 * restart: `levels.voice` pays a period id once, so a replay changes nothing).
 */

const periodId = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/);
const ms = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const roles = z.array(z.string().max(32)).max(250);

export const voicePresenceSchema = z.strictObject({
  channelId: z.string().regex(/^\d{1,21}$/),
  deafened: z.boolean(),
  bot: z.boolean(),
  roles,
  /** When the open period began (its id is derived from it). */
  periodStart: ms,
  /** Earning time the period held when earning last stopped. */
  earnedMs: ms,
  /** Since when the member has been earning; null while not earning. */
  earningSince: ms.nullable(),
});

export const voiceSessionSchema = z.strictObject({
  /** null: not in voice any more (only `due` is left to pay). */
  presence: voicePresenceSchema.nullable(),
  /** When the runtime last knew this to be true (ms). */
  savedAt: ms,
  /** Closed periods to pay: written before they are paid, so a crash in between pays them after. */
  due: z.array(z.strictObject({ periodId, minutes: z.number().int().min(1).max(1_000_000), roles })).max(50),
});

export type VoicePresence = z.output<typeof voicePresenceSchema>;
export type VoiceSession = z.output<typeof voiceSessionSchema>;

/** The session checked; `INVALID_INPUT` listing every problem if it is not one. */
export function parseVoiceSession(input: unknown): VoiceSession {
  const result = voiceSessionSchema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(ErrorCode.INVALID_INPUT, toIssues(result.error));
}
