import { createHash } from 'node:crypto';
import type { Tenant } from '@guildmint/sdk';
import { isGuildmintError } from '../sdk';
import type { BalanceRow } from './balance-row';
import { parseBalancesCsv } from './csv';
import { emptyTotals, type ImportRunStore, type ImportSource, type ImportTotals } from './run-store';
import { UnbelievaBoatClient, type UnbelievaBoatOptions } from './unbelievaboat';

/** A source read a page at a time (1-based). */
export interface PagedSource {
  source: ImportSource;
  /** Which import of this source it is: UnbelievaBoat's guild id, a CSV file's hash. */
  ref: string;
  page(n: number): Promise<{ totalPages: number; rows: BalanceRow[]; negatives: number }>;
  /** The idempotency key of a member's credit: once per member and source, whatever the run. */
  keyOf(userId: string): string;
}

/** Members credited at once: enough for the SDK to group their commits, few enough to stop quickly. */
const CONCURRENCY = 16;
/** Rows per page of a CSV file (progress is saved after each). */
const CSV_PAGE = 1000;

export function unbelievaBoatSource(o: UnbelievaBoatOptions): PagedSource & { client: UnbelievaBoatClient } {
  const client = new UnbelievaBoatClient(o);
  return {
    client,
    source: 'unbelievaboat',
    ref: o.guildId,
    page: (n) => client.page(n),
    keyOf: (userId) => `import.unbelievaboat.${o.guildId}.${userId}`,
  };
}

/** A CSV file, validated whole before anything is read from it (see parseBalancesCsv). */
export function csvSource(text: string): PagedSource {
  const rows = parseBalancesCsv(text);
  const totalPages = Math.max(1, Math.ceil(rows.length / CSV_PAGE));
  return {
    source: 'csv',
    ref: createHash('sha256').update(text).digest('hex'),
    page: async (n) => ({ totalPages, rows: rows.slice((n - 1) * CSV_PAGE, n * CSV_PAGE), negatives: 0 }),
    keyOf: (userId) => `import.csv.${userId}`,
  };
}

export interface ImportProgress {
  page: number;
  totalPages: number;
  totals: ImportTotals;
}

/** What a source holds, read to the end without writing anything: the totals an owner confirms. */
export async function dryRun(
  source: PagedSource,
  onProgress?: (p: ImportProgress) => void,
): Promise<ImportTotals> {
  const totals = emptyTotals();
  for (let page = 1, totalPages = 1; page <= totalPages; page++) {
    const read = await source.page(page);
    totalPages = read.totalPages;
    totals.negatives += read.negatives;
    for (const row of read.rows) {
      totals.members++;
      if (row.wallet + row.bank === 0n) totals.empty++;
      else {
        totals.credited++;
        totals.wallet += row.wallet;
        totals.bank += row.bank;
      }
    }
    onProgress?.({ page, totalPages, totals });
  }
  return totals;
}

/**
 * Credits every member of the source once, page by page, saving where it stands after each page: run
 * again after a crash, it continues from the page it stopped on (the members of that page already
 * credited are answered from their keys, not credited twice). Run again after it finished, it changes
 * nothing: each credit's key is spent.
 */
export async function runImport(o: {
  tenant: Tenant;
  runs: ImportRunStore;
  source: PagedSource;
  actor: string;
  now?: () => Date;
  onProgress?: (p: ImportProgress) => void;
}): Promise<ImportTotals> {
  const { tenant, runs, source } = o;
  const now = o.now ?? (() => new Date());
  const saved = await runs.get(tenant.id, source.source, source.ref);
  const resumed = saved?.status === 'running';
  const totals = resumed ? saved.progress : emptyTotals();
  const first = resumed ? saved.nextPage : 1;
  const startedBy = resumed ? saved.startedBy : o.actor;
  for (let page = first, totalPages = first; page <= totalPages; page++) {
    const read = await source.page(page);
    totalPages = Math.max(read.totalPages, 1);
    totals.negatives += read.negatives;
    for (let i = 0; i < read.rows.length; i += CONCURRENCY) {
      const chunk = read.rows.slice(i, i + CONCURRENCY);
      // A replay on the page a crashed run stopped on was this run's own credit.
      const ownReplay = resumed && page === first;
      await Promise.all(chunk.map((row) => credit(tenant, source, row, o.actor, totals, ownReplay)));
    }
    const done = page >= totalPages;
    await runs.save({
      tenantId: tenant.id,
      source: source.source,
      ref: source.ref,
      status: done ? 'done' : 'running',
      nextPage: page + 1,
      progress: totals,
      startedBy,
      updatedAt: now(),
    });
    o.onProgress?.({ page, totalPages, totals });
  }
  return totals;
}

async function credit(
  tenant: Tenant,
  source: PagedSource,
  row: BalanceRow,
  actor: string,
  totals: ImportTotals,
  ownReplay: boolean,
): Promise<void> {
  totals.members++;
  if (row.wallet + row.bank === 0n) {
    totals.empty++;
    return;
  }
  try {
    const receipt = await tenant.importBalance(row.userId, {
      wallet: row.wallet,
      bank: row.bank,
      source: source.source,
      key: source.keyOf(row.userId),
      actor,
    });
    if (receipt.replayed && !ownReplay) totals.alreadyImported++;
    else {
      totals.credited++;
      totals.wallet += row.wallet;
      totals.bank += row.bank;
    }
  } catch (error) {
    // Imported before with other amounts (the source changed since): the first import stands.
    if (!isGuildmintError(error, 'IDEMPOTENCY_CONFLICT')) throw error;
    totals.alreadyImported++;
  }
}
