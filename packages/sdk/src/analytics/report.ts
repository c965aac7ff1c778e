import { invalidInput } from '../errors.js';
import { type GameReturn, gameReturns } from '../games/rtp.js';
import { QUARTER_MS, QUARTER_OF, RollupMetric, type SumMetric } from '../ledger/rollups.js';
import { dayNumber, dayStart } from '../local-days.js';
import { ratioBps, roundedRatio } from '../policy/measures.js';
import { ROLLUP_PERIOD_BRANCHES } from '../stores/analytics-sql.js';
import type { RollupCut, RollupPeriods, StoredRollup } from '../stores/types.js';

export type { Distribution } from './holdings.js';

/**
 * The report's figures, computed from rollup rows and member balances only (never the history).
 * Money stays bigint; ratios are basis points (bigint, truncated toward zero) or numbers rounded half up
 * from exact bigint arithmetic, as `policy/measures.ts` rounds them.
 */

/** A time range in whole local days of `timeZone` (the tenant's, unless given). */
export interface ReportRange {
  /** Default: 30 days before `to`. */
  from?: Date;
  /** Default: now. The day holding `to` is the last one (so far). */
  to?: Date;
  /** IANA zone for the days; default: the tenant's config `timeZone`. */
  timeZone?: string;
}

/** A resolved range: the local days and the rollup hours they cover. */
export interface Window {
  timeZone: string;
  /** Local day numbers (days since 1970-01-01 of the local calendar), oldest first. */
  days: number[];
  /**
   * The first rollup hour of each day, and after them the first hour past the last day. An hour belongs
   * to the local day its first instant falls on; in a zone whose offset is not whole hours (India, Nepal,
   * Chatham, Newfoundland, …) the hour a midnight cuts is split by its quarter-hour rows (`splits`).
   */
  starts: number[];
  /**
   * The local midnights (of `starts`) that fall inside an hour: `index` in `starts`, the `hour` they cut
   * and the first `quarter` (1–3) of it that belongs to the day starting there.
   */
  splits: Array<{ index: number; hour: number; quarter: number }>;
  /** Hours since the epoch: [fromBucket, toBucket). */
  fromBucket: number;
  toBucket: number;
}

