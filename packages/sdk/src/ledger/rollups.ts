import { tzOffset } from '@date-fns/tz';
import { dayNumber, dayStart } from '../local-days.js';
import { BANK_SUFFIX, isUserAccount } from './accounts.js';
import type { StoredTransfer } from './records.js';

/**
 * What the analytics rollups measure. Sums are kept per UTC hour (`bucket`: hours since the epoch);
 * activity counts per local day, ISO week (Monday) and month of the tenant's time zone (`key`), each under
 * the local day number its period starts on (days since 1970-01-01 of the local calendar).
 * Every rule that turns a transfer into rollup rows lives here: the write path applies it to each
 * group, the rebuild to the whole history, so the two can only agree.
 */
export const RollupMetric = {
  /** Into members' hands from a system account (a faucet, a game payout, an admin grant, …), by source. */
  minted: 'mint',
  /** Out of members' hands into a system account (a sink, a bet, a tax, …), by source. */
  burned: 'burn',
  /** Every transfer a member sends or receives. */
  volume: 'volume',
  /** Member to member (a subset of volume). */
  p2p: 'p2p',
  /** Stakes and bets, by game (count: transfers). */
  wager: 'wager',
  /** Payouts, by game (count: transfers). */
  payout: 'payout',
  /** Rounds settled, by game (count only). */
  rounds: 'rounds',
  /** Shop sales, by item (amount: coins, count: units). */
  shop: 'shop',
  /** Members whose balance moved in the local day / ISO week / month starting on the bucket's day. */
  activeDay: 'active.day',
  activeWeek: 'active.week',
  activeMonth: 'active.month',
  /** Members whose balance moved for the first time, per local day. */
  newMembers: 'new',
  /**
   * The sums above again, per quarter of an hour past its first (`bucket` = hour · 4 + quarter, 1–3; the
   * first quarter is the hour's row minus these): what a local day needs of the hour its midnight cuts in a
   * zone whose offset is not whole hours (India, Nepal, Chatham, Newfoundland, …). See `QUARTER_OF`.
   */
  mintedQuarter: 'mint.q',
  burnedQuarter: 'burn.q',
  volumeQuarter: 'volume.q',
  p2pQuarter: 'p2p.q',
  wagerQuarter: 'wager.q',
  payoutQuarter: 'payout.q',
  roundsQuarter: 'rounds.q',
  shopQuarter: 'shop.q',
  /**
   * The histogram of member holdings (wallet and bank together) as they stand: `bucket` is the
   * `holdingBucket` of a holding (not an hour), `count` the members in it, `amount` their holdings summed.
   * A member is in it from the first move of their wallet or bank on.
   */
  holdings: 'holdings',
  /** Claims that reached a streak length (`key`: `<streak>:<length>`, count only), from the claim's metadata. */
  streak: 'streak',
  streakQuarter: 'streak.q',
} as const;
export type RollupMetric = (typeof RollupMetric)[keyof typeof RollupMetric];

/** The sum metrics (summed into local days) and their quarter-hour rows. */
export const QUARTER_OF = {
  [RollupMetric.minted]: RollupMetric.mintedQuarter,
  [RollupMetric.burned]: RollupMetric.burnedQuarter,
  [RollupMetric.volume]: RollupMetric.volumeQuarter,
  [RollupMetric.p2p]: RollupMetric.p2pQuarter,
  [RollupMetric.wager]: RollupMetric.wagerQuarter,
  [RollupMetric.payout]: RollupMetric.payoutQuarter,
  [RollupMetric.rounds]: RollupMetric.roundsQuarter,
  [RollupMetric.shop]: RollupMetric.shopQuarter,
  [RollupMetric.streak]: RollupMetric.streakQuarter,
} as const;
export type SumMetric = keyof typeof QUARTER_OF;

export interface RollupRow {
  tenant: string;
  bucket: number;
  metric: RollupMetric;
  key: string;
  amount: bigint;
  count: bigint;
}

/**
 * Whether the account is a member's wallet: the account whose moves make a member active (and new). A bank
 * account holds money (it is in the supply) but its moves are not the member acting, and it is not a member
 * of its own.
 */
export function isWallet(account: string): boolean {
  return isUserAccount(account) && !account.endsWith(BANK_SUFFIX);
}

const HOUR_MS = 3_600_000;
export const QUARTER_MS = 900_000;
const DAY_HOURS = 24;
/** 1970-01-01 was a Thursday: adding 3 makes Monday day 0 of a week. */
const MONDAY_SHIFT = 3;

