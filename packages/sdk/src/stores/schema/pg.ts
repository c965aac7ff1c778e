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
