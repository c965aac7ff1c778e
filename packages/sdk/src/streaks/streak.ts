import { addHours } from 'date-fns';
import type { StreakConfig } from '../config/schema.js';
import { invalidInput } from '../errors.js';
import { BPS_ONE } from '../events/multipliers.js';
import { dayEnd, dayNumber } from '../local-days.js';
import type { StreakState } from './state.js';

/*
 * The rules, in one place (days are local calendar days in the tenant's time zone, see `dayNumber`):
 *
 * - Credit. A claim made at `now` on local day D is credited to the earliest day e with
 *   lastDay < e ≤ D and now < end(e) + graceHours. Without grace that is D itself; with grace, a claim
 *   in the first graceHours after the end of a day is credited to that day, so a claim at 01:00 on day
 *   d+2 with graceHours 2 continues a streak whose lastDay is d, counting for day d+1. The member may
 *   then claim again later on d+2 (once the grace has passed) and that claim counts for d+2: grace
 *   fills the missed day, it does not take today's.
 * - Same day. A claim when lastDay ≥ D (already credited today, or today was filled) is not counted
 *   and changes nothing.
 * - Freezes. The days strictly between lastDay and the credited day are missed; one freeze covers one,
 *   automatically. If the member holds at least that many, they are spent and the streak continues
 *   (current + 1: a frozen day keeps the run alive but does not lengthen it). Otherwise the streak is
 *   broken, no freeze is spent, and a new run starts at 1 credited to today (D, not a grace day).
 * - Milestones. Each pays its bonus once per run, on the first counted claim at which current ≥ day
 *   (normally exactly when current reaches day; a milestone added mid-run below current pays on the
 *   next counted claim). A new run forgets what was paid, so milestones pay again.
 * - Multiplier. 10000 + min(maxBonusBps, bonusPerDayBps × (current − 1)), for current ≥ 1.
 * - Expiry. A streak with lastDay d survives until end(d + 1 + freezes) + graceHours (exclusive): until
 *   then a claim is credited to a day its freezes can reach. `streakView` shows current 0 from then on.
 */

export interface StreakAdvance {
  /** The state to store (the input is never mutated). Unchanged when `counted` is false. */
  state: StreakState;
  /** False when today was already credited: nothing changed. */
  counted: boolean;
  /** True when a run was lost (too few freezes for the missed days) and this claim started a new one. */
  broken: boolean;
  /** Freezes spent on missed days by this claim. */
  freezesUsed: number;
  /** Milestone bonuses this claim reached, in minor units; 0n if none. */
  milestoneBonus: bigint;
  /** The streak multiplier for this claim's reward, in bps (10000 = ×1). */
  multiplierBps: number;
}

export interface StreakView {
  /** The run's length, or 0 when there is none or it is already broken beyond rescue at `now`. */
  current: number;
  longest: number;
  freezes: number;
  /** Today (local) has been credited: another claim today will not count. */
  claimedToday: boolean;
  /** The next milestone this run has not paid, with the counted claims still needed (≥ 1). */
  nextMilestone: { day: number; bonus: bigint; claimsToGo: number } | null;
  /** The multiplier the current run gives (10000 when current is 0). */
  multiplierBps: number;
  /** When the local day containing `now` ends: the next claim can count from then if `claimedToday`. */
  dayEndsAt: Date;
  /** From this instant on, a claim no longer continues this run (freezes and grace included); null without a run. */
  expiresAt: Date | null;
}

