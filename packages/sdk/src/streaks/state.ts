import { z } from 'zod';
import { toIssues } from '../config/define.js';
import { ErrorCode, ValidationError } from '../errors.js';

const count = z.number().int().min(0);

/**
 * What the engine remembers about one member's streak: plain JSON (numbers, null, arrays), so a store
 * can keep it in a JSON column and read it back with `parseStreakState`.
 */
export const streakStateSchema = z
  .strictObject({
    /** Length of the current run in counted days (claims); 0 before the first claim. */
    current: count,
    /** Longest run ever reached. */
    longest: count,
    /** The local day (see `dayNumber`) the last counted claim was credited to; null before the first. */
    lastDay: z.number().int().nullable(),
    /** Freezes held; each covers one missed day automatically. */
    freezes: count,
    /** Milestone days already paid in the current run; emptied when a run starts. */
    milestonesPaid: z.array(z.number().int().min(1)),
    /** Counted claims over all runs. */
    totalClaims: count,
    /** Freezes spent over all runs. */
    totalFreezesUsed: count,
  })
  .refine((s) => s.longest >= s.current, { message: 'longest must be at least current', path: ['longest'] })
  .refine((s) => (s.lastDay === null) === (s.current === 0), {
    message: 'current is 0 exactly when there is no lastDay',
    path: ['current'],
  });

export type StreakState = z.output<typeof streakStateSchema>;

/** A member who has never claimed. */
export function initialStreak(): StreakState {
  return {
    current: 0,
    longest: 0,
    lastDay: null,
    freezes: 0,
    milestonesPaid: [],
    totalClaims: 0,
    totalFreezesUsed: 0,
  };
}

/** Reads a stored streak state back; `INVALID_INPUT` listing every problem if it is not one. */
export function parseStreakState(value: unknown): StreakState {
  const result = streakStateSchema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(ErrorCode.INVALID_INPUT, toIssues(result.error));
}
