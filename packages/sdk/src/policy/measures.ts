import { USER_VOLUME_ACCOUNT } from '../ledger/plan.js';
import type { FlowRow } from '../stores/types.js';

// Pure arithmetic behind `stats.ts`: UTC days, windows, the daily series rebuilt from the flow
// rollup, and the ratios. Money stays bigint; only the final statistics (Gini, velocity) become numbers.

export const DAY_MS = 86_400_000;

/** The UTC day of a moment, `YYYY-MM-DD`: the unit the flow rollup is kept in. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** `day` moved by `days` calendar days. */
export function addDays(day: string, days: number): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00.000Z`) + days * DAY_MS));
}

/** Sums over the windows that end today: today, the last 7 and the last 30 UTC days (today included). */
export interface FlowWindows {
  today: bigint;
  last7Days: bigint;
  last30Days: bigint;
}

export const WINDOW_DAYS = 30;

/**
 * Sums per-day values into windows ending on `today`. A day after `today` (written by a process whose
 * clock runs ahead) counts as today; days before the 30-day window count in none.
 */
export function sumWindows(values: Iterable<{ day: string; value: bigint }>, today: string): FlowWindows {
  const start7 = addDays(today, -6);
  const start30 = addDays(today, -(WINDOW_DAYS - 1));
  const sums: FlowWindows = { today: 0n, last7Days: 0n, last30Days: 0n };
  for (const { day, value } of values) {
    if (day >= today) sums.today += value;
    if (day >= start7) sums.last7Days += value;
    if (day >= start30) sums.last30Days += value;
  }
  return sums;
}

/** What one flow row means for the economy; every field is in minor units. */
export interface FlowEffect {
  /** Net new currency: out of `faucet:*` (debits) minus what came back (credits, i.e. reversals). */
  minted: bigint;
  /** Net destroyed currency: into `sink:*` minus what left it. */
  burned: bigint;
  /** Net change of all member balances together. */
  toMembers: bigint;
  /** Money that changed hands among members, with games (`house:*`) and in the shop. */
  volume: bigint;
}

/** The shop's sink (see `economy/shop.ts`): purchases are spending, unlike tax, fees or admin revokes. */
const SHOP_SINK = 'sink:shop';

/**
 * Classifies one flow row. The rollup holds every non-member account plus `users` (member-to-member
 * volume), and the ledger sums to zero, so what system accounts gain on a day members lose and back:
 * `toMembers` is the sum of system debits minus credits. Member-to-member payments change no total.
 */
export function flowEffect(row: Pick<FlowRow, 'account' | 'credit' | 'debit'>): FlowEffect {
  if (row.account === USER_VOLUME_ACCOUNT)
    return { minted: 0n, burned: 0n, toMembers: 0n, volume: row.credit };
  const net = row.debit - row.credit;
  const kind = row.account.slice(0, row.account.indexOf(':'));
  return {
    minted: kind === 'faucet' ? net : 0n,
    burned: kind === 'sink' ? -net : 0n,
    toMembers: net,
    // A game moves money both ways (bets in, payouts out); both are turnover.
    volume: kind === 'house' ? row.credit + row.debit : row.account === SHOP_SINK ? row.credit : 0n,
  };
}

export interface DailyPoint {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  minted: bigint;
  burned: bigint;
  /**
   * The net change of money in members' hands: minted − burned − what games (`house:*`) and other system
   * accounts kept. Games are a sink too, so emission targets must see them.
   */
  netEmission: bigint;
  /** Member-to-member, game and shop turnover. */
  volume: bigint;
  /** Money supply at the end of the day (for today: now). */
  supply: bigint;
}

export interface DailySeries {
  /** The `days` UTC days up to today, oldest first; today last. */
  points: DailyPoint[];
  /** Money supply when the first of those days began. */
  supplyBefore: bigint;
  /** The first day with any flow, ever (undefined for an economy where nothing moved yet). */
  firstDay: string | undefined;
}

/**
 * Rebuilds the last `days` days from the rollup alone (never the transfer history): flows per day,
 * and the money supply at each day's end, walking back from today's supply by each day's net change.
 */
export function dailySeries(
  rows: Iterable<Pick<FlowRow, 'day' | 'account' | 'credit' | 'debit'>>,
  supplyNow: bigint,
  today: string,
  days = WINDOW_DAYS,
): DailySeries {
  const byDay = new Map<string, FlowEffect>();
  let firstDay: string | undefined;
  for (const row of rows) {
    const day = row.day > today ? today : row.day;
    if (firstDay === undefined || day < firstDay) firstDay = day;
    const effect = flowEffect(row);
    const sum = byDay.get(day);
    if (!sum) byDay.set(day, effect);
    else {
      sum.minted += effect.minted;
      sum.burned += effect.burned;
      sum.toMembers += effect.toMembers;
      sum.volume += effect.volume;
    }
  }
  const points: DailyPoint[] = [];
  let supply = supplyNow;
  for (let i = 0; i < days; i++) {
    const day = addDays(today, -i);
    const e = byDay.get(day) ?? { minted: 0n, burned: 0n, toMembers: 0n, volume: 0n };
    points.push({
      day,
      minted: e.minted,
      burned: e.burned,
      netEmission: e.toMembers,
      volume: e.volume,
      supply,
    });
    supply -= e.toMembers;
  }
  return { points: points.reverse(), supplyBefore: supply, firstDay };
}

/** `numerator / denominator` in basis points, truncated toward zero; undefined when the base is not positive. */
export function ratioBps(numerator: bigint, denominator: bigint): bigint | undefined {
  return denominator > 0n ? (numerator * 10_000n) / denominator : undefined;
}

/**
 * `numerator / denominator` as a number with `decimals` decimals, rounded half up, computed in bigint so
 * only the final value is a float. Both must be ≥ 0 and the denominator > 0.
 */
export function roundedRatio(numerator: bigint, denominator: bigint, decimals: number): number {
  const scale = 10n ** BigInt(decimals);
  const scaled = (2n * numerator * scale + denominator) / (2n * denominator);
  return Number(scaled) / Number(scale);
}

/**
 * Gini coefficient of member balances, 0 (everyone holds the same) to (n−1)/n (one member holds
 * everything), rounded half up to 4 decimals. Debts (negative balances after a forced rollback) count
 * as holding nothing. Sorted ascending, G = 2·Σ i·xᵢ / (n·Σx) − (n+1)/n, taken exactly over bigint.
 */
export function gini(balances: readonly bigint[]): number {
  const held = balances.map((b) => (b > 0n ? b : 0n)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const n = BigInt(held.length);
  let total = 0n;
  let weighted = 0n;
  held.forEach((x, i) => {
    total += x;
    weighted += BigInt(i + 1) * x;
  });
  if (total === 0n) return 0;
  return roundedRatio(2n * weighted - (n + 1n) * total, n * total, 4);
}

/**
 * Turnover over the window divided by the average money supply, 2 decimals (half up). The average runs
 * over the days the economy existed (from its first flow), so a young economy is not diluted by empty days.
 * 0 when there is no positive average supply.
 */
export function velocity(points: readonly DailyPoint[], firstDay: string | undefined): number {
  if (firstDay === undefined) return 0;
  const lived = points.filter((p) => p.day >= firstDay);
  const volume = lived.reduce((sum, p) => sum + p.volume, 0n);
  const supplyDays = lived.reduce((sum, p) => sum + p.supply, 0n);
  if (supplyDays <= 0n || volume <= 0n) return 0;
  // volume / (supplyDays / days) = volume · days / supplyDays
  return roundedRatio(volume * BigInt(lived.length), supplyDays, 2);
}

/** Members whose balance moved in the last day, week and 30 days (rolling, from `now`). */
export function activeCounts(
  activeAt: Iterable<Date | null>,
  now: Date,
): { day: number; week: number; month: number } {
  const t = now.getTime();
  const counts = { day: 0, week: 0, month: 0 };
  for (const at of activeAt) {
    if (at === null) continue;
    const age = t - at.getTime();
    if (age <= DAY_MS) counts.day++;
    if (age <= 7 * DAY_MS) counts.week++;
    if (age <= WINDOW_DAYS * DAY_MS) counts.month++;
  }
  return counts;
}
