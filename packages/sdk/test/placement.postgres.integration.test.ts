import { type LocalClusters, localClustersAvailable, startLocalClusters } from '@guildmint/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEconomy, type Economy, ErrorCode, isGuildmintError } from '../src/index.js';
import { PlacementDirectory } from '../src/placement/directory.js';
import { ClusterStore, MOVE_STEPS, type MoveReport } from '../src/stores/postgres/index.js';
import { TsChild } from './conformance/concurrency-child.js';
import { announceSeed, deriveSeed, seededRandom } from './conformance/concurrency-random.js';
import type { MoverConfig } from './placement/mover-child.js';
import { expectCode } from './support/expect.js';
import { postgresAvailable } from './support/services.js';

// Issue 13 §1: tenants placed across three PostgreSQL clusters of their own (initdb on loopback ports),
// moved online under load by a mover killed at seeded checkpoints, and a stale writer fenced off.

const CLUSTERS = ['a', 'b', 'c'];

async function rowsOn(url: string, table: string, tenant: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [
      tenant,
    ]);
    return rows[0].n as number;
  } finally {
    await client.end();
  }
}

describe.skipIf(!(await postgresAvailable()) || !localClustersAvailable())('tenants across clusters', () => {
  let local: LocalClusters;
  let economy: Economy;
  let store: ClusterStore;
  const seed = announceSeed('placement');

  beforeAll(async () => {
    local = await startLocalClusters(CLUSTERS, { settings: { fsync: 'off' } });
    store = new ClusterStore({ clusters: local.urls });
    economy = createEconomy({ storage: store });
    await economy.migrate();
  });

  afterAll(async () => {
    await economy?.close();
    await local?.stop();
  });

  it('places new tenants on the cluster with the fewest (ties by name); their rows live only there', async () => {
    const tenants = Array.from({ length: 6 }, (_, i) => `spread_${i}`);
    for (const id of tenants) {
      await economy.tenant(id).ledger.transfer({
        id: `t-${id}`,
        from: 'faucet:test',
        to: 'user:1',
        amount: 5n,
        code: 'test.spread',
      });
    }
    const placed = await Promise.all(tenants.map(async (id) => (await store.placementOf(id)).cluster));
    expect(placed).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    for (const [i, id] of tenants.entries()) {
      for (const name of CLUSTERS) {
        expect(await rowsOn(local.urls[name]!, 'gm_transfers', id)).toBe(name === placed[i] ? 1 : 0);
      }
    }
    // Two processes placing the same new tenant at once agree on one cluster.
    const other = new ClusterStore({ clusters: local.urls });
    try {
      const [mine, theirs] = await Promise.all([store.placementOf('raced'), other.placementOf('raced')]);
      expect(theirs.cluster).toBe(mine.cluster);
    } finally {
      await other.close();
    }
  });

  it('moves a tenant under load, the mover killed at seeded checkpoints: every acknowledged transfer, profile and delivery row once, on the target only', async () => {
    const tenantId = 'moving';
    const ledger = economy.tenant(tenantId).ledger;
    await ledger.transfer({
      id: 'seed',
      from: 'faucet:test',
      to: 'user:0',
      amount: 1_000n,
      code: 'test.seed',
    });
    const from = (await store.placementOf(tenantId)).cluster;
    const to = CLUSTERS.find((c) => c !== from)!;
    const rng = seededRandom(deriveSeed(seed, 'placement-crashes'));
    const crashable = MOVE_STEPS.filter((s) => s !== 'done');
    const crashes = [
      ...new Set([
        rng.int(0, crashable.length - 1),
        rng.int(0, crashable.length - 1),
        rng.int(0, crashable.length - 1),
      ]),
    ]
      .sort((x, y) => x - y)
      .map((i) => crashable[i]!);
    console.info(`[guildmint] placement: mover killed at ${crashes.join(', ')}, then run to the end`);

    const acked: string[] = [];
    const errors: string[] = [];
    let writing = true;
    const writer = async (loop: number) => {
      for (let i = 0; writing; i++) {
        const id = `w${loop}-${i}`;
        const p2p = i % 3 === 2;
        try {
          await ledger.transfer({
            id,
            from: p2p ? `user:${loop}` : 'faucet:test',
            to: p2p ? `user:${(loop + 1) % 4}` : `user:${loop}`,
            amount: 1n,
            code: 'test.load',
          });
          acked.push(id);
        } catch (error) {
          if (!isGuildmintError(error, ErrorCode.INSUFFICIENT_FUNDS)) errors.push(`${id}: ${String(error)}`);
        }
      }
    };
    // Writes outside the grouped path at the same time: a member's profile and the worker's delivery rows,
    // each keyed by its own id, so every acknowledged one must be on the target once.
    const ackedOther: string[] = [];
    const bookkeeper = async () => {
      for (let i = 0; writing; i++) {
        const id = `b${i}`;
        try {
          await (i % 2 === 0
            ? store.recordMemberProfile(tenantId, { userId: id, name: `P ${i}`, avatar: null }, new Date())
            : store.dispatchEvents([], [{ tenant: tenantId, eventId: id, endpointId: 'ep' }], new Date()));
          ackedOther.push(id);
        } catch (error) {
          errors.push(`${id}: ${String(error)}`);
        }
      }
    };
    const writers = Promise.all([...[0, 1, 2, 3].map(writer), bookkeeper()]);
    const killAfterMs = rng.int(50, 600);
    console.info(`[guildmint] placement: and once ${killAfterMs} ms after the mover starts`);
    const run = async (crashAt?: (typeof crashes)[number], killAfter?: number) => {
      const config: MoverConfig = {
        clusters: local.urls,
        tenant: tenantId,
        to,
        graceMs: 200,
        // Pages of a few hundred rows: the copy and every catch-up pass read the tenant's larger tables in
        // many statements, each under its own snapshot, while the writers go on.
        pageRows: 300,
        ...(crashAt && { crashAt }),
      };
      const child = new TsChild('test/placement/mover-child.ts', config, { bundle: true });
      const timer = killAfter === undefined ? undefined : setTimeout(() => child.kill(), killAfter);
      const exit = await child.exited;
      clearTimeout(timer);
      return { exit, child };
    };
    let report: MoveReport | undefined;
    try {
      for (const crashAt of crashes) {
        const { exit, child } = await run(crashAt);
        expect(exit.signal, child.stderr).toBe('SIGKILL');
        // Between runs the tenant is served from exactly one cluster, which still takes writes (or will).
        const p = await store.directory.get(tenantId);
        expect([from, to]).toContain(p!.cluster);
      }
      // Killed at a moment rather than a checkpoint (or finished before it: then the last run finds it done).
      await run(undefined, killAfterMs);
      const { child } = await run();
      const done = child.messages.find((m) => m.t === 'done');
      expect(done, `${JSON.stringify(child.messages.at(-1))} ${child.stderr}`).toBeDefined();
      report = done!.report as MoveReport;
    } finally {
      // Let the writers run on the target a moment, then stop them.
      const before = acked.length;
      const deadline = Date.now() + 10_000;
      while (acked.length < before + 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      writing = false;
      await writers;
    }
    console.info(
      `[guildmint] placement: ${acked.length} + ${ackedOther.length} acknowledged, move ${JSON.stringify(report)}`,
    );
    expect(errors).toEqual([]);
    const placement = await store.directory.get(tenantId);
    expect(placement).toMatchObject({ cluster: to, move: null });
    // Every acknowledged transfer is on the target exactly once (ids are the primary key: count them all).
    const target = new pg.Client({ connectionString: local.urls[to]! });
    await target.connect();
    try {
      const { rows } = await target.query<{ id: string }>(
        'SELECT id FROM gm_transfers WHERE tenant_id = $1 AND id = ANY($2)',
        [tenantId, acked],
      );
      expect(rows.length).toBe(acked.length);
      const { rows: all } = await target.query(
        'SELECT count(*)::int AS n FROM gm_transfers WHERE tenant_id = $1',
        [tenantId],
      );
      expect(all[0].n).toBe(acked.length + 1);
      const { rows: other } = await target.query<{ id: string }>(
        `SELECT user_id AS id FROM gm_member_profiles WHERE tenant_id = $1
         UNION ALL SELECT event_id FROM gm_webhook_deliveries WHERE tenant_id = $1`,
        [tenantId],
      );
      expect(other.map((r) => r.id).sort()).toEqual([...ackedOther].sort());
    } finally {
      await target.end();
    }
    expect(await ledger.verify()).toEqual({ ok: true, problems: [] });
    for (const table of ['gm_transfers', 'gm_balances', 'gm_state', 'gm_flows', 'gm_member_profiles']) {
      expect(await rowsOn(local.urls[from]!, table, tenantId)).toBe(0);
    }
    expect(report).toMatchObject({ tenant: tenantId, to });
  });

  it('carries deletes made on the source during the copy (rollups rebuilt) to the target', async () => {
    const tenantId = 'deleting';
    const ledger = economy.tenant(tenantId).ledger;
    await ledger.transfer({ id: 'd0', from: 'faucet:test', to: 'user:1', amount: 3n, code: 'test.seed' });
    const from = (await store.placementOf(tenantId)).cluster;
    const to = CLUSTERS.find((c) => c !== from)!;
    expect(await rowsOn(local.urls[from]!, 'gm_rollups', tenantId)).toBeGreaterThan(0);
    const { moveTenant } = await import('../src/stores/postgres/index.js');
    await moveTenant(store, tenantId, to, {
      graceMs: 0,
      pageRows: 1,
      // After the first copy, the tenant's rollups are rebuilt as nothing on the source (a delete).
      onStep: async (step) => {
        if (step === 'catch-up') await store.replaceRollups(tenantId, []);
      },
    });
    expect(await rowsOn(local.urls[to]!, 'gm_rollups', tenantId)).toBe(0);
    expect(await rowsOn(local.urls[to]!, 'gm_transfers', tenantId)).toBe(1);
    expect(await ledger.balance('user:1')).toBe(3n);
  });

  it('copies a tenant page by page, and deletes made mid-move across the pages', async () => {
    const tenantId = 'paged';
    const t = economy.tenant(tenantId);
    await t.ledger.transferAll(
      Array.from({ length: 23 }, (_, i) => ({
        id: `p${i}`,
        from: 'faucet:test',
        to: `user:${i}`,
        amount: BigInt(i + 1),
        code: 'test.seed',
      })),
    );
    const from = (await store.placementOf(tenantId)).cluster;
    const to = CLUSTERS.find((c) => c !== from)!;
    const { moveTenant } = await import('../src/stores/postgres/index.js');
    await expectCode(moveTenant(store, tenantId, to, { pageRows: 0 }), ErrorCode.INVALID_INPUT);
    await expectCode(moveTenant(store, tenantId, to, { pageRows: 2.5 }), ErrorCode.INVALID_INPUT);
    expect(await store.directory.get(tenantId)).toMatchObject({ cluster: from, move: null });
    const source = new pg.Client({ connectionString: local.urls[from]! });
    await source.connect();
    let deleted = 0;
    try {
      await moveTenant(store, tenantId, to, {
        graceMs: 0,
        pageRows: 4,
        onStep: async (step) => {
          if (step !== 'catch-up' || deleted > 0) return;
          // A prune on the source after the first copy: every third rollup row, first and last pages included.
          const { rowCount } = await source.query(
            `DELETE FROM gm_rollups WHERE tenant_id = $1 AND ctid IN (SELECT ctid FROM (
               SELECT ctid, row_number() OVER (ORDER BY bucket, metric, key, slot) AS n FROM gm_rollups WHERE tenant_id = $1
             ) r WHERE n % 3 = 1)`,
            [tenantId],
          );
          deleted = rowCount ?? 0;
          // And writes: new rows land beyond the pages copied, and in the middle of them.
          await t.ledger.transfer({
            id: 'late',
            from: 'user:3',
            to: 'user:30',
            amount: 1n,
            code: 'test.late',
          });
        },
      });
    } finally {
      await source.end();
    }
    expect(deleted).toBeGreaterThan(4);
    expect(await store.directory.get(tenantId)).toMatchObject({ cluster: to, move: null });
    for (const table of ['gm_transfers', 'gm_balances', 'gm_flows', 'gm_rollups']) {
      expect(await rowsOn(local.urls[from]!, table, tenantId), table).toBe(0);
    }
    expect(await rowsOn(local.urls[to]!, 'gm_transfers', tenantId)).toBe(24);
    expect(await rowsOn(local.urls[to]!, 'gm_balances', tenantId)).toBe(25);
    expect(await t.ledger.verify()).toEqual({ ok: true, problems: [] });
    expect(await t.balance('3')).toBe(3n);
    expect(await t.balance('30')).toBe(1n);
    expect(await t.balance('22')).toBe(23n);
  });

  it('a writer with a stale directory cannot commit the tenant on the cluster it left', async () => {
    const tenantId = 'stale';
    const ledger = economy.tenant(tenantId).ledger;
    await ledger.transfer({ id: 's0', from: 'faucet:test', to: 'user:1', amount: 10n, code: 'test.seed' });
    const from = (await store.placementOf(tenantId)).cluster;
    const to = CLUSTERS.find((c) => c !== from)!;
    // A process that never hears of the move: the old cluster's store, straight.
    const stale = createEconomy({ storage: local.urls[from]! });
    await stale.migrate();
    // Routing stores whose notifications are suppressed: each believes it listens, and hears nothing.
    const deafStore = async () => {
      const watch = PlacementDirectory.prototype.watch;
      PlacementDirectory.prototype.watch = (_listener, live) => {
        live?.(true);
        return () => {};
      };
      const deafened = new ClusterStore({ clusters: local.urls });
      PlacementDirectory.prototype.watch = watch;
      expect((await deafened.placementOf(tenantId)).cluster).toBe(from);
      return deafened;
    };
    const deaf = await deafStore();
    const deafEconomy = createEconomy({ storage: deaf });
    const deafProfile = await deafStore();
    const deafWorker = await deafStore();
    const { moveTenant } = await import('../src/stores/postgres/index.js');
    await moveTenant(store, tenantId, to, { graceMs: 0 });
    await expectCode(
      stale
        .tenant(tenantId)
        .ledger.transfer({ id: 's1', from: 'faucet:test', to: 'user:1', amount: 7n, code: 'test.stale' }),
      ErrorCode.STORE_UNAVAILABLE,
    );
    // A freeze (a write outside the grouped path) is fenced too.
    await expectCode(stale.tenant(tenantId).freeze('1', { reason: 'stale' }), ErrorCode.STORE_UNAVAILABLE);
    expect(await rowsOn(local.urls[from]!, 'gm_transfers', tenantId)).toBe(0);
    expect(await rowsOn(local.urls[from]!, 'gm_balances', tenantId)).toBe(0);
    expect(await rowsOn(local.urls[from]!, 'gm_audit', tenantId)).toBe(0);
    await stale.close();
    // The deaf store's write meets the fence, reloads the placement, and lands on the new cluster.
    await deafEconomy
      .tenant(tenantId)
      .ledger.transfer({ id: 's2', from: 'faucet:test', to: 'user:1', amount: 1n, code: 'test.stale' });
    expect((await deaf.placementOf(tenantId)).cluster).toBe(to);
    await deafEconomy.close();
    expect(await rowsOn(local.urls[from]!, 'gm_transfers', tenantId)).toBe(0);
    // Writes outside the grouped path, and the webhook worker's cross-tenant bookkeeping, likewise.
    await deafProfile.recordMemberProfile(tenantId, { userId: '1', name: 'Stale', avatar: null }, new Date());
    const delivery = { tenant: tenantId, eventId: 'msg_stale', endpointId: 'ep_1' };
    await deafWorker.dispatchEvents([], [delivery], new Date());
    expect((await deafProfile.placementOf(tenantId)).cluster).toBe(to);
    expect((await deafWorker.placementOf(tenantId)).cluster).toBe(to);
    await Promise.all([deafProfile.close(), deafWorker.close()]);
    for (const table of ['gm_member_profiles', 'gm_webhook_deliveries']) {
      expect(await rowsOn(local.urls[from]!, table, tenantId), table).toBe(0);
      expect(await rowsOn(local.urls[to]!, table, tenantId), table).toBe(1);
    }
    // The same key through the directory lands once, on the new cluster.
    await ledger.transfer({ id: 's1', from: 'faucet:test', to: 'user:1', amount: 7n, code: 'test.stale' });
    expect(await ledger.balance('user:1')).toBe(18n);
    expect(await rowsOn(local.urls[to]!, 'gm_transfers', tenantId)).toBe(3);
    // Moving back: the old cluster's fence stays up through the copy and drops at the switch.
    await moveTenant(store, tenantId, from, { graceMs: 0 });
    await ledger.transfer({ id: 's3', from: 'faucet:test', to: 'user:1', amount: 2n, code: 'test.back' });
    expect(await ledger.balance('user:1')).toBe(20n);
    expect(await rowsOn(local.urls[from]!, 'gm_transfers', tenantId)).toBe(4);
    expect(await rowsOn(local.urls[to]!, 'gm_transfers', tenantId)).toBe(0);
    expect(await ledger.verify()).toEqual({ ok: true, problems: [] });
  });
});
