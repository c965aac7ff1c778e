import type pg from 'pg';
import { ErrorCode, GuildmintError } from '../errors.js';
import { checkInvariants } from '../ledger/verify.js';
import { adminPool, type ClusterStore } from './cluster-store.js';
import type { Placement } from './directory.js';
import { lowerFence, raiseFence, waitForOlderTransactions } from './fencing.js';
import {
  countTenant,
  deleteMissing,
  deleteTenant,
  lastKey,
  type PageStart,
  readPage,
  snapshotXmin,
  type TenantTable,
  tenantTables,
  writeRows,
} from './tenant-rows.js';

/** The points a move passes, in order; a test may stop the mover at any of them (`onStep`). */
export const MOVE_STEPS = [
  'copy',
  'catch-up',
  'fence',
  'fenced',
  'final-delta',
  'compare',
  'switch',
  'switched',
  'cleanup',
  'done',
] as const;
export type MoveCheckpoint = (typeof MOVE_STEPS)[number];

const DEFAULT_PAGE_ROWS = 5_000;

export interface MoveOptions {
  /** Catch-up passes before the pause at most (default 5); each copies what changed during the last. */
  maxPasses?: number;
  /** A pass that copied at most this many rows ends the catch-up (default 200): the pause copies the rest. */
  smallDelta?: number;
  /** Between the switch and removing the old copy, so every process hears of the switch first (default 1 s). */
  graceMs?: number;
  /**
   * Rows read and written per statement (default 5,000): a tenant is copied, caught up and compared page by
   * page of each table, so neither process nor database ever holds a whole table of it at once.
   */
  pageRows?: number;
  /** Called at each checkpoint (tests stop the mover there). */
  onStep?: (step: MoveCheckpoint) => void | Promise<void>;
  log?: (line: string) => void;
}

export interface MoveReport {
  tenant: string;
  from: string;
  to: string;
  /** The tenant's grouped writes were refused (fence raised → directory switched), when this run saw all of it. */
  pauseMs: number | null;
  /** Rows written on the target (copy, catch-up passes and the final delta). */
  rowsCopied: number;
  passes: number;
  /** Rows per table on both sides, compared before the switch. */
  counts: Record<string, number>;
  alreadyThere: boolean;
  /** Where the pause went (ms): waiting out older transactions, the delta, deletes, row counts, the switch. */
  pausePhasesMs: Record<string, number>;
}

/**
 * Moves a tenant to another cluster while it takes writes (see the docs' "Clusters and moves"):
 * copy → catch up → fence the source (the pause begins) → wait out older transactions → copy the last
 * delta and the deletes → compare row counts on both sides → switch the directory (the pause ends) →
 * `verify()` on the target → after a grace, delete the old copy. Every step is recorded in the
 * directory first, so a mover killed anywhere and run again finishes the move or rolls it back: the
 * tenant is served by exactly one cluster throughout. One mover per tenant at a time (a session lock).
 */
