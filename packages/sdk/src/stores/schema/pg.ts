import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

// Every primary key and index leads with tenant_id, so the tables distribute by tenant (Citus).
// Kept in step with ./sqlite.ts by schema.test.ts.

export const transfers = pgTable(
  'gm_transfers',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    seq: bigint('seq', { mode: 'bigint' }).generatedAlwaysAsIdentity().notNull(),
    batchId: text('batch_id'),
    fromAccount: text('from_account').notNull(),
    toAccount: text('to_account').notNull(),
    amount: bigint('amount', { mode: 'bigint' }).notNull(),
    code: text('code').notNull(),
    metadata: text('metadata'),
    reverses: text('reverses'),
    forced: boolean('forced').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'gm_transfers_pk', columns: [t.tenantId, t.id] }),
    index('gm_transfers_seq_idx').on(t.tenantId, t.seq),
    index('gm_transfers_from_idx').on(t.tenantId, t.fromAccount, t.seq),
    index('gm_transfers_to_idx').on(t.tenantId, t.toAccount, t.seq),
    // Partial: most transfers have no batch, and an index of NULLs only costs writes.
    index('gm_transfers_batch_idx').on(t.tenantId, t.batchId).where(sql`${t.batchId} is not null`),
    uniqueIndex('gm_transfers_reverses_idx').on(t.tenantId, t.reverses).where(sql`${t.reverses} is not null`),
    check('gm_transfers_amount_positive', sql`${t.amount} > 0`),
  ],
);

/** Materialized balances. System accounts may spread over several slots so a hot faucet is not one locked row. */
export const balances = pgTable(
  'gm_balances',
  {
    tenantId: text('tenant_id').notNull(),
    account: text('account').notNull(),
    slot: smallint('slot').notNull().default(0),
    balance: bigint('balance', { mode: 'bigint' }).notNull().default(sql`0`),
    version: bigint('version', { mode: 'bigint' }).notNull().default(sql`0`),
    frozen: boolean('frozen').notNull().default(false),
    /** Last time money moved in or out: active-member counts read this, not the transfer history. */
    activeAt: timestamp('active_at', { withTimezone: true, mode: 'date' }),
    /**
     * On a member's wallet row: whether the member has a bank row (`user:<id>.bank`). The write path reads a
     * member's bank (for the holdings histogram) only when this says it exists, instead of probing for it.
     */
    hasBank: boolean('has_bank').notNull().default(false),
  },
  // No index on balance: it would change with every transfer and stop PostgreSQL's HOT updates (each
  // balance write would then insert into every index). Leaderboards sort one tenant's rows instead.
  (t) => [primaryKey({ name: 'gm_balances_pk', columns: [t.tenantId, t.account, t.slot] })],
);

/**
 * Per-tenant state that changes together with money: cooldowns, stock, inventories, streaks,
 * game rounds, seeds. Written only inside ledger transactions, guarded, versioned.
 */
export const state = pgTable(
  'gm_state',
  {
    tenantId: text('tenant_id').notNull(),
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    value: bigint('value', { mode: 'bigint' }).notNull().default(sql`0`),
    json: text('json'),
    version: bigint('version', { mode: 'bigint' }).notNull().default(sql`0`),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ name: 'gm_state_pk', columns: [t.tenantId, t.scope, t.key] })],
);

/** Daily flows of system accounts (and `users`: member-to-member volume), kept with each commit for stats. */
export const flows = pgTable(
  'gm_flows',
  {
    tenantId: text('tenant_id').notNull(),
    day: text('day').notNull(),
    account: text('account').notNull(),
    /** Spread like system balances, so concurrent transactions do not queue on one rollup row. */
    slot: smallint('slot').notNull().default(0),
    credit: bigint('credit', { mode: 'bigint' }).notNull().default(sql`0`),
    debit: bigint('debit', { mode: 'bigint' }).notNull().default(sql`0`),
    count: bigint('count', { mode: 'bigint' }).notNull().default(sql`0`),
  },
  (t) => [primaryKey({ name: 'gm_flows_pk', columns: [t.tenantId, t.day, t.account, t.slot] })],
);

/**
 * Analytics rollups, kept with each commit (see `ledger/rollups.ts`): per UTC hour (`bucket`, hours since
 * the epoch), a measure (`metric`) and what it is about (`key`: a source, game or item). Activity counts
 * use the hour their UTC day, week or month starts. Slots as in gm_flows.
 */