export function hourBucket(at: Date): number {
  return Math.floor(at.getTime() / HOUR_MS);
}

/** The local day, ISO week (Monday) and month of an instant, and the instants they begin. */
export interface LocalPeriods {
  /** Local day numbers (days since 1970-01-01 of the local calendar) of each period's first day. */
  day: number;
  week: number;
  month: number;
  /** Epoch milliseconds at which each begins in the zone. */
  dayBegins: number;
  weekBegins: number;
  monthBegins: number;
}

/** The last periods worked out per zone: a group's members all move at one instant, most groups on one day. */
const knownPeriods = new Map<string, LocalPeriods>();

/** The local day, ISO week and month `at` falls in, in `timeZone` (DST and :30/:45 offsets included). */
export function localPeriods(at: Date, timeZone: string): LocalPeriods {
  const day = dayNumber(at, timeZone);
  const known = knownPeriods.get(timeZone);
  if (known?.day === day) return known;
  const week = day - ((((day + MONDAY_SHIFT) % 7) + 7) % 7);
  const civil = new Date(day * DAY_HOURS * HOUR_MS);
  const month = Date.UTC(civil.getUTCFullYear(), civil.getUTCMonth(), 1) / (DAY_HOURS * HOUR_MS);
  const periods = {
    day,
    week,
    month,
    dayBegins: dayStart(day, timeZone).getTime(),
    weekBegins: dayStart(week, timeZone).getTime(),
    monthBegins: dayStart(month, timeZone).getTime(),
  };
  knownPeriods.set(timeZone, periods);
  return periods;
}

/** Holdings below this each have a bucket of their own (exact); above it, a bucket spans 1/128 of its octave. */
const EXACT_HOLDINGS = 256;
const SUB_BUCKET_BITS = 7n;
const SUB_BUCKETS = 128;
const UINT32_MAX = 0xffff_ffffn;
/** The bucket of every negative holding (a debt after a forced rollback): ranked as holding nothing. */
export const DEBT_BUCKET = -1;
/** Past the last bucket (that of 2^63−1). */
export const HOLDING_BUCKETS_END = 57 * SUB_BUCKETS;

/**
 * The histogram bucket of a holding: the holding itself below 256, then 128 buckets per power of two
 * (the top 8 bits of the holding, as a float keeps them), so a bucket's width is at most 1/128 of its
 * lowest holding and a tenant has at most ~7,300 buckets whatever its members hold. Buckets grow with
 * the holding, so ranking buckets ranks members.
 */
export function holdingBucket(holding: bigint): number {
  if (holding < 0n) return DEBT_BUCKET;
  if (holding < BigInt(EXACT_HOLDINGS)) return Number(holding);
  if (holding <= UINT32_MAX) {
    // The common case in 32-bit arithmetic (the write path buckets every moved member's holding).
    const n = Number(holding);
    const shift = 31 - Math.clz32(n) - Number(SUB_BUCKET_BITS);
    return shift * SUB_BUCKETS + (n >>> shift);
  }
  const shift = BigInt(holding.toString(2).length) - 1n - SUB_BUCKET_BITS;
  return Number(shift) * SUB_BUCKETS + Number(holding >> shift);
}

/** The holdings a bucket holds: `low` to `low + width` (width 0: exact). The debt bucket counts as 0. */
export function holdingRange(bucket: number): { low: bigint; width: bigint } {
  if (bucket < EXACT_HOLDINGS) return { low: bucket < 0 ? 0n : BigInt(bucket), width: 0n };
  const shift = BigInt(Math.floor(bucket / SUB_BUCKETS) - 1);
  const low = BigInt(bucket - Number(shift) * SUB_BUCKETS) << shift;
  return { low, width: (1n << shift) - 1n };
}

const GAME_PREFIX = 'game.';
const GAME_CODE = /^game\.([A-Za-z0-9_-]+)\.(bet|stake|settle|payout)$/;
const SHOP_CODE = 'sink.shop';
const FAUCET_CODE = 'faucet.';
const REVERSAL_CODE = 'reversal';

/**
 * Where money into or out of members' hands came from or went: the transfer's code, except for a
 * reversal (a rollback, a refunded purchase), which is named by the system account it returns to
 * or comes from (`reversal:faucet:work`), since its code alone says nothing.
 */