export async function moveTenant(
  store: ClusterStore,
  tenant: string,
  to: string,
  o: MoveOptions = {},
): Promise<MoveReport> {
  if (!store.names.includes(to)) {
    throw new GuildmintError(
      ErrorCode.INVALID_INPUT,
      `no cluster named ${to} (clusters: ${store.names.join(', ')})`,
    );
  }
  const pageRows = o.pageRows ?? DEFAULT_PAGE_ROWS;
  if (!Number.isSafeInteger(pageRows) || pageRows < 1) {
    throw new GuildmintError(ErrorCode.INVALID_INPUT, `pageRows must be a whole number of rows, at least 1`);
  }
  return withMoveLock(store, tenant, async () => {
    const step = async (name: MoveCheckpoint) => {
      o.log?.(`move ${tenant}: ${name}`);
      await o.onStep?.(name);
    };
    let p = await known(store, tenant);
    const report: MoveReport = {
      tenant,
      from: p.move?.step === 'switched' ? p.move.other : p.cluster,
      to,
      pauseMs: null,
      rowsCopied: 0,
      passes: 0,
      counts: {},
      alreadyThere: false,
      pausePhasesMs: {},
    };
    if (p.move && p.move.step !== 'switched' && p.move.other !== to) {
      throw new GuildmintError(
        ErrorCode.CONCURRENT_UPDATE,
        `tenant ${tenant} is being moved to ${p.move.other}: finish that move (--to ${p.move.other}) or abort it first`,
      );
    }
    let fencedAt: number | null = null;
    for (;;) {
      if (p.move === null) {
        if (p.cluster === to) {
          report.alreadyThere = report.from === to;
          await step('done');
          return report;
        }
        report.from = p.cluster;
        p = await advance(store, p, { step: 'copying', other: to, since: null });
      } else if (p.move.step === 'copying') {
        const copied = await copyAndCatchUp(store, p, o, pageRows, step, report);
        fencedAt = copied.fencedAt;
        p = copied.placement;
      } else if (p.move.step === 'fenced') {
        p = await finishPause(store, p, pageRows, step, report);
        if (fencedAt !== null) report.pauseMs = performance.now() - fencedAt;
      } else {
        await step('cleanup');
        // The target takes the tenant's writes (a run killed right after the switch may not have said so).
        await withClient(adminPool(store, p.cluster), (dest) => lowerFence(dest, tenant));
        // verify() on the target once it serves (outside the pause: it reads every transfer); the old copy
        // stays until it passes.
        const { problems } = checkInvariants(await store.storeOf(p.cluster).audit(tenant));
        if (problems.length > 0) {
          throw new GuildmintError(
            ErrorCode.INTERNAL,
            `${tenant} on ${p.cluster} fails verify(); its old copy on ${p.move.other} is kept: ${problems.join('; ')}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, o.graceMs ?? 1_000));
        await withClient(adminPool(store, p.move.other), async (source) =>
          deleteTenant(source, await tenantTables(source), tenant),
        );
        p = await advance(store, p, { step: null });
      }
    }
  });
}

/** Rolls back a move that has not switched: the source serves on, unfenced; the target's copy is deleted. */
export async function abortMove(store: ClusterStore, tenant: string): Promise<Placement> {
  return withMoveLock(store, tenant, async () => {
    const p = await known(store, tenant);
    if (p.move === null) return p;
    if (p.move.step === 'switched') {
      throw new GuildmintError(
        ErrorCode.CONCURRENT_UPDATE,
        `tenant ${tenant} has switched to ${p.cluster} already: run the move again to finish it`,
      );
    }
    return rollBack(store, p);
  });
}

async function copyAndCatchUp(
  store: ClusterStore,
  p: Placement,
  o: MoveOptions,
  pageRows: number,
  step: (name: MoveCheckpoint) => Promise<void>,
  report: MoveReport,
): Promise<{ placement: Placement; fencedAt: number }> {
  const target = p.move!.other;
  return withClient(adminPool(store, p.cluster), (source) =>
    withClient(adminPool(store, target), async (dest) => {
      await step('copy');
      // A rerun starts clean: no fence left by a run killed after raising it; no partial copy on the target.
      // A fence the target keeps from an earlier move away from it stays up until the switch: a process that
      // never heard of that move must not commit there meanwhile.
      await lowerFence(source, p.tenant);
      const tables = await tenantTables(source);
      await deleteTenant(dest, tables, p.tenant);
      let since = await copy(source, dest, tables, p.tenant, null, pageRows, report);
      for (let pass = 0; pass < (o.maxPasses ?? 5); pass++) {
        await step('catch-up');
        const before = report.rowsCopied;
        since = await copy(source, dest, tables, p.tenant, since, pageRows, report);
        report.passes++;
        if (report.rowsCopied - before <= (o.smallDelta ?? 200)) break;
      }
      await step('fence');
      await raiseFence(source, p.tenant, p.epoch + 1);
      const fencedAt = performance.now();
      await step('fenced');
      return { placement: await advance(store, p, { step: 'fenced', since }), fencedAt };
    }),
  );
}

async function finishPause(
  store: ClusterStore,
  p: Placement,
  pageRows: number,
  step: (name: MoveCheckpoint) => Promise<void>,
  report: MoveReport,
): Promise<Placement> {
  const target = p.move!.other;
  const timed = phaseTimer(report);
  const verified = await withClient(adminPool(store, p.cluster), (source) =>
    withClient(adminPool(store, target), async (dest) => {
      await step('final-delta');
      await waitForOlderTransactions(source, { timeoutMs: 20_000 });
      timed('wait');
      const tables = await tenantTables(source);
      await copy(source, dest, tables, p.tenant, p.move!.since, pageRows, report);
      timed('delta');
      await deleteMissing(source, dest, tables, p.tenant, pageRows);
      timed('deletes');
      await step('compare');
      const [left, right] = [
        await countTenant(source, tables, p.tenant),
        await countTenant(dest, tables, p.tenant),
      ];
      report.counts = right;
      const differ = tables.filter((t) => left[t.name] !== right[t.name]).map((t) => t.name);
      timed('counts');
      return differ.map((t) => `${t}: ${left[t]} rows on ${p.cluster}, ${right[t]} on ${target}`);
    }),
  );
  if (verified.length > 0) {
    await rollBack(store, p);
    throw new GuildmintError(
      ErrorCode.INTERNAL,
      `moving ${p.tenant} to ${target} failed verification and was rolled back: ${verified.join('; ')}`,
    );
  }
  await step('switch');
  const switched = await advance(store, p, { cluster: target, step: 'switched', other: p.cluster });
  await withClient(adminPool(store, target), (dest) => lowerFence(dest, p.tenant));
  timed('switch');
  await step('switched');
  return switched;
}

async function rollBack(store: ClusterStore, p: Placement): Promise<Placement> {
  const target = p.move!.other;
  await withClient(adminPool(store, target), async (dest) =>
    deleteTenant(dest, await tenantTables(dest), p.tenant),
  );
  await withClient(adminPool(store, p.cluster), (source) => lowerFence(source, p.tenant));
  return advance(store, p, { step: null });
}

/**
 * Copies the tenant's rows (all, or the delta since a snapshot xmin), table by table, page by page; returns
 * the xmin of a snapshot taken before the first page. Each page is read under a snapshot of its own, and
 * every row a page's snapshot holds that this one did not was written by a transaction at or after its xmin:
 * the next delta, from that xmin, misses nothing the pages read later. A table is read up to the last key
 * it had when its turn came (rows beyond it are younger than the xmin too), so a pass ends however fast
 * the tenant writes.
 */
async function copy(
  source: pg.PoolClient,
  dest: pg.PoolClient,
  tables: readonly TenantTable[],
  tenant: string,
  since: number | null,
  pageRows: number,
  report: MoveReport,
): Promise<number> {
  const xmin = await snapshotXmin(source);
  for (const table of tables) {
    const until = await lastKey(source, table, tenant);
    if (until === null) continue;
    let after: PageStart = null;
    for (;;) {
      const page = await readPage(source, table, tenant, { since, after, until, limit: pageRows });
      report.rowsCopied += await writeRows(dest, table, page.rows);
      if (page.count < pageRows) break;
      after = page.last;
    }
  }
  return xmin;
}

async function known(store: ClusterStore, tenant: string): Promise<Placement> {
  const p = await store.directory.get(tenant);
  if (!p) throw new GuildmintError(ErrorCode.NOT_FOUND, `tenant ${tenant} is not placed on any cluster`);
  return p;
}

async function advance(
  store: ClusterStore,
  p: Placement,
  next: Parameters<ClusterStore['directory']['advance']>[1],
): Promise<Placement> {
  const advanced = await store.directory.advance(p, next);
  if (!advanced) {
    throw new GuildmintError(
      ErrorCode.CONCURRENT_UPDATE,
      `the placement of ${p.tenant} changed under this move`,
    );
  }
  return advanced;
}

async function withClient<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await work(client);
  } finally {
    client.release();
  }
}

/** One mover per tenant: a session advisory lock on the directory, released when the mover's session ends (killed too). */
async function withMoveLock<T>(store: ClusterStore, tenant: string, work: () => Promise<T>): Promise<T> {
  return store.directory.withSessionLock(`move:${tenant}`, work, () => {
    throw new GuildmintError(ErrorCode.CONCURRENT_UPDATE, `another mover is moving tenant ${tenant}`);
  });
}

/** Records the time since the last mark under a phase's name. */
function phaseTimer(report: MoveReport): (phase: string) => void {
  let last = performance.now();
  return (phase) => {
    const now = performance.now();
    report.pausePhasesMs[phase] = Math.round((now - last) * 10) / 10;
    last = now;
  };
}
