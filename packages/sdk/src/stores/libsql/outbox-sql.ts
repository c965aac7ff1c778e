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
  type LoggedAttempt,
  type ReplayQuery,
  setEventSwitch,
} from '../outbox.js';
import type { Row } from '../row-codecs.js';
import type { Statement } from './connection.js';
import { jsonRows } from './json-rows.js';

// The outbox calls (stores/outbox.ts) on the libSQL write connection, each inside the writer's
// transaction: one writer per file, so a claim needs no row locks, only its lease.

type Prepare = (sql: string) => Statement;

const CLAIM_EVENTS = `UPDATE gm_outbox SET lease_until = ?3
  WHERE rowid IN (SELECT rowid FROM gm_outbox WHERE dispatched_at IS NULL AND (lease_until IS NULL OR lease_until <= ?2)
    ORDER BY created_at, id LIMIT ?1)
  RETURNING tenant_id, id, type, payload, created_at`;
const INSERT_DELIVERIES = `INSERT INTO gm_webhook_deliveries (tenant_id, event_id, endpoint_id, status, next_attempt_at, created_at)
  SELECT value ->> 0, value ->> 1, value ->> 2, 'pending', ?2, ?2 FROM json_each(?1) WHERE true
  ON CONFLICT DO NOTHING`;
const MARK_DISPATCHED = `UPDATE gm_outbox SET dispatched_at = ?2, lease_until = NULL
  WHERE (tenant_id, id) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?1))`;
const CLAIM_DELIVERIES = `UPDATE gm_webhook_deliveries SET next_attempt_at = ?3
  WHERE rowid IN (SELECT rowid FROM gm_webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?2
    ORDER BY next_attempt_at LIMIT ?1)
  RETURNING tenant_id, event_id, endpoint_id, attempts, step,
    (SELECT type FROM gm_outbox o WHERE o.tenant_id = gm_webhook_deliveries.tenant_id AND o.id = event_id) AS type,
    (SELECT payload FROM gm_outbox o WHERE o.tenant_id = gm_webhook_deliveries.tenant_id AND o.id = event_id) AS payload`;
const INSERT_ATTEMPTS = `INSERT INTO gm_webhook_attempts (tenant_id, event_id, endpoint_id, attempt, at, status, duration_ms, error)
  SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7
  FROM json_each(?) WHERE true ON CONFLICT DO NOTHING`;
// `+status`: without the plus SQLite walks every pending delivery (the status index) for each attempt in
// the batch (pending × batch rows: 70% of a drain's CPU at 3,000 pending); with it, one primary-key look-up
// per attempt.
const SETTLE_DELIVERIES = `UPDATE gm_webhook_deliveries SET status = j.value ->> 4, attempts = j.value ->> 3,
    step = j.value ->> 5, next_attempt_at = j.value ->> 6, last_attempt_at = j.value ->> 7, last_status = j.value ->> 8,
    last_duration_ms = j.value ->> 9, last_error = j.value ->> 10
  FROM json_each(?) j
  WHERE tenant_id = j.value ->> 0 AND event_id = j.value ->> 1 AND endpoint_id = j.value ->> 2 AND +status = 'pending'`;

const SET_EVENT_SWITCH = setEventSwitch((i) => `?${i}`);

export function recordEvents(stmt: Prepare, tenant: string, on: boolean, now: Date): void {
  stmt(SET_EVENT_SWITCH).run(tenant, on ? 1 : 0, now.getTime());
}

export function claimEvents(stmt: Prepare, limit: number, now: Date, leaseUntil: Date): ClaimedEvent[] {
  return claimedEventsFromRows(stmt(CLAIM_EVENTS).all(limit, now.getTime(), leaseUntil.getTime()) as Row[]);
}

export function dispatchEvents(
  stmt: Prepare,
  events: readonly { tenant: string; id: string }[],
  deliveries: readonly DeliveryKey[],
  now: Date,
): void {
  if (deliveries.length > 0) {
    stmt(INSERT_DELIVERIES).run(
      jsonRows(deliveries.map((d) => [d.tenant, d.eventId, d.endpointId])),
      now.getTime(),
    );
  }
  if (events.length > 0)
    stmt(MARK_DISPATCHED).run(jsonRows(events.map((e) => [e.tenant, e.id])), now.getTime());
}

