import type pg from 'pg';
import {
  type AttemptRecord,
  attemptFromRow,
  type ClaimedDelivery,
  type ClaimedEvent,
  claimedDeliveryFromRow,
  claimedEventsFromRows,
  type DeliveryKey,
  type DeliveryQuery,
  type DeliveryRow,
  deliveryFromRow,
  eventsRecorded,
  type LoggedAttempt,
  type ReplayQuery,
  setEventSwitch,
} from '../outbox.js';
import type { Query } from './connection.js';
import { notFenced } from './fence.js';

// The outbox calls (stores/outbox.ts) on PostgreSQL. Claims lock the rows they lease with FOR UPDATE
// SKIP LOCKED, so workers in several processes never wait on each other nor take the same row. Claims and
// the sweep pass over rows of tenants fenced here (moved away, or in a move's pause): this cluster's copy
// of them is no longer the tenant's, and no write may land on it.

// Index-ordered and LIMITed whatever the backlog (EXPLAIN ANALYZE, 200 of 50,000 pending, 100,000 settled):
// - `ORDER BY dispatched_at, created_at` (dispatched_at is NULL in every row read) is gm_outbox_pending_idx's
//   order. PostgreSQL does not take `IS NULL` as fixing the column, so `ORDER BY created_at, id` sorted every
//   undispatched event first (an external merge sort, 204 ms); now the scan stops after the batch (0.3 ms), and
//   `id` orders the events of one group commit (one created_at) by an incremental sort of that group alone.
// - The leased rows are found again by their ctid (with tenant_id and id, so a row is one shard's on Citus and
//   never another's): joined on the primary key alone, the planner hashed a sequential scan of the whole
//   outbox, settled log included, whenever it was small enough (40,000 rows: 20-60 ms, against 1 ms this way).
const CLAIM_EVENTS = `UPDATE gm_outbox o SET lease_until = $3
  FROM (SELECT tenant_id, id, ctid AS row FROM gm_outbox e WHERE dispatched_at IS NULL AND (lease_until IS NULL OR lease_until <= $2)
          AND ${notFenced('e')}
        ORDER BY dispatched_at, created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED) c
  WHERE o.ctid = c.row AND o.tenant_id = c.tenant_id AND o.id = c.id
  RETURNING o.tenant_id, o.id, o.type, o.payload, o.created_at`;
const DISPATCH = `WITH deliveries AS (
    INSERT INTO gm_webhook_deliveries (tenant_id, event_id, endpoint_id, status, next_attempt_at, created_at)
    SELECT t, e, p, 'pending', $5, $5 FROM unnest($3::text[], $4::text[], $6::text[]) AS d(t, e, p)
    ON CONFLICT DO NOTHING
  )
  UPDATE gm_outbox SET dispatched_at = $5, lease_until = NULL
  WHERE (tenant_id, id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`;
// The leased rows found again by ctid, as in CLAIM_EVENTS (a hashed sequential scan of every delivery
// otherwise: 83 ms at 20,000 pending, batch 200, against 16 ms).
const CLAIM_DELIVERIES = `WITH c AS (
    SELECT tenant_id, event_id, endpoint_id, ctid AS row FROM gm_webhook_deliveries w
    WHERE status = 'pending' AND next_attempt_at <= $2 AND ${notFenced('w')} ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED
  ), leased AS (
    UPDATE gm_webhook_deliveries d SET next_attempt_at = $3 FROM c
    WHERE d.ctid = c.row AND d.tenant_id = c.tenant_id AND d.event_id = c.event_id AND d.endpoint_id = c.endpoint_id
    RETURNING d.tenant_id, d.event_id, d.endpoint_id, d.attempts, d.step
  )
  SELECT l.*, o.type, o.payload FROM leased l JOIN gm_outbox o ON o.tenant_id = l.tenant_id AND o.id = l.event_id`;
// `(d.status = 'pending') IS TRUE` (status is NOT NULL, so the same test) keeps the status index out of the
// join: with a plain `d.status = 'pending'` the planner hashes every pending delivery for each batch
// (EXPLAIN ANALYZE at 20,000 pending, batch 500: 92 ms, 47 of them in the join); this way each attempt is
// one primary-key look-up (26 ms, 3 in the join), whatever the backlog.
const RECORD_ATTEMPTS = `WITH a AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::timestamptz[], $6::bigint[],
                         $7::bigint[], $8::text[], $9::text[], $10::bigint[], $11::timestamptz[])
      AS a(t, e, p, n, at, status, ms, error, outcome, step, next)
  ), log AS (
    INSERT INTO gm_webhook_attempts (tenant_id, event_id, endpoint_id, attempt, at, status, duration_ms, error)
    SELECT t, e, p, n, at, status, ms, error FROM a ON CONFLICT DO NOTHING
  )
  UPDATE gm_webhook_deliveries d SET status = a.outcome, attempts = a.n, step = a.step, next_attempt_at = a.next,
    last_attempt_at = a.at, last_status = a.status, last_duration_ms = a.ms, last_error = a.error
  FROM a WHERE d.tenant_id = a.t AND d.event_id = a.e AND d.endpoint_id = a.p AND (d.status = 'pending') IS TRUE`;

const SET_EVENT_SWITCH = setEventSwitch((i) => `$${i}`);

export async function recordEvents(q: Query, tenant: string, on: boolean, now: Date): Promise<void> {
  await q(SET_EVENT_SWITCH, [tenant, on ? 1 : 0, now]);
}

export async function claimEvents(
  q: Query,
  limit: number,
  now: Date,
  leaseUntil: Date,
): Promise<ClaimedEvent[]> {
  return claimedEventsFromRows(await q(CLAIM_EVENTS, [limit, now, leaseUntil]));
}

