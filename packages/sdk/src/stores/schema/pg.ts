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
    index('gm_transfers_batch_idx').on(t.tenantId, t.batchId),
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
  },
  (t) => [primaryKey({ name: 'gm_balances_pk', columns: [t.tenantId, t.account, t.slot] })],
);
