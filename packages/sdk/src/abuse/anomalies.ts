import type { PolicyConfig } from '../config/schema.js';
import type { TenantContext } from '../context/tenant-context.js';
import { invalidInput } from '../errors.js';
import { isUserAccount } from '../ledger/accounts.js';
import type { Transfer } from '../ledger/types.js';
import { announceAnomalies } from './anomaly-events.js';

// Detectors are pure functions over a list of transfers; `scanAnomalies` at the bottom is the only part
// that reads the ledger. Flags are signals for a moderator to look at, never automatic punishment.

/** What a detector needs of a transfer (a ledger `Transfer` fits). */
export type ScannedTransfer = Pick<
  Transfer,
  'id' | 'from' | 'to' | 'amount' | 'code' | 'createdAt' | 'reverses'
>;

export type AnomalyFlag =
  | {
      kind: 'velocity';
      /** The member. */
      accounts: [string];
      /** The member's busiest hour: its volume (sent + received) against all member-hours seen. */
      detail: { hour: Date; volume: bigint; median: number; mad: number; score: number };
    }
  | {
      kind: 'circular';
      /** The two members, sorted. */
      accounts: [string, string];
      /** Payments answered by a payment back within the window; `returned` sums the answers. */
      detail: { roundTrips: number; returned: bigint; firstAt: Date; lastAt: Date };
    }
  | {
      kind: 'new-account-feeders';
      /** The fed member first, then its young feeders, sorted. */
      accounts: string[];
      detail: { target: string; feeders: number; amount: bigint };
    };

export type AnomalyConfig = PolicyConfig['anomaly'];

const HOUR_MS = 3_600_000;
/** An account first seen less than this long before it pays someone is young. */
export const YOUNG_ACCOUNT_MS = 24 * HOUR_MS;
/** Fewer member-hours than this say nothing about what is normal. */
export const MIN_VELOCITY_SAMPLES = 5;

/** Reversals are moderators undoing things, not members acting. */
const byMembers = (t: ScannedTransfer) => t.code !== 'reversal' && t.reverses === undefined;
const memberToMember = (t: ScannedTransfer) => byMembers(t) && isUserAccount(t.from) && isUserAccount(t.to);
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byTime = (a: ScannedTransfer, b: ScannedTransfer) =>
  a.createdAt.getTime() - b.createdAt.getTime() || compareText(a.id, b.id);

/**
 * Members whose volume in some clock hour (UTC) lies more than `thresholdMads` median absolute
 * deviations above the median of every member-hour in the list. When over half the member-hours are
 * equal the MAD is 0; the mean absolute deviation from the median stands in, and when that is 0 too
 * everyone looks alike and nobody is flagged. One flag per member, for its busiest hour; highest score first.
 */
export function detectVelocity(transfers: readonly ScannedTransfer[], thresholdMads: number): AnomalyFlag[] {
  const volumes = new Map<string, { account: string; hour: number; volume: bigint }>();
  for (const t of transfers.filter(byMembers)) {
    const hour = Math.floor(t.createdAt.getTime() / HOUR_MS) * HOUR_MS;
    for (const account of new Set([t.from, t.to])) {
      if (!isUserAccount(account)) continue;
      const key = `${account}\u0000${hour}`;
      const entry = volumes.get(key) ?? { account, hour, volume: 0n };
      entry.volume += t.amount;
      volumes.set(key, entry);
    }
  }
  if (volumes.size < MIN_VELOCITY_SAMPLES) return [];
  const samples = [...volumes.values()].map((v) => Number(v.volume));
  const mid = median(samples);
  const deviations = samples.map((v) => Math.abs(v - mid));
  const mad = median(deviations);
  const scale = mad > 0 ? mad : deviations.reduce((sum, d) => sum + d, 0) / deviations.length;
  if (scale === 0) return [];

  const worst = new Map<string, AnomalyFlag & { kind: 'velocity' }>();
  for (const { account, hour, volume } of volumes.values()) {
    const score = (Number(volume) - mid) / scale;
    if (score <= thresholdMads || (worst.get(account)?.detail.score ?? -1) >= score) continue;
    worst.set(account, {
      kind: 'velocity',
      accounts: [account],
      detail: { hour: new Date(hour), volume, median: mid, mad, score: Math.round(score * 100) / 100 },
    });
  }
  return [...worst.values()].sort(
    (a, b) => b.detail.score - a.detail.score || compareText(a.accounts[0], b.accounts[0]),
  );
}

