import { isUserAccount, walletOf } from '../ledger/accounts.js';
import { isWallet, RollupMetric, RollupSums } from '../ledger/rollups.js';
import { dayNumber, dayStart } from '../local-days.js';
import type { Store, StoredRollup } from '../stores/types.js';

/** A rollup row that differs between what the write path kept and what the ledger implies. */
export interface RollupDifference {
  bucket: number;
  metric: string;
  key: string;
  kept: { amount: bigint; count: bigint } | null;
  derived: { amount: bigint; count: bigint } | null;
}

export interface RollupCheck {
  /** True when every kept rollup row equals the one re-derived from the ledger. */
  ok: boolean;
  transfers: number;
  /** Rows compared (the union of both sides). */
  rows: number;
  /** The first differences (at most 100), by bucket. */
  differences: RollupDifference[];
  /** Whether the kept rows were replaced by the derived ones (`repair`). */
  repaired: boolean;
}

export interface RebuildOptions {
  /** Replace the kept rows with the derived ones (run it while the tenant is quiet: see the docs). */
  repair?: boolean;
  /** Told after each page of the history read (transfers read so far). */
  onProgress?: (transfersRead: number) => void;
}

const PAGE = 10_000;
const ALL_METRICS = Object.values(RollupMetric);
const MAX_SHOWN = 100;

/**
 * Every rollup row re-derived from the tenant's whole transfer history, by the same rules the write
 * path applies (`ledger/rollups.ts`). Sums follow each transfer; activity needs only the set of local days
 * (of `timeZone`) each member's balance moved on, replayed in order; the holdings histogram only each member's holding
 * at the end (every account a transfer moved, summed per member), so the history may be read in any order.
 */
export async function deriveRollups(
  store: Pick<Store, 'listTransfers'>,
  tenant: string,
  timeZone: string,
  onProgress?: (transfersRead: number) => void,
): Promise<{ rows: StoredRollup[]; transfers: number }> {
  const sums = new RollupSums();
  const memberDays = new Map<string, Set<number>>();
  const balances = new Map<string, bigint>();
  let read = 0;
  let beforeSeq: bigint | undefined;
  for (;;) {
    const page = await store.listTransfers(tenant, {
      limit: PAGE,
      ...(beforeSeq !== undefined && { beforeSeq }),
    });
    for (const t of page) {
      sums.addTransfer(t, timeZone);
      if (isUserAccount(t.from)) balances.set(t.from, (balances.get(t.from) ?? 0n) - t.amount);
      if (isUserAccount(t.to)) balances.set(t.to, (balances.get(t.to) ?? 0n) + t.amount);
      const day = dayNumber(t.createdAt, timeZone);
      for (const account of [t.from, t.to]) {
        if (!isWallet(account)) continue;
        const days = memberDays.get(account);
        if (days) days.add(day);
        else memberDays.set(account, new Set([day]));
      }
    }
    read += page.length;
    onProgress?.(read);
    if (page.length < PAGE) break;
    beforeSeq = page[page.length - 1]!.seq;
  }
  for (const days of memberDays.values()) {
    let previous: Date | null = null;
    for (const day of [...days].sort((a, b) => a - b)) {
      const at = dayStart(day, timeZone);
      sums.addActivity(tenant, timeZone, previous, at);
      previous = at;
    }
  }
  const holdings = new Map<string, bigint>();
  for (const [account, balance] of balances) {
    const wallet = walletOf(account);
    holdings.set(wallet, (holdings.get(wallet) ?? 0n) + balance);
  }
  for (const holding of holdings.values()) sums.addHolding(tenant, null, holding);
  return { rows: sums.values().map(({ tenant: _, ...row }) => row), transfers: read };
}

/**
 * Compares the kept rollups with the derived ones, activity in the tenant's current `timeZone` (kept rows of
 * another zone, from before the tenant changed it, differ); with `repair`, replaces the kept rows.
 */
export async function rebuildRollups(
  store: Pick<Store, 'listTransfers' | 'readRollups' | 'replaceRollups'>,
  tenant: string,
  timeZone: string,
  options: RebuildOptions = {},
): Promise<RollupCheck> {
  const derived = await deriveRollups(store, tenant, timeZone, options.onProgress);
  const kept = await store.readRollups(tenant, {
    from: Number.MIN_SAFE_INTEGER,
    to: Number.MAX_SAFE_INTEGER,
    metrics: ALL_METRICS,
  });
  const id = (r: StoredRollup) => `${r.bucket}\u0000${r.metric}\u0000${r.key}`;
  // A row summing to nothing is no row: a histogram bucket every member has left, for one.
  const nonEmpty = (rows: readonly StoredRollup[]) =>
    new Map(rows.filter((r) => r.amount !== 0n || r.count !== 0n).map((r) => [id(r), r]));
  const keptById = nonEmpty(kept);
  const derivedById = nonEmpty(derived.rows);
  const differences: RollupDifference[] = [];
  for (const key of new Set([...keptById.keys(), ...derivedById.keys()])) {
    const k = keptById.get(key);
    const d = derivedById.get(key);
    if (k && d && k.amount === d.amount && k.count === d.count) continue;
    const row = (k ?? d)!;
    differences.push({
      bucket: row.bucket,
      metric: row.metric,
      key: row.key,
      kept: k ? { amount: k.amount, count: k.count } : null,
      derived: d ? { amount: d.amount, count: d.count } : null,
    });
  }
  differences.sort((a, b) => a.bucket - b.bucket);
  const repair = options.repair === true && differences.length > 0;
  if (repair) await store.replaceRollups(tenant, derived.rows);
  return {
    ok: differences.length === 0,
    transfers: derived.transfers,
    rows: new Set([...keptById.keys(), ...derivedById.keys()]).size,
    differences: differences.slice(0, MAX_SHOWN),
    repaired: repair,
  };
}