export const MAX_RANGE_DAYS = 3_660;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export function resolveWindow(range: ReportRange, now: Date, defaultZone: string): Window {
  const timeZone = range.timeZone ?? defaultZone;
  const to = range.to ?? now;
  const from = range.from ?? new Date(to.getTime() - 29 * DAY_MS);
  for (const [name, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (!(value instanceof Date) || Number.isNaN(value.getTime()))
      throw invalidInput(name, 'must be a valid Date');
  }
  const first = dayNumber(from, timeZone);
  const last = dayNumber(to, timeZone);
  if (last < first) throw invalidInput('to', 'must not be before from');
  if (last - first >= MAX_RANGE_DAYS)
    throw invalidInput('from', `a range spans at most ${MAX_RANGE_DAYS} days`);
  const days = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const midnights = [...days, last + 1].map((d) => dayStart(d, timeZone).getTime());
  const starts = midnights.map((ms) => Math.ceil(ms / HOUR_MS));
  const splits = midnights.flatMap((ms, index) => {
    const hour = Math.floor(ms / HOUR_MS);
    // Real zones are whole quarters off UTC; a stranger offset (before 1970) rounds to the next quarter.
    const quarter = Math.ceil((ms - hour * HOUR_MS) / QUARTER_MS);
    return quarter === 0 ? [] : [{ index, hour, quarter: Math.min(quarter, 3) }];
  });
  return { timeZone, days, starts, splits, fromBucket: starts[0]!, toBucket: starts[starts.length - 1]! };
}

/** The quarter-hour rows `splitHours` needs (`Store.readRollupCuts`): each cut hour's quarters from its midnight on. */
export function splitQuarters(window: Window): RollupCut[] {
  return window.splits.map((s) => ({ from: s.hour * 4 + s.quarter, to: s.hour * 4 + 4, at: s.hour }));
}

/**
 * Rows that move the part of each cut hour after its local midnight to the day that starts there: the
 * sums of its quarters from the midnight on, subtracted from the hour and added to the next day's first
 * hour. `quarters` are those sums per cut hour (`bucket` = the hour, a `QUARTER_OF` metric), read with
 * `splitQuarters`; the rows returned carry the hourly metric, so every series sums them with the hourly rows.
 */
export function splitHours(window: Window, quarters: readonly StoredRollup[]): StoredRollup[] {
  const cut = new Map(window.splits.map((s) => [s.hour, s]));
  const hourly = new Map<string, SumMetric>(Object.entries(QUARTER_OF).map(([h, q]) => [q, h as SumMetric]));
  const out: StoredRollup[] = [];
  for (const row of quarters) {
    const metric = hourly.get(row.metric);
    const split = cut.get(row.bucket);
    if (!metric || !split) continue;
    const moved = { metric, key: row.key };
    out.push({ ...moved, bucket: split.hour, amount: -row.amount, count: -row.count });
    out.push({ ...moved, bucket: window.starts[split.index]!, amount: row.amount, count: row.count });
  }
  return out;
}

/**
 * The window's local days as SQL period branches (`Store.readRollupPeriods`): an hour's period is its
 * local day number. A run of days with the same offset is one branch `(bucket + shift) ÷ 24`; a day
 * longer than 24 hours (clocks going back) is a branch of its own with its day as a constant; hours past
 * the window go to the day after it. Null when the window needs more branches than a statement holds
 * (a range over several daylight-saving years): read it by the hour then.
 */
export function windowPeriods(window: Window): RollupPeriods | null {
  const { days, starts } = window;
  const branches: Array<{ end: number; scale: 0 | 1; shift: number }> = [];
  days.forEach((day, i) => {
    const start = starts[i]!;
    const end = starts[i + 1]!;
    const shift = 24 * day - start;
    const last = branches[branches.length - 1];
    if (end - start > 24) branches.push({ end, scale: 0, shift: 24 * day });
    else if (last && last.scale === 1 && last.shift === shift) last.end = end;
    else branches.push({ end, scale: 1, shift });
  });
  if (branches.length > ROLLUP_PERIOD_BRANCHES) return null;
  return { branches, after: days[days.length - 1]! + 1 };
}

/** Rows read by `windowPeriods` (bucket = local day) back to the first hour of their day. */
export function periodRowsToHours(window: Window, rows: readonly StoredRollup[]): StoredRollup[] {
  const first = window.days[0]!;
  return rows.map((row) => ({ ...row, bucket: window.starts[row.bucket - first]! }));
}

/** `YYYY-MM-DD` of a local day number. */
export function dayLabel(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The index in `window.days` of the day an hour belongs to; -1 before the window, days.length after. */
function dayIndex(window: Window, bucket: number): number {
  const { starts } = window;
  if (bucket < starts[0]!) return -1;
  let lo = 0;
  let hi = starts.length - 1;
  // The last start not after the bucket.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= bucket) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Sums rows per (local day, key) for one metric, in the window's days. */
function perDay(
  window: Window,
  rows: readonly StoredRollup[],
  metric: string,
): Map<number, Map<string, StoredRollup>> {
  const out = new Map<number, Map<string, StoredRollup>>(window.days.map((d) => [d, new Map()]));
  for (const row of rows) {
    if (row.metric !== metric) continue;
    const day = out.get(window.days[dayIndex(window, row.bucket)]!);
    if (!day) continue;
    const sum = day.get(row.key);
    if (sum) {
      sum.amount += row.amount;
      sum.count += row.count;
    } else day.set(row.key, { ...row });
  }
  return out;
}

function total(rows: Iterable<StoredRollup>): bigint {
  let sum = 0n;
  for (const r of rows) sum += r.amount;
  return sum;
}

// ---------------------------------------------------------------------------------------------------
// Series

export interface FlowDay {
  day: string;
  /** Into members' hands, by source (`faucet.work`, `game.dice.payout`, `admin.grant`, …). */
  minted: Record<string, bigint>;
  /** Out of members' hands, by source (`sink.shop`, `sink.tax`, `game.dice.bet`, …). */
  burned: Record<string, bigint>;
}

export interface FlowsBySource {
  days: FlowDay[];
  /** Per source over the whole range, largest first. */
  minted: Array<{ source: string; amount: bigint; shareBps: bigint }>;
  burned: Array<{ source: string; amount: bigint; shareBps: bigint }>;
}

export function flowsBySource(window: Window, rows: readonly StoredRollup[]): FlowsBySource {
  const minted = perDay(window, rows, RollupMetric.minted);
  const burned = perDay(window, rows, RollupMetric.burned);
  const days = window.days.map((d) => ({
    day: dayLabel(d),
    minted: Object.fromEntries([...minted.get(d)!].map(([k, r]) => [k, r.amount])),
    burned: Object.fromEntries([...burned.get(d)!].map(([k, r]) => [k, r.amount])),
  }));
  return { days, minted: ranked(minted), burned: ranked(burned) };
}

function ranked(byDay: Map<number, Map<string, StoredRollup>>) {
  const sums = new Map<string, bigint>();
  for (const day of byDay.values()) for (const [k, r] of day) sums.set(k, (sums.get(k) ?? 0n) + r.amount);
  const all = [...sums.values()].reduce((a, b) => a + b, 0n);
  return [...sums]
    .map(([source, amount]) => ({ source, amount, shareBps: ratioBps(amount, all) ?? 0n }))
    .sort((a, b) => (a.amount > b.amount ? -1 : a.amount < b.amount ? 1 : a.source < b.source ? -1 : 1));
}

export interface IssuanceDay {
  day: string;
  minted: bigint;
  burned: bigint;
  /** minted − burned: the change of the money supply that day. */
  net: bigint;
}

export function netIssuance(window: Window, rows: readonly StoredRollup[]): IssuanceDay[] {
  const minted = perDay(window, rows, RollupMetric.minted);
  const burned = perDay(window, rows, RollupMetric.burned);
  return window.days.map((d) => {
    const m = total(minted.get(d)!.values());
    const b = total(burned.get(d)!.values());
    return { day: dayLabel(d), minted: m, burned: b, net: m - b };
  });
}

export interface SupplyDay {
  day: string;
  /** Money supply (sum of member balances) at the end of the day (now, for today). */
  supply: bigint;
}

/**
 * End-of-day supply, walked back from today's (the balances' sum) by each later hour's net issuance:
 * `rows` must hold minted and burned from the window's start up to now.
 */
export function supplySeries(window: Window, rows: readonly StoredRollup[], supplyNow: bigint): SupplyDay[] {
  // Net issuance per day index; index days.length gathers everything after the window, up to now.
  const net = new Array<bigint>(window.days.length + 1).fill(0n);
  for (const row of rows) {
    const sign = row.metric === RollupMetric.minted ? 1n : row.metric === RollupMetric.burned ? -1n : 0n;
    const i = dayIndex(window, row.bucket);
    if (sign !== 0n && i >= 0) net[i] = net[i]! + sign * row.amount;
  }
  let supply = supplyNow - net[window.days.length]!;
  const out: SupplyDay[] = [];
  for (let i = window.days.length - 1; i >= 0; i--) {
    out.push({ day: dayLabel(window.days[i]!), supply });
    supply -= net[i]!;
  }
  return out.reverse();
}

export interface VelocityDay {
  day: string;
  /** Every coin a member sent or received that day. */
  volume: bigint;
  supply: bigint;
  /** volume ÷ end-of-day supply, in basis points; null without a positive supply. */
  velocityBps: bigint | null;
}

export interface Velocity {
  days: VelocityDay[];
  /** Volume of the range ÷ its average end-of-day supply, 2 decimals; 0 without a positive supply. */
  overall: number;
}

export function velocitySeries(window: Window, rows: readonly StoredRollup[], supply: SupplyDay[]): Velocity {
  const volume = perDay(window, rows, RollupMetric.volume);
  const days = window.days.map((d, i) => {
    const v = total(volume.get(d)!.values());
    const s = supply[i]!.supply;
    return { day: dayLabel(d), volume: v, supply: s, velocityBps: ratioBps(v, s) ?? null };
  });
  const allVolume = days.reduce((a, d) => a + d.volume, 0n);
  const supplyDays = days.reduce((a, d) => a + d.supply, 0n);
  const overall = supplyDays > 0n ? roundedRatio(allVolume * BigInt(days.length), supplyDays, 2) : 0;
  return { days, overall };
}

export interface ActivePeriod {
  /** `YYYY-MM-DD` the local day, ISO week (Monday) or month starts. */
  start: string;
  members: number;
}

export interface ActiveMembers {
  /** Daily, weekly and monthly active members: each counted once per period its balance moved in. */
  daily: ActivePeriod[];
  weekly: ActivePeriod[];
  monthly: ActivePeriod[];
  /** Members whose balance moved for the first time, per local day. */
  newMembers: ActivePeriod[];
}

/**
 * Activity as the write path counted it, per local day, week and month of the tenant's time zone (a distinct
 * count cannot be re-cut into another zone's days): rows kept for the window's zone only. Days and weeks
 * that start inside the window, listed with 0 when nobody was active; months that overlap it, when anybody was.
 */
export function activeMembers(window: Window, rows: readonly StoredRollup[]): ActiveMembers {
  const pick = (metric: string) =>
    new Map(
      rows
        .filter((r) => r.metric === metric && r.key === window.timeZone)
        .map((r) => [r.bucket, Number(r.count)]),
    );
  const perDay = (metric: string, starts: readonly number[]): ActivePeriod[] => {
    const counts = pick(metric);
    return starts.map((day) => ({ start: dayLabel(day), members: counts.get(day) ?? 0 }));
  };
  const first = window.days[0]!;
  const last = window.days.at(-1)!;
  const firstMonth =
    Date.UTC(new Date(first * DAY_MS).getUTCFullYear(), new Date(first * DAY_MS).getUTCMonth(), 1) / DAY_MS;
  const monthly = [...pick(RollupMetric.activeMonth)]
    .filter(([day]) => day >= firstMonth && day <= last)
    .sort(([a], [b]) => a - b)
    .map(([day, members]) => ({ start: dayLabel(day), members }));
  return {
    daily: perDay(RollupMetric.activeDay, window.days),
    // 1970-01-01 was a Thursday: a local day number d is a Monday when (d + 3) mod 7 is 0.
    weekly: perDay(
      RollupMetric.activeWeek,
      window.days.filter((d) => (((d + 3) % 7) + 7) % 7 === 0),
    ),
    monthly,
    newMembers: perDay(RollupMetric.newMembers, window.days),
  };
}

export interface GameFigures {
  game: string;
  rounds: number;
  wagered: bigint;
  paidOut: bigint;
  /** paidOut ÷ wagered, 4 decimals; null before any wager. */
  observedRtp: number | null;
  /** What the current config implies (`games/rtp.ts`); null for a game no longer configured. */
  configuredRtp: number | null;
}

export function gameFigures(rows: readonly StoredRollup[], configured: GameReturn[]): GameFigures[] {
  const games = new Map<string, GameFigures>();
  const of = (game: string) => {
    let g = games.get(game);
    if (!g) {
      const rtp = configured.find((c) => c.game === game)?.rtp;
      g = {
        game,
        rounds: 0,
        wagered: 0n,
        paidOut: 0n,
        observedRtp: null,
        configuredRtp: rtp === undefined ? null : Math.round(rtp * 10_000) / 10_000,
      };
      games.set(game, g);
    }
    return g;
  };
  for (const c of configured) of(c.game);
  for (const row of rows) {
    if (row.metric === RollupMetric.wager) of(row.key).wagered += row.amount;
    else if (row.metric === RollupMetric.payout) of(row.key).paidOut += row.amount;
    else if (row.metric === RollupMetric.rounds) of(row.key).rounds += Number(row.count);
  }
  for (const g of games.values()) {
    if (g.wagered > 0n) g.observedRtp = roundedRatio(g.paidOut, g.wagered, 4);
  }
  return [...games.values()];
}

export { gameReturns as configuredReturns };

export interface ShopFigures {
  item: string;
  units: number;
  coins: bigint;
}

export function shopFigures(rows: readonly StoredRollup[]): ShopFigures[] {
  const items = new Map<string, ShopFigures>();
  for (const row of rows) {
    if (row.metric !== RollupMetric.shop) continue;
    const item = items.get(row.key) ?? { item: row.key, units: 0, coins: 0n };
    item.units += Number(row.count);
    item.coins += row.amount;
    items.set(row.key, item);
  }
  return [...items.values()].sort((a, b) => (a.coins > b.coins ? -1 : a.coins < b.coins ? 1 : 0));
}

export interface StreakLengths {
  streak: string;
  /**
   * Per streak length, how many times a member reached it in the range (a claim that made their streak
   * that long: a member counts once per length unless their streak broke and grew again), shortest first.
   */
  lengths: Array<{ length: number; members: number }>;
}

/** Per streak (those given, in order), the lengths reached in the rows (`RollupMetric.streak`), shortest first. */
export function streakLengths(streaks: readonly string[], rows: readonly StoredRollup[]): StreakLengths[] {
  const counts = new Map(streaks.map((s) => [s, new Map<number, number>()]));
  for (const row of rows) {
    if (row.metric !== RollupMetric.streak) continue;
    const cut = row.key.lastIndexOf(':');
    const lengths = counts.get(row.key.slice(0, cut));
    const length = Number(row.key.slice(cut + 1));
    lengths?.set(length, (lengths.get(length) ?? 0) + Number(row.count));
  }
  return [...counts].map(([streak, lengths]) => ({
    streak,
    lengths: [...lengths].sort(([a], [b]) => a - b).map(([length, members]) => ({ length, members })),
  }));
}