export function sourceOf(t: Pick<StoredTransfer, 'code' | 'from' | 'to'>): string {
  if (t.code !== REVERSAL_CODE) return t.code;
  return `${REVERSAL_CODE}:${isUserAccount(t.from) ? t.to : t.from}`;
}

/** The last answer of `cutsHours` per zone: a group's transfers, and a rebuild's in order, mostly share an hour. */
const knownCuts = new Map<string, { hour: number; cuts: boolean }>();

/**
 * Whether a local midnight of `timeZone` may fall inside the UTC hour `hour` away from its start: the zone is
 * not a whole number of hours off UTC at the hour's start or end (India, Nepal, Newfoundland, Chatham, …).
 * Only such hours are split between two local days, so only they need quarter rows; the report cuts no other
 * (`analytics/report.ts`). Since the rows follow the zone, a tenant whose zone changes needs its rollups
 * rebuilt (`analytics.rebuild({ repair: true })`), as its activity counts do.
 */
export function cutsHours(hour: number, timeZone: string): boolean {
  const known = knownCuts.get(timeZone);
  if (known?.hour === hour) return known.cuts;
  const fractional = (at: number) => tzOffset(timeZone, new Date(at)) % 60 !== 0;
  const cuts = fractional(hour * HOUR_MS) || fractional((hour + 1) * HOUR_MS - 1);
  knownCuts.set(timeZone, { hour, cuts });
  return cuts;
}

/** Sums rollup rows by (tenant, bucket, metric, key); amounts saturate at 2^63−1 like the stores'. */
export class RollupSums {
  /**
   * tenant → metric → key → bucket → row: nested maps, so an add looks its row up without building a
   * key string (the write path adds a handful of sums per transfer and per moved member).
   */
  private readonly tenants = new Map<string, Map<RollupMetric, Map<string, Map<number, RollupRow>>>>();

  add(
    tenant: string,
    bucket: number,
    metric: RollupMetric,
    key: string,
    amount: bigint,
    count: bigint,
  ): void {
    const buckets = this.series(tenant, metric, key);
    const row = buckets.get(bucket);
    if (row) {
      row.amount += amount;
      row.count += count;
    } else buckets.set(bucket, { tenant, bucket, metric, key, amount, count });
  }

  /**
   * The sums of one committed transfer (hour of its `createdAt`), for a tenant in `timeZone`: its quarter
   * rows only where the zone's midnights can cut that hour (see `QUARTER_OF` and `cutsHours`).
   */
  addTransfer(t: StoredTransfer, timeZone: string): void {
    const hour = hourBucket(t.createdAt);
    // Its rows are kept for quarters 1–3 only (see `QUARTER_OF`).
    const quarter = cutsHours(hour, timeZone)
      ? Math.floor((t.createdAt.getTime() - hour * HOUR_MS) / QUARTER_MS)
      : 0;
    const fromUser = isUserAccount(t.from);
    const toUser = isUserAccount(t.to);
    if (fromUser || toUser) this.addSum(t.tenant, hour, quarter, RollupMetric.volume, '', t.amount, 1n);
    if (fromUser && toUser) this.addSum(t.tenant, hour, quarter, RollupMetric.p2p, '', t.amount, 1n);
    else if (toUser) this.addSum(t.tenant, hour, quarter, RollupMetric.minted, sourceOf(t), t.amount, 1n);
    else if (fromUser) this.addSum(t.tenant, hour, quarter, RollupMetric.burned, sourceOf(t), t.amount, 1n);

    const game = t.code.startsWith(GAME_PREFIX) ? GAME_CODE.exec(t.code) : null;
    if (game) {
      const [, name, step] = game as unknown as [string, string, string];
      if (step === 'bet' || step === 'stake')
        this.addSum(t.tenant, hour, quarter, RollupMetric.wager, name, t.amount, 1n);
      if (step === 'bet' || step === 'settle')
        this.addSum(t.tenant, hour, quarter, RollupMetric.rounds, name, 0n, 1n);
      if (step === 'payout') this.addSum(t.tenant, hour, quarter, RollupMetric.payout, name, t.amount, 1n);
    }
    if (t.code === SHOP_CODE) {
      const sale = shopSale(t.metadata);
      this.addSum(t.tenant, hour, quarter, RollupMetric.shop, sale.item, t.amount, BigInt(sale.quantity));
    }
    if (t.code.startsWith(FAUCET_CODE) && t.metadata?.includes('"streakLength"')) {
      const reached = streakReached(t.code, t.metadata);
      if (reached) {
        this.addSum(
          t.tenant,
          hour,
          quarter,
          RollupMetric.streak,
          `${reached.streak}:${reached.length}`,
          0n,
          1n,
        );
      }
    }
  }