export function claimDeliveries(
  stmt: Prepare,
  limit: number,
  now: Date,
  leaseUntil: Date,
): ClaimedDelivery[] {
  const rows = stmt(CLAIM_DELIVERIES).all(limit, now.getTime(), leaseUntil.getTime()) as Row[];
  return rows.map(claimedDeliveryFromRow);
}

export function recordAttempts(stmt: Prepare, attempts: readonly AttemptRecord[]): void {
  if (attempts.length === 0) return;
  stmt(INSERT_ATTEMPTS).run(
    jsonRows(
      attempts.map((a) => [
        a.tenant,
        a.eventId,
        a.endpointId,
        a.attempt,
        a.at.getTime(),
        a.status,
        a.durationMs,
        a.error,
      ]),
    ),
  );
  stmt(SETTLE_DELIVERIES).run(
    jsonRows(
      attempts.map((a) => [
        a.tenant,
        a.eventId,
        a.endpointId,
        a.attempt,
        a.outcome,
        a.step,
        a.nextAttemptAt.getTime(),
        a.at.getTime(),
        a.status,
        a.durationMs,
        a.error,
      ]),
    ),
  );
}

export function listDeliveries(stmt: Prepare, tenant: string, q: DeliveryQuery): DeliveryRow[] {
  const rows = stmt(
    `SELECT d.*, o.type FROM gm_webhook_deliveries d JOIN gm_outbox o ON o.tenant_id = d.tenant_id AND o.id = d.event_id
     WHERE d.tenant_id = :tenant AND (:endpoint IS NULL OR d.endpoint_id = :endpoint)
       AND (:event IS NULL OR d.event_id = :event) AND o.created_at >= :since
     ORDER BY d.created_at DESC, d.event_id DESC LIMIT :limit`,
  ).all({
    tenant,
    endpoint: q.endpointId ?? null,
    event: q.eventId ?? null,
    since: q.since?.getTime() ?? 0,
    limit: q.limit,
  }) as Row[];
  return rows.map(deliveryFromRow);
}

export function listAttempts(
  stmt: Prepare,
  tenant: string,
  eventId: string,
  endpointId: string,
): LoggedAttempt[] {
  const rows = stmt(
    'SELECT * FROM gm_webhook_attempts WHERE tenant_id = ? AND event_id = ? AND endpoint_id = ? ORDER BY attempt',
  ).all(tenant, eventId, endpointId) as Row[];
  return rows.map(attemptFromRow);
}

export function replayDeliveries(stmt: Prepare, tenant: string, q: ReplayQuery, now: Date): number {
  return stmt(
    `UPDATE gm_webhook_deliveries SET status = 'pending', step = 0, next_attempt_at = :now
     WHERE tenant_id = :tenant AND status <> 'cancelled' AND (:endpoint IS NULL OR endpoint_id = :endpoint)
       AND (:event IS NULL OR event_id = :event)
       AND event_id IN (SELECT id FROM gm_outbox WHERE tenant_id = :tenant AND created_at >= :since)`,
  ).run({
    tenant,
    now: now.getTime(),
    endpoint: q.endpointId ?? null,
    event: q.eventId ?? null,
    since: q.since?.getTime() ?? 0,
  }).changes;
}

const SETTLED_BEFORE = `SELECT tenant_id, id FROM gm_outbox o WHERE dispatched_at IS NOT NULL AND created_at < ?1
  AND NOT EXISTS (SELECT 1 FROM gm_webhook_deliveries d WHERE d.tenant_id = o.tenant_id AND d.event_id = o.id AND d.status = 'pending')
  LIMIT ?2`;

export function pruneOutbox(stmt: Prepare, before: Date, limit: number): number {
  const rows = stmt(SETTLED_BEFORE).all(before.getTime(), limit) as Row[];
  if (rows.length === 0) return 0;
  const keys = jsonRows(rows.map((r) => [String(r.tenant_id), String(r.id)]));
  for (const [table, column] of [
    ['gm_webhook_attempts', 'event_id'],
    ['gm_webhook_deliveries', 'event_id'],
    ['gm_outbox', 'id'],
  ] as const) {
    stmt(
      `DELETE FROM ${table} WHERE (tenant_id, ${column}) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))`,
    ).run(keys);
  }
  return rows.length;
}

export function cancelDeliveries(stmt: Prepare, tenant: string, endpointId: string): number {
  return stmt(
    `UPDATE gm_webhook_deliveries SET status = 'cancelled' WHERE tenant_id = ? AND endpoint_id = ? AND status = 'pending'`,
  ).run(tenant, endpointId).changes;
}