/**
 * Pairs of members where a payment one way is answered by a payment back within `windowMinutes`
 * (A→B then B→A, the window inclusive). Each answer counts once as a round trip.
 */
export function detectCircular(transfers: readonly ScannedTransfer[], windowMinutes: number): AnomalyFlag[] {
  const windowMs = windowMinutes * 60_000;
  const pairs = new Map<string, ScannedTransfer[]>();
  for (const t of transfers.filter(memberToMember)) {
    const key = [t.from, t.to].sort(compareText).join('\u0000');
    const list = pairs.get(key);
    if (list) list.push(t);
    else pairs.set(key, [t]);
  }
  const flags: AnomalyFlag[] = [];
  for (const [key, list] of [...pairs].sort(([a], [b]) => compareText(a, b))) {
    const [a, b] = key.split('\u0000') as [string, string];
    const lastSent = new Map<string, number>();
    let roundTrips = 0;
    let returned = 0n;
    let firstAt: number | undefined;
    let lastAt = 0;
    for (const t of list.sort(byTime)) {
      const at = t.createdAt.getTime();
      const outbound = lastSent.get(t.to);
      if (outbound !== undefined && at - outbound <= windowMs) {
        roundTrips++;
        returned += t.amount;
        firstAt ??= outbound;
        lastAt = at;
      }
      lastSent.set(t.from, at);
    }
    if (roundTrips > 0 && firstAt !== undefined) {
      flags.push({
        kind: 'circular',
        accounts: [a, b],
        detail: { roundTrips, returned, firstAt: new Date(firstAt), lastAt: new Date(lastAt) },
      });
    }
  }
  return flags;
}

/**
 * Members paid by at least `minFeeders` distinct young members: accounts first seen less than 24 h
 * before they paid (alt farming: fresh accounts claim faucets and pass the coins on). First seen comes
 * from `firstSeen` when it knows the account, else from its earliest transfer in the list (which, for a
 * list that starts recently, makes old accounts look young: `scanAnomalies` fills `firstSeen` for that).
 */
export function detectNewAccountFeeders(
  transfers: readonly ScannedTransfer[],
  minFeeders: number,
  firstSeen: ReadonlyMap<string, Date> = new Map(),
): AnomalyFlag[] {
  const seen = earliestSeen(transfers);
  for (const [account, at] of firstSeen) seen.set(account, at.getTime());
  const fed = new Map<string, { feeders: Set<string>; amount: bigint }>();
  for (const t of transfers.filter(memberToMember)) {
    const born = seen.get(t.from)!;
    if (t.createdAt.getTime() - born >= YOUNG_ACCOUNT_MS) continue;
    const entry = fed.get(t.to) ?? { feeders: new Set<string>(), amount: 0n };
    entry.feeders.add(t.from);
    entry.amount += t.amount;
    fed.set(t.to, entry);
  }
  return [...fed]
    .filter(([, entry]) => entry.feeders.size >= minFeeders)
    .sort(([a, x], [b, y]) => y.feeders.size - x.feeders.size || compareText(a, b))
    .map(([target, { feeders, amount }]) => ({
      kind: 'new-account-feeders',
      accounts: [target, ...[...feeders].sort(compareText)],
      detail: { target, feeders: feeders.size, amount },
    }));
}

