import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// The libSQL twin of ./pg.ts (kept in step by schema.test.ts). Integers are 64-bit; times are ms since epoch;
// booleans are 0/1. `seq` is assigned by the store inside its write transaction (SQLite has one writer).

export const transfers = sqliteTable(
  'gm_transfers',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    seq: integer('seq').notNull(),
    batchId: text('batch_id'),
    fromAccount: text('from_account').notNull(),
    toAccount: text('to_account').notNull(),
    amount: integer('amount').notNull(),
    code: text('code').notNull(),
    metadata: text('metadata'),
    reverses: text('reverses'),
    forced: integer('forced').notNull().default(0),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'gm_transfers_pk', columns: [t.tenantId, t.id] }),
    uniqueIndex('gm_transfers_seq_idx').on(t.tenantId, t.seq),
    index('gm_transfers_from_idx').on(t.tenantId, t.fromAccount, t.seq),
    index('gm_transfers_to_idx').on(t.tenantId, t.toAccount, t.seq),
    // Partial: most transfers have no batch, and an index of NULLs only costs writes.
    index('gm_transfers_batch_idx').on(t.tenantId, t.batchId).where(sql`${t.batchId} is not null`),
    uniqueIndex('gm_transfers_reverses_idx').on(t.tenantId, t.reverses).where(sql`${t.reverses} is not null`),
    check('gm_transfers_amount_positive', sql`${t.amount} > 0`),
  ],
);

export const balances = sqliteTable(
  'gm_balances',
  {
    tenantId: text('tenant_id').notNull(),
    account: text('account').notNull(),
    slot: integer('slot').notNull().default(0),
    balance: integer('balance').notNull().default(0),
    version: integer('version').notNull().default(0),
    frozen: integer('frozen').notNull().default(0),
    activeAt: integer('active_at'),
    /** On a member's wallet row: whether the member has a bank row (see the PostgreSQL schema). */
    hasBank: integer('has_bank').notNull().default(0),
  },
  // No index on balance: it would change with every transfer and stop PostgreSQL's HOT updates (each
  // balance write would then insert into every index). Leaderboards sort one tenant's rows instead.
  (t) => [primaryKey({ name: 'gm_balances_pk', columns: [t.tenantId, t.account, t.slot] })],
);

export const state = sqliteTable(
  'gm_state',
  {
    tenantId: text('tenant_id').notNull(),
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    value: integer('value').notNull().default(0),
    json: text('json'),
    version: integer('version').notNull().default(0),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ name: 'gm_state_pk', columns: [t.tenantId, t.scope, t.key] })],
);

export const flows = sqliteTable(
  'gm_flows',
  {
    tenantId: text('tenant_id').notNull(),
    day: text('day').notNull(),
    account: text('account').notNull(),
    slot: integer('slot').notNull().default(0),
    credit: integer('credit').notNull().default(0),
    debit: integer('debit').notNull().default(0),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ name: 'gm_flows_pk', columns: [t.tenantId, t.day, t.account, t.slot] })],
);

export const rollups = sqliteTable(
  'gm_rollups',
  {
    tenantId: text('tenant_id').notNull(),
    bucket: integer('bucket').notNull(),
    metric: text('metric').notNull(),
    key: text('key').notNull(),
    slot: integer('slot').notNull().default(0),
    amount: integer('amount').notNull().default(0),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ name: 'gm_rollups_pk', columns: [t.tenantId, t.bucket, t.metric, t.key, t.slot] })],
);

export const memberProfiles = sqliteTable(
  'gm_member_profiles',
  {
    tenantId: text('tenant_id').notNull(),
    userId: text('user_id').notNull(),
    name: text('name').notNull(),
    search: text('search').notNull(),
    avatar: text('avatar'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ name: 'gm_member_profiles_pk', columns: [t.tenantId, t.userId] })],
);

export const audit = sqliteTable(
  'gm_audit',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    seq: integer('seq').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    target: text('target'),
    reason: text('reason'),
    details: text('details'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'gm_audit_pk', columns: [t.tenantId, t.id] }),
    uniqueIndex('gm_audit_seq_idx').on(t.tenantId, t.seq),
  ],
);

export const configs = sqliteTable(
  'gm_configs',
  {
    tenantId: text('tenant_id').notNull(),
    version: integer('version').notNull(),
    config: text('config').notNull(),
    actor: text('actor'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ name: 'gm_configs_pk', columns: [t.tenantId, t.version] })],
);

export const outbox = sqliteTable(
  'gm_outbox',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    type: text('type').notNull(),
    payload: text('payload').notNull(),
    createdAt: integer('created_at').notNull(),
    leaseUntil: integer('lease_until'),
    dispatchedAt: integer('dispatched_at'),
  },
  (t) => [
    primaryKey({ name: 'gm_outbox_pk', columns: [t.tenantId, t.id] }),
    index('gm_outbox_pending_idx').on(t.dispatchedAt, t.createdAt),
  ],
);

export const webhookDeliveries = sqliteTable(
  'gm_webhook_deliveries',
  {
    tenantId: text('tenant_id').notNull(),
    eventId: text('event_id').notNull(),
    endpointId: text('endpoint_id').notNull(),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    step: integer('step').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastAttemptAt: integer('last_attempt_at'),
    lastStatus: integer('last_status'),
    lastDurationMs: integer('last_duration_ms'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'gm_webhook_deliveries_pk', columns: [t.tenantId, t.eventId, t.endpointId] }),
    index('gm_webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('gm_webhook_deliveries_endpoint_idx').on(t.tenantId, t.endpointId, t.createdAt),
  ],
);

export const webhookAttempts = sqliteTable(
  'gm_webhook_attempts',
  {
    tenantId: text('tenant_id').notNull(),
    eventId: text('event_id').notNull(),
    endpointId: text('endpoint_id').notNull(),
    attempt: integer('attempt').notNull(),
    at: integer('at').notNull(),
    status: integer('status'),
    durationMs: integer('duration_ms').notNull(),
    error: text('error'),
  },
  (t) => [
    primaryKey({ name: 'gm_webhook_attempts_pk', columns: [t.tenantId, t.eventId, t.endpointId, t.attempt] }),
  ],
);
