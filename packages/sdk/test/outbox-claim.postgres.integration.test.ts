import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimDeliveries, claimEvents } from '../src/stores/postgres/outbox.js';
import { PostgresStore } from '../src/stores/postgres/store.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './support/services.js';

// The worker's claims must read their index in order and stop after the batch, however long the backlog:
// a claim that sorts every undispatched event first (an external merge sort of 50,000 rows: 204 ms), or
// finds the rows it leased again by a sequential scan of the table, grows with it. Checked on the real
// plans (EXPLAIN ANALYZE) of the statements the store sends.

const PENDING = 20_000;
const PER_COMMIT = 50; // events of one group commit share a created_at
const BATCH = 200;

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Actual Rows': number;
  Plans?: PlanNode[];
}
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

describe.skipIf(!(await postgresAvailable()))('claiming outbox events (PostgreSQL)', () => {
  let db: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase('outbox_claim');
    const store = new PostgresStore({ url: db.url });
    await store.migrate();
    await store.close();
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    // A settled log (dispatched events kept for their retention) and a backlog of undispatched ones.
    await client.query(
      `INSERT INTO gm_outbox (tenant_id, id, type, payload, created_at, dispatched_at)
       SELECT 't' || (g % 100), 'msg_d' || g, 'member.paid', '{}', timestamptz '2026-01-01' + (g / $2) * interval '1 ms',
              timestamptz '2026-01-02'
       FROM generate_series(1, $1::int) g`,
      [PENDING, PER_COMMIT],
    );
    await client.query(
      `INSERT INTO gm_outbox (tenant_id, id, type, payload, created_at)
       SELECT 't' || (g % 100), 'msg_p' || lpad(g::text, 6, '0'), 'member.paid', '{}',
              timestamptz '2026-01-03' + (g / $2) * interval '1 ms'
       FROM generate_series(1, $1::int) g`,
      [PENDING, PER_COMMIT],
    );
    await client.query('ANALYZE gm_outbox');
  }, 120_000);

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  /** A Query that records the plan of the statement it runs (EXPLAIN ANALYZE, rolled back), then runs it. */
  function explaining() {
    const seen = { plan: undefined as PlanNode | undefined, ms: 0 };
    const query = async (sql: string, params: unknown[]) => {
      await client.query('BEGIN');
      const explain = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
      await client.query('ROLLBACK');
      seen.plan = explain.rows[0]['QUERY PLAN'][0].Plan as PlanNode;
      seen.ms = explain.rows[0]['QUERY PLAN'][0]['Execution Time'] as number;
      return (await client.query(sql, params)).rows;
    };
    return { query, seen };
  }

  /** The plan's nodes, printed; none sorts or scans a whole table. */
  function assertBounded(what: string, seen: { plan: PlanNode | undefined; ms: number }): PlanNode[] {
    const all = nodes(seen.plan!);
    console.info(
      `${what} of ${BATCH} at ${PENDING} pending, ${seen.ms.toFixed(1)} ms: ${all.map((n) => `${n['Node Type']} (${n['Actual Rows']} rows)`).join(' → ')}`,
    );
    // gm_fences holds a row per tenant in a move, a handful at most: scanning it whole is the cheap way to read it.
    const whole = all.filter(
      (n) =>
        n['Node Type'] === 'Sort' || (n['Node Type'] === 'Seq Scan' && n['Relation Name'] !== 'gm_fences'),
    );
    expect(whole).toEqual([]);
    return all;
  }

  it(`reads about one batch of the pending index, sorts nothing else, and leases the oldest ${BATCH}`, async () => {
    const { query, seen } = explaining();
    const now = new Date('2026-02-01T00:00:00Z');
    const claimed = await claimEvents(query, BATCH, now, new Date(now.getTime() + 60_000));

    const all = assertBounded('claimEvents', seen);
    const pendingScan = all.find((n) => n['Index Name'] === 'gm_outbox_pending_idx');
    expect(pendingScan?.['Node Type']).toBe('Index Scan');
    // The batch, plus at most the rest of the last commit's group (its ties are ordered by id).
    expect(pendingScan!['Actual Rows']).toBeLessThanOrEqual(BATCH + PER_COMMIT);

    // Oldest first: the first BATCH pending ids (created_at, then id), leased; nothing dispatched taken.
    const expected = Array.from({ length: BATCH }, (_, i) => `msg_p${String(i + 1).padStart(6, '0')}`);
    expect(claimed.map((e) => e.id)).toEqual(expected);
    const leased = await client.query(
      'SELECT id FROM gm_outbox WHERE lease_until IS NOT NULL ORDER BY created_at, id',
    );
    expect(leased.rows.map((r) => r.id)).toEqual(expected);
  });

  it(`claims due deliveries the same way: ${BATCH} of ${PENDING}, each found again by its row`, async () => {
    await client.query(
      `INSERT INTO gm_webhook_deliveries (tenant_id, event_id, endpoint_id, status, next_attempt_at, created_at)
       SELECT 't' || (g % 100), 'msg_d' || g, 'ep_1', 'pending', timestamptz '2026-01-02' + g * interval '1 ms',
              timestamptz '2026-01-02'
       FROM generate_series(1, $1::int) g`,
      [PENDING],
    );
    await client.query('ANALYZE gm_webhook_deliveries');
    const { query, seen } = explaining();
    const now = new Date('2026-02-01T00:00:00Z');
    const claimed = await claimDeliveries(query, BATCH, now, new Date(now.getTime() + 60_000));
    const all = assertBounded('claimDeliveries', seen);
    const due = all.find((n) => n['Index Name'] === 'gm_webhook_deliveries_due_idx');
    expect(due?.['Actual Rows']).toBeLessThanOrEqual(BATCH);
    // The soonest due first: one delivery per settled event, each due a millisecond after the one before.
    const expected = Array.from({ length: BATCH }, (_, i) => `msg_d${i + 1}`).sort();
    expect(claimed.map((d) => d.eventId).sort()).toEqual(expected);
    const leased = await client.query(
      `SELECT event_id FROM gm_webhook_deliveries WHERE next_attempt_at > $1 ORDER BY event_id`,
      [now],
    );
    expect(leased.rows.map((r) => r.event_id)).toEqual(expected);
  });
});