  /** A sum in its hour's row and, past the hour's first quarter, in that quarter's row. */
  private addSum(
    tenant: string,
    hour: number,
    quarter: number,
    metric: SumMetric,
    key: string,
    amount: bigint,
    count: bigint,
  ): void {
    this.add(tenant, hour, metric, key, amount, count);
    if (quarter > 0) this.add(tenant, hour * 4 + quarter, QUARTER_OF[metric], key, amount, count);
  }

  /** The rows of one (tenant, metric, key), by bucket. */
  private series(tenant: string, metric: RollupMetric, key: string): Map<number, RollupRow> {
    return inner(inner(inner(this.tenants, tenant), metric), key);
  }

  /**
   * A member whose balance moves at `at`, last moved at `previous` (null: never): counted once in each
   * local period of `timeZone` it had not moved in yet, and as new on its first move.
   */
  addActivity(tenant: string, timeZone: string, previous: Date | null, at: Date): void {
    const now = localPeriods(at, timeZone);
    const before = previous?.getTime() ?? null;
    const count = (bucket: number, metric: RollupMetric) =>
      this.add(tenant, bucket, metric, timeZone, 0n, 1n);
    if (before === null) count(now.day, RollupMetric.newMembers);
    if (before === null || before < now.dayBegins) count(now.day, RollupMetric.activeDay);
    if (before === null || before < now.weekBegins) count(now.week, RollupMetric.activeWeek);
    if (before === null || before < now.monthBegins) count(now.month, RollupMetric.activeMonth);
  }

  /**
   * A member's holding (wallet and bank together) going from `before` (null: not in the histogram yet)
   * to `after`: out of one bucket, into another.
   */
  addHolding(tenant: string, before: bigint | null, after: bigint): void {
    if (before === after) return;
    const into = holdingBucket(after);
    const outOf = before === null ? null : holdingBucket(before);
    // Most moves stay in their bucket (a bucket spans 1/128 of its octave): one add, count unchanged.
    if (outOf === into) this.add(tenant, into, RollupMetric.holdings, '', after - before!, 0n);
    else {
      if (before !== null) this.add(tenant, outOf!, RollupMetric.holdings, '', -before, -1n);
      this.add(tenant, into, RollupMetric.holdings, '', after, 1n);
    }
  }

  values(): RollupRow[] {
    const rows: RollupRow[] = [];
    for (const metrics of this.tenants.values()) {
      for (const keys of metrics.values()) {
        for (const buckets of keys.values()) for (const row of buckets.values()) rows.push(row);
      }
    }
    return rows;
  }
}

/** The map under `key` in `map`, created empty when it has none. */
function inner<K, L, V>(map: Map<K, Map<L, V>>, key: K): Map<L, V> {
  let child = map.get(key);
  if (child === undefined) {
    child = new Map();
    map.set(key, child);
  }
  return child;
}

/**
 * The streak length a claim reached, from its metadata (`economy/faucets.ts`): only on the claim's own
 * transfer (`faucet.<name>`), not on its milestone bonus, which carries the same metadata.
 */
function streakReached(code: string, metadata: string): { streak: string; length: number } | null {
  const parsed = JSON.parse(metadata) as { faucet?: unknown; streak?: unknown; streakLength?: unknown };
  // Any transfer may carry such metadata (ledger.transfer): only a name and a whole positive length count.
  const { streak, streakLength: length } = parsed;
  if (code !== `${FAUCET_CODE}${String(parsed.faucet)}`) return null;
  if (typeof streak !== 'string' || typeof length !== 'number') return null;
  return Number.isSafeInteger(length) && length > 0 ? { streak, length } : null;
}

/** The item and units of a shop purchase, from its canonical metadata (`economy/shop.ts`). */
function shopSale(metadata: string | null): { item: string; quantity: number } {
  const parsed = JSON.parse(metadata ?? '{}') as { item?: unknown; quantity?: unknown };
  return {
    item: typeof parsed.item === 'string' ? parsed.item : '',
    // Any transfer may carry the code (ledger.transfer): only a whole positive quantity is taken as units.
    quantity:
      typeof parsed.quantity === 'number' && Number.isSafeInteger(parsed.quantity) && parsed.quantity > 0
        ? parsed.quantity
        : 1,
  };
}