/** Applies one claim at `now`. Pure: the caller stores `state` and pays `milestoneBonus`. */
export function advanceStreak(
  state: StreakState,
  config: StreakConfig,
  now: Date,
  timeZone: string,
): StreakAdvance {
  const today = dayNumber(now, timeZone);
  if (state.lastDay !== null && state.lastDay >= today) {
    return {
      state,
      counted: false,
      broken: false,
      freezesUsed: 0,
      milestoneBonus: 0n,
      multiplierBps: streakMultiplierBps(config, state.current),
    };
  }

  let current = 1;
  let creditedDay = today;
  let freezesUsed = 0;
  let broken = false;
  let milestonesPaid: readonly number[] = [];
  if (state.lastDay !== null) {
    const credited = creditDay(state.lastDay, today, now, config.graceHours, timeZone);
    const missed = credited - state.lastDay - 1;
    if (missed <= state.freezes) {
      current = state.current + 1;
      creditedDay = credited;
      freezesUsed = missed;
      milestonesPaid = state.milestonesPaid;
    } else {
      broken = true;
    }
  }

  const due = config.milestones.filter((m) => m.day <= current && !milestonesPaid.includes(m.day));
  const milestoneBonus = due.reduce((sum, m) => sum + BigInt(m.bonus), 0n);
  const next: StreakState = {
    current,
    longest: Math.max(state.longest, current),
    lastDay: creditedDay,
    freezes: state.freezes - freezesUsed,
    milestonesPaid: [...new Set([...milestonesPaid, ...due.map((m) => m.day)])].sort((a, b) => a - b),
    totalClaims: state.totalClaims + 1,
    totalFreezesUsed: state.totalFreezesUsed + freezesUsed,
  };
  return {
    state: next,
    counted: true,
    broken,
    freezesUsed,
    milestoneBonus,
    multiplierBps: streakMultiplierBps(config, current),
  };
}

/**
 * Gives up to `count` freezes, never beyond `config.maxFreezes`; `added` says how many were given.
 * Freezes already held above a since-lowered maximum are kept, not taken away.
 */
export function addFreezes(
  state: StreakState,
  config: StreakConfig,
  count: number,
): { state: StreakState; added: number } {
  if (!Number.isSafeInteger(count) || count < 0)
    throw invalidInput('count', `must be a whole number ≥ 0, got ${count}`);
  const added = Math.min(count, Math.max(0, config.maxFreezes - state.freezes));
  return { state: added === 0 ? state : { ...state, freezes: state.freezes + added }, added };
}

/** What a member sees at `now`, without claiming. */
export function streakView(
  state: StreakState,
  config: StreakConfig,
  now: Date,
  timeZone: string,
): StreakView {
  const today = dayNumber(now, timeZone);
  const expiresAt =
    state.lastDay === null
      ? null
      : addHours(dayEnd(state.lastDay + 1 + state.freezes, timeZone), config.graceHours);
  const alive = state.lastDay !== null && expiresAt !== null && (state.lastDay >= today || now < expiresAt);
  const current = alive ? state.current : 0;
  const paid = alive ? state.milestonesPaid : [];
  const next = config.milestones
    .filter((m) => !paid.includes(m.day))
    .reduce<StreakConfig['milestones'][number] | null>(
      (best, m) => (best === null || m.day < best.day ? m : best),
      null,
    );
  return {
    current,
    longest: state.longest,
    freezes: state.freezes,
    claimedToday: state.lastDay !== null && state.lastDay >= today,
    nextMilestone: next && {
      day: next.day,
      bonus: BigInt(next.bonus),
      claimsToGo: Math.max(1, next.day - current),
    },
    multiplierBps: streakMultiplierBps(config, current),
    dayEndsAt: dayEnd(today, timeZone),
    expiresAt: alive ? expiresAt : null,
  };
}

/** 10000 + min(maxBonusBps, bonusPerDayBps × (current − 1)); ×1 for a run of 0 or 1 days. */
export function streakMultiplierBps(config: StreakConfig, current: number): number {
  return BPS_ONE + Math.min(config.maxBonusBps, config.bonusPerDayBps * Math.max(0, current - 1));
}

/** The earliest day after `lastDay` that a claim at `now` (on local day `today`) may be credited to. */
function creditDay(lastDay: number, today: number, now: Date, graceHours: number, timeZone: string): number {
  if (graceHours === 0) return today;
  // Only days ending within graceHours before now qualify; a day's slack covers 23-25 hour days.
  // Math.ceil only widens the search; the test below decides.
  const from = Math.max(lastDay + 1, today - Math.ceil(graceHours / 24) - 1);
  for (let day = from; day < today; day++) {
    if (now < addHours(dayEnd(day, timeZone), graceHours)) return day;
  }
  return today;
}
