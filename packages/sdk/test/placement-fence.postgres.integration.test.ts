import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../src/index.js';
import { RollupMetric } from '../src/ledger/rollups.js';
import { isTenantFenced } from '../src/stores/postgres/fence.js';
import { PostgresStore } from '../src/stores/postgres/store.js';
import { expectCode } from './support/expect.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './support/services.js';

// Issue 13 §1: nothing written during a move is lost. Every write `PostgresStore` has is tried on a tenant
// fenced on this cluster (as a process with a stale directory would, after the move's last copy): each is
// refused whole with STORE_UNAVAILABLE (a `TenantFencedError`, which the routing store retries where the
// tenant now lives), and not one of the tenant's rows changed. The same calls on an unfenced tenant each
// change something, so the refusals are not of calls that would have written nothing anyway. The worker's
// claims and sweep pass over the fenced tenant's rows. A store method that nobody classified fails the test.

const FENCED = 'fenced';
const OPEN = 'open';

type Write = (store: PostgresStore, tenant: string, n: number) => Promise<unknown>;

/** Every tenant-scoped write of the store, with a call that changes the tenant's rows when unfenced. */
const WRITES: Record<string, Write> = {
  commit: (s, tenant, n) =>
    s.commit({
      tenant,
      batchId: null,
      transfers: [
        {
          id: `w${n}`,
          from: 'faucet:f',
          to: 'user:1',
          amount: 1n,
          code: 'faucet.f',
          metadata: null,
          reverses: null,
          forced: false,
        },
      ],
      events: [{ id: `msg_w${n}`, type: 'transfer.created', payload: '{}' }],
    }),
  setFrozen: (s, tenant, n) =>
    s.setFrozen(
      tenant,
      'user:1',
      n % 2 === 0,
      {
        id: `a${n}`,
        actor: 'test',
        action: 'freeze',
        target: 'user:1',
        reason: null,
        details: null,
        createdAt: new Date(),
      },
      { scope: 'once', key: `k${n}`, json: '{}' },
    ),
  putConfig: (s, tenant) => s.putConfig(tenant, '{}', 'test'),
  replaceRollups: (s, tenant, n) =>
    s.replaceRollups(tenant, [
      { bucket: n, metric: RollupMetric.minted, key: 'faucet:f', amount: BigInt(n), count: 1n },
    ]),
  recordMemberProfile: (s, tenant, n) =>
    s.recordMemberProfile(tenant, { userId: '1', name: `Name ${n}`, avatar: null }, new Date()),
  dispatchEvents: (s, tenant) =>
    s.dispatchEvents(
      [{ tenant, id: 'msg_2' }],
      [{ tenant, eventId: 'msg_2', endpointId: 'ep_1' }],
      new Date(),
    ),
  recordAttempts: (s, tenant, n) =>
    s.recordAttempts([
      {
        tenant,
        eventId: 'msg_1',
        endpointId: 'ep_1',
        attempt: n,
        at: new Date(),
        status: 500,
        durationMs: 5,
        error: 'refused',
        outcome: 'pending',
        step: 1,
        nextAttemptAt: new Date(),
      },
    ]),
  replayDeliveries: (s, tenant) => s.replayDeliveries(tenant, {}, new Date(Date.now() + 1_000)),
  cancelDeliveries: (s, tenant) => s.cancelDeliveries(tenant, 'ep_1'),
  recordEvents: (s, tenant, n) => s.recordEvents(tenant, n % 2 === 0),
};

/** Cross-tenant writes of the webhook worker that choose their rows: fenced tenants' rows are passed over. */
const CLAIMS = ['claimEvents', 'claimDeliveries', 'pruneOutbox'];
/** Calls that write nothing. */
const READS = [
  'balance',
  'findTransfers',
  'findBatch',
  'listTransfers',
  'findReversed',
  'audit',
  'listDeliveries',
  'listAttempts',
  'readStates',
  'scanState',
  'listAudit',
  'flows',
  'topBalances',
  'userBalances',
  'getConfig',
  'latestConfigVersion',
  'listConfigs',
  'isFrozen',
  'rankedMembers',
  'rankedMembersPage',
  'memberBalances',
  'memberCensus',
  'memberRank',
  'moneySupply',
  'readRollups',
  'readRollupPeriods',
  'readRollupCuts',
  'listMembers',
];
/** No tenant's rows: the schema, the connection's life, the config listener. */
const NOT_TENANT = ['constructor', 'migrate', 'close', 'watchConfigs'];
/** Private helpers, reached only through the methods above. */
const PRIVATE = ['commitGroup', 'fenced', 'recordMemberProfiles', 'write'];