export const rollups = pgTable(
  'gm_rollups',
  {
    tenantId: text('tenant_id').notNull(),
    bucket: bigint('bucket', { mode: 'number' }).notNull(),
    metric: text('metric').notNull(),
    key: text('key').notNull(),
    slot: smallint('slot').notNull().default(0),
    amount: bigint('amount', { mode: 'bigint' }).notNull().default(sql`0`),
    count: bigint('count', { mode: 'bigint' }).notNull().default(sql`0`),
  },
  (t) => [primaryKey({ name: 'gm_rollups_pk', columns: [t.tenantId, t.bucket, t.metric, t.key, t.slot] })],
);

/** What Discord last said about a member (display name, avatar), so people are shown, not raw ids. */
export const memberProfiles = pgTable(
  'gm_member_profiles',
  {
    tenantId: text('tenant_id').notNull(),
    userId: text('user_id').notNull(),
    name: text('name').notNull(),
    /** Lower-cased name: what a search compares. */
    search: text('search').notNull(),
    avatar: text('avatar'),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ name: 'gm_member_profiles_pk', columns: [t.tenantId, t.userId] })],
);

/** Every admin action: who, what, why, when. Append-only. */
export const audit = pgTable(
  'gm_audit',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    seq: bigint('seq', { mode: 'bigint' }).generatedAlwaysAsIdentity().notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    target: text('target'),
    reason: text('reason'),
    details: text('details'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'gm_audit_pk', columns: [t.tenantId, t.id] }),
    index('gm_audit_seq_idx').on(t.tenantId, t.seq),
  ],
);

/** Every published economy config of a tenant, by version. */
export const configs = pgTable(
  'gm_configs',
  {
    tenantId: text('tenant_id').notNull(),
    version: bigint('version', { mode: 'number' }).notNull(),
    config: text('config').notNull(),
    actor: text('actor'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ name: 'gm_configs_pk', columns: [t.tenantId, t.version] })],
);

/**
 * Webhook events written in the same transaction as the money move they describe (the outbox), until
 * the delivery worker has fanned each out to the tenant's endpoints (`dispatched_at`). `lease_until`:
 * a worker that claimed the row and has not finished by then (killed, say) loses it to another.
 */
export const outbox = pgTable(
  'gm_outbox',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    type: text('type').notNull(),
    /** `{ type, timestamp, tenant, data }` as JSON, amounts as strings: the body every endpoint receives. */
    payload: text('payload').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    leaseUntil: timestamp('lease_until', { withTimezone: true, mode: 'date' }),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    primaryKey({ name: 'gm_outbox_pk', columns: [t.tenantId, t.id] }),
    index('gm_outbox_pending_idx').on(t.dispatchedAt, t.createdAt),
  ],
);

/** One event's delivery to one endpoint: its state now (the delivery log's row), retried on a schedule. */
export const webhookDeliveries = pgTable(
  'gm_webhook_deliveries',
  {
    tenantId: text('tenant_id').notNull(),
    eventId: text('event_id').notNull(),
    endpointId: text('endpoint_id').notNull(),
    /** pending, delivered, failed (retries exhausted), cancelled (endpoint disabled). */
    status: text('status').notNull(),
    /** Attempts made, replays included (numbers the attempt log). */
    attempts: bigint('attempts', { mode: 'number' }).notNull().default(0),
    /** Position in the retry schedule (a replay starts it again). */
    step: bigint('step', { mode: 'number' }).notNull().default(0),
    /** When it is due (pending), or when a worker's claim on it lapses (in flight). */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true, mode: 'date' }),
    lastStatus: bigint('last_status', { mode: 'number' }),
    lastDurationMs: bigint('last_duration_ms', { mode: 'number' }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'gm_webhook_deliveries_pk', columns: [t.tenantId, t.eventId, t.endpointId] }),
    index('gm_webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('gm_webhook_deliveries_endpoint_idx').on(t.tenantId, t.endpointId, t.createdAt),
  ],
);

/** Every attempt (the delivery log): when, the HTTP status or the error, how long it took. Append-only. */
export const webhookAttempts = pgTable(
  'gm_webhook_attempts',
  {
    tenantId: text('tenant_id').notNull(),
    eventId: text('event_id').notNull(),
    endpointId: text('endpoint_id').notNull(),
    attempt: bigint('attempt', { mode: 'number' }).notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    status: bigint('status', { mode: 'number' }),
    durationMs: bigint('duration_ms', { mode: 'number' }).notNull(),
    error: text('error'),
  },
  (t) => [
    primaryKey({ name: 'gm_webhook_attempts_pk', columns: [t.tenantId, t.eventId, t.endpointId, t.attempt] }),
  ],
);
