// The webhook outbox as the stores keep it (tables gm_outbox, gm_webhook_deliveries, gm_webhook_attempts):
// events written with the money moves, fanned out into one delivery per endpoint, each attempt logged.
// The delivery worker (`webhooks/worker.ts`) is the only caller; claims are leases, so a worker killed
// mid-delivery loses nothing: its rows come due again when the lease lapses.

import { invalidInput } from '../errors.js';
import { assertTenantId } from '../tenant-id.js';
import { instant, type Row } from './row-codecs.js';

/** An outbox event not yet fanned out, leased to the worker that claimed it. */
export interface ClaimedEvent {
  tenant: string;
  id: string;
  type: string;
  payload: string;
  createdAt: Date;
}

/** One event to deliver to one endpoint. */
export interface DeliveryKey {
  tenant: string;
  eventId: string;
  endpointId: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';

/** A due delivery, leased to the worker that claimed it, with what to send. */
export interface ClaimedDelivery extends DeliveryKey {
  type: string;
  payload: string;
  /** Attempts made so far (this one is `attempts + 1`). */
  attempts: number;
  /** Position in the retry schedule. */
  step: number;
}

/** What one attempt found, and what happens next. */
export interface AttemptRecord extends DeliveryKey {
  attempt: number;
  at: Date;
  /** The HTTP status, or null when no answer came (refused, timed out, blocked). */
  status: number | null;
  durationMs: number;
  error: string | null;
  /** pending (retried at `nextAttemptAt`), delivered, failed (no retries left) or cancelled. */
  outcome: DeliveryStatus;
  nextAttemptAt: Date;
  step: number;
}

/** An attempt as the log keeps it. */
export type LoggedAttempt = Omit<AttemptRecord, 'outcome' | 'nextAttemptAt' | 'step'>;

/** A delivery as the log shows it. */
export interface DeliveryRow extends DeliveryKey {
  type: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastAttemptAt: Date | null;
  lastStatus: number | null;
  lastDurationMs: number | null;
  lastError: string | null;
  createdAt: Date;
}

export interface DeliveryQuery {
  endpointId?: string;
  eventId?: string;
  /** Deliveries of events created at or after this time. */
  since?: Date;
  limit: number;
}

/** Which deliveries a replay sends again: one event's, or everything since a time (of one endpoint, or all). */
export interface ReplayQuery {
  eventId?: string;
  since?: Date;
  endpointId?: string;
}

/**
 * The tenant's event switch: a `gm_state` row, value 0 when its moves write no events (no row: they do).
 * `recordEvents` writes it (`setEventSwitch`); every outbox insert checks it (`eventsRecorded`).
 */
const EVENT_SWITCH = { scope: 'webhooks', key: 'events' } as const;

/** The switch's upsert, with the dialect's placeholders: tenant, 1 or 0, and the time. */
export function setEventSwitch(param: (i: number) => string): string {
  return `INSERT INTO gm_state (tenant_id, scope, key, value, version, updated_at)
    VALUES (${param(1)}, '${EVENT_SWITCH.scope}', '${EVENT_SWITCH.key}', ${param(2)}, 1, ${param(3)})
    ON CONFLICT (tenant_id, scope, key) DO UPDATE SET value = excluded.value, version = gm_state.version + 1,
      updated_at = excluded.updated_at`;
}

/** `recordEvents`' arguments, checked: TENANT_INVALID or INVALID_INPUT before anything is written. */
export function assertEventSwitch(tenant: unknown, on: unknown): asserts tenant is string {
  assertTenantId(tenant);
  if (typeof on !== 'boolean') throw invalidInput('on', 'must be true or false');
}

/**
 * The condition every outbox insert adds for its row's tenant (`tenantColumn`, a SQL expression): the
 * tenant's switch is not off. Inside the insert's own statement, so a move that commits after
 * `recordEvents(tenant, true)` returned writes its events; one probe of gm_state's primary key per row.
 */
export function eventsRecorded(tenantColumn: string): string {
  return `NOT EXISTS (SELECT 1 FROM gm_state sw WHERE sw.tenant_id = ${tenantColumn}
    AND sw.scope = '${EVENT_SWITCH.scope}' AND sw.key = '${EVENT_SWITCH.key}' AND sw.value = 0)`;
}

/** The outbox calls of a store (both stores implement them; the worker and the control plane call them). */
export interface OutboxStore {
  /**
   * Whether the tenant's moves write their webhook events (default: they do). Turn it off for a tenant with
   * no endpoint: its events would be fanned out to no one and pruned, at the cost of a row per move (a
   * tenth to a fifth of a game round's work). Turn it on before its first endpoint is saved: every move that starts
   * after this resolves writes its events.
   */
  recordEvents(tenant: string, on: boolean): Promise<void>;
  /** Up to `limit` events not yet fanned out and not leased to another worker, oldest first, leased until `leaseUntil`. */
  claimEvents(limit: number, now: Date, leaseUntil: Date): Promise<ClaimedEvent[]>;
  /**
   * Create the deliveries (those that exist already are kept as they are) and mark the events fanned
   * out, in one transaction: a worker killed before it commits leaves the events to be claimed again.
   */
  dispatchEvents(
    events: readonly { tenant: string; id: string }[],
    deliveries: readonly DeliveryKey[],
    now: Date,
  ): Promise<void>;
  /** Up to `limit` pending deliveries due at `now`, leased until `leaseUntil` (PostgreSQL: SKIP LOCKED). */
  claimDeliveries(limit: number, now: Date, leaseUntil: Date): Promise<ClaimedDelivery[]>;
  /** Log attempts and move their deliveries on, in one transaction. */
  recordAttempts(attempts: readonly AttemptRecord[]): Promise<void>;
  /** A tenant's deliveries, newest first. */
  listDeliveries(tenant: string, query: DeliveryQuery): Promise<DeliveryRow[]>;
  /** Every attempt of one delivery, oldest first. */
  listAttempts(tenant: string, eventId: string, endpointId: string): Promise<LoggedAttempt[]>;
  /** Send deliveries again from the start of the schedule, due now; returns how many. */
  replayDeliveries(tenant: string, query: ReplayQuery, now: Date): Promise<number>;
  /** Cancel an endpoint's pending deliveries (it was disabled or deleted); returns how many. */
  cancelDeliveries(tenant: string, endpointId: string): Promise<number>;
  /**
   * Forget up to `limit` events created before `before` that are fanned out and have nothing pending,
   * with their deliveries and attempt log (the retention of the log and of replays); returns how many.
   */
  pruneOutbox(before: Date, limit: number): Promise<number>;
}

// Row codecs shared by both stores (times are Dates on PostgreSQL, milliseconds on libSQL).

export function claimedEventsFromRows(rows: readonly Row[]): ClaimedEvent[] {
  return rows
    .map((r) => ({
      tenant: String(r.tenant_id),
      id: String(r.id),
      type: String(r.type),
      payload: String(r.payload),
      createdAt: instant(r.created_at),
    }))
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
}

export function claimedDeliveryFromRow(r: Row): ClaimedDelivery {
  return {
    tenant: String(r.tenant_id),
    eventId: String(r.event_id),
    endpointId: String(r.endpoint_id),
    type: String(r.type),
    payload: String(r.payload),
    attempts: Number(r.attempts),
    step: Number(r.step),
  };
}

export function attemptFromRow(r: Row): LoggedAttempt {
  return {
    tenant: String(r.tenant_id),
    eventId: String(r.event_id),
    endpointId: String(r.endpoint_id),
    attempt: Number(r.attempt),
    at: instant(r.at),
    status: optionalNumber(r.status),
    durationMs: Number(r.duration_ms),
    error: r.error == null ? null : String(r.error),
  };
}

export function deliveryFromRow(r: Row): DeliveryRow {
  return {
    tenant: String(r.tenant_id),
    eventId: String(r.event_id),
    endpointId: String(r.endpoint_id),
    type: String(r.type),
    status: String(r.status) as DeliveryStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: instant(r.next_attempt_at),
    lastAttemptAt: r.last_attempt_at == null ? null : instant(r.last_attempt_at),
    lastStatus: optionalNumber(r.last_status),
    lastDurationMs: optionalNumber(r.last_duration_ms),
    lastError: r.last_error == null ? null : String(r.last_error),
    createdAt: instant(r.created_at),
  };
}

function optionalNumber(value: unknown): number | null {
  return value == null ? null : Number(value);
}