describe.skipIf(!(await postgresAvailable()))('the fence refuses every write of a moved tenant', () => {
  let db: TestDatabase;
  let store: PostgresStore;
  let admin: pg.Client;

  /** A fingerprint of every row the tenant has in every gm_ table that has a tenant_id. */
  async function fingerprint(tenant: string): Promise<Record<string, string>> {
    const { rows: tables } = await admin.query<{ name: string }>(
      `SELECT c.table_name AS name FROM information_schema.columns c
       WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND c.table_name LIKE 'gm\\_%'
         AND c.table_name <> 'gm_fences' ORDER BY 1`,
    );
    const print: Record<string, string> = {};
    for (const { name } of tables) {
      const { rows } = await admin.query(
        `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h
         FROM ${name} t WHERE tenant_id = $1`,
        [tenant],
      );
      print[name] = `${rows[0].n}:${rows[0].h}`;
    }
    return print;
  }

  beforeAll(async () => {
    db = await createTestDatabase('fence');
    store = new PostgresStore({ url: db.url });
    await store.migrate();
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    // Each tenant: an event with a pending delivery (msg_1), one undispatched (msg_2), one dispatched
    // with nothing pending (msg_3, what the sweep prunes).
    for (const tenant of [FENCED, OPEN]) {
      await WRITES.commit!(store, tenant, 0);
      await admin.query(
        `INSERT INTO gm_outbox (tenant_id, id, type, payload, created_at)
         SELECT $1, id, 'test', '{}', now() - interval '1 day' FROM unnest(ARRAY['msg_1', 'msg_2', 'msg_3']) AS id`,
        [tenant],
      );
      await store.dispatchEvents(
        [
          { tenant, id: 'msg_1' },
          { tenant, id: 'msg_3' },
          { tenant, id: 'msg_w0' },
        ],
        [{ tenant, eventId: 'msg_1', endpointId: 'ep_1' }],
        new Date(Date.now() - 60_000),
      );
    }
    await admin.query('INSERT INTO gm_fences (tenant_id, epoch) VALUES ($1, 1)', [FENCED]);
  });

  afterAll(async () => {
    await admin?.end();
    await store?.close();
    await db?.drop();
  });

  it('every store method is classified: a new write cannot go unfenced unnoticed', () => {
    const methods = Object.getOwnPropertyNames(PostgresStore.prototype).filter(
      (n) => typeof (PostgresStore.prototype as unknown as Record<string, unknown>)[n] === 'function',
    );
    const known = [...Object.keys(WRITES), ...CLAIMS, ...READS, ...NOT_TENANT, ...PRIVATE];
    expect(methods.filter((m) => !known.includes(m)).sort()).toEqual([]);
    expect(known.filter((m) => !methods.includes(m)).sort()).toEqual([]);
  });

  it('each write on the fenced tenant is refused whole; the same write on an open tenant lands', async () => {
    const before = await fingerprint(FENCED);
    let n = 1;
    for (const [name, write] of Object.entries(WRITES)) {
      n += 1;
      const error = await expectCode(write(store, FENCED, n), ErrorCode.STORE_UNAVAILABLE);
      expect(isTenantFenced(error), name).toBe(true);
      const open = await fingerprint(OPEN);
      await write(store, OPEN, n);
      expect(await fingerprint(OPEN), `${name} changes an open tenant's rows`).not.toEqual(open);
    }
    // A write naming a fenced and an open tenant is refused whole too.
    const open = await fingerprint(OPEN);
    await expectCode(
      store.dispatchEvents(
        [
          { tenant: OPEN, id: 'msg_1' },
          { tenant: FENCED, id: 'msg_2' },
        ],
        [],
        new Date(),
      ),
      ErrorCode.STORE_UNAVAILABLE,
    );
    expect(await fingerprint(OPEN)).toEqual(open);
    expect(await fingerprint(FENCED)).toEqual(before);
  });

  it('profiles recorded at once share a transaction: the fenced tenant is refused, the open one lands', async () => {
    const fenced = await fingerprint(FENCED);
    const open = await fingerprint(OPEN);
    const [refused, landed] = await Promise.allSettled([
      store.recordMemberProfile(FENCED, { userId: '7', name: 'Fenced', avatar: null }, new Date()),
      store.recordMemberProfile(OPEN, { userId: '7', name: 'Open', avatar: null }, new Date()),
    ]);
    expect(refused.status === 'rejected' && isTenantFenced(refused.reason)).toBe(true);
    expect(landed).toEqual({ status: 'fulfilled', value: true });
    expect(await fingerprint(FENCED)).toEqual(fenced);
    expect(await fingerprint(OPEN)).not.toEqual(open);
  });

  it("the worker's claims and sweep pass over the fenced tenant's rows", async () => {
    const before = await fingerprint(FENCED);
    const now = new Date(Date.now() + 5_000);
    const lease = new Date(Date.now() + 60_000);
    const events = await store.claimEvents(100, now, lease);
    const deliveries = await store.claimDeliveries(100, now, lease);
    expect(events.map((e) => e.tenant)).not.toContain(FENCED);
    expect(deliveries.map((d) => d.tenant)).not.toContain(FENCED);
    expect(events.length + deliveries.length).toBeGreaterThan(0);
    expect(await store.pruneOutbox(new Date(Date.now() + 86_400_000), 100)).toBeGreaterThan(0);
    expect(await fingerprint(FENCED)).toEqual(before);
  });
});