/** Every detector, with the thresholds of `policy.anomaly`. */
export function detectAnomalies(
  transfers: readonly ScannedTransfer[],
  config: AnomalyConfig,
  o: { firstSeen?: ReadonlyMap<string, Date> } = {},
): AnomalyFlag[] {
  return [
    ...detectVelocity(transfers, config.velocityMadThreshold),
    ...detectCircular(transfers, config.circularWindowMinutes),
    ...detectNewAccountFeeders(transfers, config.newAccountFeeders, o.firstSeen),
  ];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function earliestSeen(transfers: readonly ScannedTransfer[]): Map<string, number> {
  const seen = new Map<string, number>();
  for (const t of transfers) {
    const at = t.createdAt.getTime();
    for (const account of [t.from, t.to]) {
      const known = seen.get(account);
      if (known === undefined || at < known) seen.set(account, at);
    }
  }
  return seen;
}

// ---------------------------------------------------------------------------------------------------
// Reading the ledger

export const MAX_SCAN = 10_000;
const PAGE = 1_000;
/** Most accounts whose history `scanAnomalies` looks up to tell young from old. */
export const MAX_AGE_LOOKUPS = 500;
const AGE_PAGE = 200;
const AGE_PAGES = 5;

export interface AnomalyScan {
  flags: AnomalyFlag[];
  /** Transfers examined (created at or after `since`, newest first, at most `limit`). */
  scanned: number;
  /** True when the limit (or the age look-ups' bound) stopped the scan short of `since`. */
  truncated: boolean;
  since: Date;
}

/**
 * Reads the tenant's transfers created since `since` (newest first, at most `limit`, default and
 * maximum 10,000) and runs every detector with the tenant's `policy.anomaly` thresholds. For members
 * who look young within the scan and feed someone, it checks their older history in the ledger, so an
 * old account active again is not taken for a new one. A flag no scan found before is announced once,
 * as the `anomaly.detected` webhook event (anomaly-events.ts).
 */
export async function scanAnomalies(
  ctx: TenantContext,
  o: { since: Date; limit?: number },
): Promise<AnomalyScan> {
  if (!(o?.since instanceof Date) || Number.isNaN(o.since.getTime()))
    throw invalidInput('since', 'must be a valid Date');
  const limit = o.limit ?? MAX_SCAN;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SCAN) {
    throw invalidInput('limit', `must be a whole number from 1 to ${MAX_SCAN}`);
  }
  const { config } = await ctx.config();
  const transfers: Transfer[] = [];
  let truncated = false;
  let cursor: string | undefined;
  scan: for (;;) {
    const page = await ctx.ledger.transfers({
      limit: Math.min(PAGE, limit - transfers.length + 1),
      ...(cursor && { cursor }),
    });
    for (const t of page.items) {
      if (t.createdAt < o.since) break scan;
      if (transfers.length === limit) {
        truncated = true;
        break scan;
      }
      transfers.push(t);
    }
    if (!page.next) break;
    cursor = page.next;
  }

  const threshold = config.policy.anomaly.newAccountFeeders;
  const candidates = [
    ...new Set(detectNewAccountFeeders(transfers, threshold).flatMap((flag) => flag.accounts.slice(1))),
  ];
  if (candidates.length > MAX_AGE_LOOKUPS) truncated = true;
  const firstSeen = new Map<string, Date>();
  for (const account of candidates.slice(0, MAX_AGE_LOOKUPS)) {
    const firstFeed = Math.min(
      ...transfers.filter((t) => t.from === account && memberToMember(t)).map((t) => t.createdAt.getTime()),
    );
    firstSeen.set(account, await firstSeenBefore(ctx, account, firstFeed - YOUNG_ACCOUNT_MS));
  }
  const flags = detectAnomalies(transfers, config.policy.anomaly, { firstSeen });
  await announceAnomalies(ctx, flags);
  return { flags, scanned: transfers.length, truncated, since: o.since };
}

/**
 * The account's earliest transfer, looking back only until one older than `cutoff` shows up (that is
 * enough to call it old) and at most `AGE_PAGES` pages, which only an account busier than that within
 * a day exhausts (it is then judged by the oldest transfer seen).
 */
async function firstSeenBefore(ctx: TenantContext, account: string, cutoff: number): Promise<Date> {
  let oldest = Number.POSITIVE_INFINITY;
  let cursor: string | undefined;
  for (let i = 0; i < AGE_PAGES; i++) {
    const page = await ctx.ledger.transfers({ account, limit: AGE_PAGE, ...(cursor && { cursor }) });
    for (const t of page.items) oldest = Math.min(oldest, t.createdAt.getTime());
    if (!page.next || oldest < cutoff) break;
    cursor = page.next;
  }
  return new Date(oldest);
}