export async function dispatchEvents(
  q: Query,
  events: readonly { tenant: string; id: string }[],
  deliveries: readonly DeliveryKey[],
  now: Date,
): Promise<void> {
  await q(DISPATCH, [
    events.map((e) => e.tenant),
    events.map((e) => e.id),
    deliveries.map((d) => d.tenant),
    deliveries.map((d) => d.eventId),
    now,
    deliveries.map((d) => d.endpointId),
  ]);
}

export async function claimDeliveries(
  q: Query,
  limit: number,
  now: Date,
  leaseUntil: Date,
): Promise<ClaimedDelivery[]> {
  return (await q(CLAIM_DELIVERIES, [limit, now, leaseUntil])).map(claimedDeliveryFromRow);
}

export async function recordAttempts(q: Query, attempts: readonly AttemptRecord[]): Promise<void> {
  if (attempts.length === 0) return;
  await q(RECORD_ATTEMPTS, [
    attempts.map((a) => a.tenant),
    attempts.map((a) => a.eventId),
    attempts.map((a) => a.endpointId),
    attempts.map((a) => a.attempt),
    attempts.map((a) => a.at),
    attempts.map((a) => a.status),
    attempts.map((a) => a.durationMs),
    attempts.map((a) => a.error),
    attempts.map((a) => a.outcome),
    attempts.map((a) => a.step),
    attempts.map((a) => a.nextAttemptAt),
  ]);
}

export async function listDeliveries(q: Query, tenant: string, query: DeliveryQuery): Promise<DeliveryRow[]> {
  const rows = await q(
    `SELECT d.*, o.type FROM gm_webhook_deliveries d JOIN gm_outbox o ON o.tenant_id = d.tenant_id AND o.id = d.event_id
     WHERE d.tenant_id = $1 AND ($2::text IS NULL OR d.endpoint_id = $2) AND ($3::text IS NULL OR d.event_id = $3)
       AND o.created_at >= $4
     ORDER BY d.created_at DESC, d.event_id DESC LIMIT $5`,
    [tenant, query.endpointId ?? null, query.eventId ?? null, query.since ?? new Date(0), query.limit],
  );
  return rows.map(deliveryFromRow);
}

export async function listAttempts(
  q: Query,
  tenant: string,
  eventId: string,
  endpointId: string,
): Promise<LoggedAttempt[]> {
  const rows = await q(
    'SELECT * FROM gm_webhook_attempts WHERE tenant_id = $1 AND event_id = $2 AND endpoint_id = $3 ORDER BY attempt',
    [tenant, eventId, endpointId],
  );
  return rows.map(attemptFromRow);
}

export async function replayDeliveries(
  q: Query,
  tenant: string,
  query: ReplayQuery,
  now: Date,
): Promise<number> {
  const rows = await q(
    `UPDATE gm_webhook_deliveries SET status = 'pending', step = 0, next_attempt_at = $2
     WHERE tenant_id = $1 AND status <> 'cancelled' AND ($3::text IS NULL OR endpoint_id = $3)
       AND ($4::text IS NULL OR event_id = $4)
       AND event_id IN (SELECT id FROM gm_outbox WHERE tenant_id = $1 AND created_at >= $5)
     RETURNING 1`,
    [tenant, now, query.endpointId ?? null, query.eventId ?? null, query.since ?? new Date(0)],
  );
  return rows.length;
}

export async function cancelDeliveries(q: Query, tenant: string, endpointId: string): Promise<number> {
  const rows = await q(
    `UPDATE gm_webhook_deliveries SET status = 'cancelled'
     WHERE tenant_id = $1 AND endpoint_id = $2 AND status = 'pending' RETURNING 1`,
    [tenant, endpointId],
  );
  return rows.length;
}

const PRUNE = `WITH old AS (
    SELECT tenant_id, id FROM gm_outbox o WHERE dispatched_at IS NOT NULL AND created_at < $1 AND ${notFenced('o')}
      AND NOT EXISTS (SELECT 1 FROM gm_webhook_deliveries d
                      WHERE d.tenant_id = o.tenant_id AND d.event_id = o.id AND d.status = 'pending')
    LIMIT $2 FOR UPDATE SKIP LOCKED
  ), attempts AS (
    DELETE FROM gm_webhook_attempts a USING old WHERE a.tenant_id = old.tenant_id AND a.event_id = old.id
  ), deliveries AS (
    DELETE FROM gm_webhook_deliveries d USING old WHERE d.tenant_id = old.tenant_id AND d.event_id = old.id
  )
  DELETE FROM gm_outbox o USING old WHERE o.tenant_id = old.tenant_id AND o.id = old.id RETURNING 1`;

export async function pruneOutbox(q: Query, before: Date, limit: number): Promise<number> {
  return (await q(PRUNE, [before, limit])).length;
}

/** Outbox rows for a write made outside a group (a freeze), in the caller's transaction. */
export async function insertOutbox(
  client: pg.PoolClient,
  tenant: string,
  events: ReadonlyArray<{ id: string; type: string; payload: string }>,
  at: Date,
): Promise<void> {
  if (events.length === 0) return;
  await client.query(
    `INSERT INTO gm_outbox (tenant_id, id, type, payload, created_at)
     SELECT $1, i, t, p, $5 FROM unnest($2::text[], $3::text[], $4::text[]) AS o(i, t, p)
     WHERE ${eventsRecorded('$1')}`,
    [tenant, events.map((e) => e.id), events.map((e) => e.type), events.map((e) => e.payload), at],
  );
}
