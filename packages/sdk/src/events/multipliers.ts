import type { EventConfig } from '../config/schema.js';
import { invalidInput } from '../errors.js';

/** ×1 in basis points. */
export const BPS_ONE = 10_000;
const BPS_ONE_N = 10_000n;

/**
 * The most a combined multiplier may be: ×100, the most one event may set in the config. It also keeps
 * any configured amount (≤ 2^53−1) times the multiplier within the ledger's 64-bit limit.
 */
export const MAX_COMBINED_MULTIPLIER_BPS = 1_000_000;

/** Who a multiplier is for: a faucet's rewards or a game's winnings. */
export type MultiplierTarget = { faucet: string } | { game: string };

/**
 * `amount × multiplierBps / 10000`, floored (toward −∞, also for negative amounts): a multiplier never
 * creates a fraction of a minor unit. Used for event and streak multipliers alike.
 */
export function applyMultiplier(amount: bigint, multiplierBps: number): bigint {
  if (typeof amount !== 'bigint') throw invalidInput('amount', 'must be a bigint number of minor units');
  assertBps(multiplierBps, 'multiplierBps');
  return floorDiv(amount * BigInt(multiplierBps), BPS_ONE_N);
}

/**
 * Several multipliers as one, in bps: their exact product, floored once at the end (so the order they
 * come in does not matter), then capped at `MAX_COMBINED_MULTIPLIER_BPS`. None: ×1 (10000).
 * Example: 15000 and 10001 → floor(15001.5) = 15001.
 */
export function combineMultipliers(multipliersBps: readonly number[]): number {
  let numerator = BPS_ONE_N;
  let denominator = 1n;
  for (const [i, bps] of multipliersBps.entries()) {
    assertBps(bps, `multipliersBps.${i}`);
    numerator *= BigInt(bps);
    denominator *= BPS_ONE_N;
  }
  // Floored: the combined multiplier never rounds up.
  const combined = floorDiv(numerator, denominator);
  const cap = BigInt(MAX_COMBINED_MULTIPLIER_BPS);
  return Number(combined > cap ? cap : combined);
}

/**
 * The events running at `now`: each window includes its start and excludes its end
 * (`startsAt ≤ now < endsAt`), so back-to-back events never overlap at the seam. Config order is kept.
 */
export function activeEvents(events: readonly EventConfig[], now: Date): EventConfig[] {
  const t = now.getTime();
  if (Number.isNaN(t)) throw invalidInput('now', 'must be a valid Date');
  return events.filter((event) => Date.parse(event.startsAt) <= t && t < Date.parse(event.endsAt));
}

/**
 * The event multiplier for one faucet or game at `now`, in bps: 10000 when no running event lists the
 * target; when several do, they multiply (see `combineMultipliers`: exact product floored once, capped).
 */
export function activeMultiplierBps(
  events: readonly EventConfig[],
  target: MultiplierTarget,
  now: Date,
): number {
  const applies =
    'faucet' in target
      ? (event: EventConfig) => event.faucets.includes(target.faucet)
      : (event: EventConfig) => (event.games as readonly string[]).includes(target.game);
  return combineMultipliers(
    activeEvents(events, now)
      .filter(applies)
      .map((event) => event.multiplierBps),
  );
}

function assertBps(bps: number, path: string): void {
  if (!Number.isSafeInteger(bps) || bps < 0) {
    throw invalidInput(path, `must be a whole, non-negative number of basis points, got ${bps}`);
  }
}

/** Integer division rounded toward −∞ (bigint `/` truncates toward zero). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}
