import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { tenants } from './sqlite';

// Currency packs on libSQL; the same tables and columns as ./packs.pg.ts. A guild's Stripe Connect account
// (its status as last re-read from Stripe), the packs its owner sells, and one order per Checkout link given
// to a member: the webhook finds the order by the session id Stripe sends (never by metadata alone), and the
// per-member daily limit counts orders. Coins are bigint minor units as decimal text.

const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });

export const connectAccounts = sqliteTable('cp_connect_accounts', {
  tenantId: text('tenant_id')
    .primaryKey()
    .references(() => tenants.id, { onDelete: 'cascade' }),
  accountId: text('account_id').notNull().unique(),
  status: text('status').$type<'pending' | 'enabled' | 'restricted'>().notNull(),
  updatedAt: timestamp('updated_at').notNull(),
});

export const packs = sqliteTable(
  'cp_packs',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    unitAmount: integer('unit_amount').notNull(),
    currency: text('currency').notNull(),
    coins: text('coins').notNull(),
    perMemberPerDay: integer('per_member_per_day').notNull(),
    createdAt: timestamp('created_at').notNull(),
    archivedAt: timestamp('archived_at'),
  },
  (t) => [index('cp_packs_tenant_idx').on(t.tenantId)],
);

export const packOrders = sqliteTable(
  'cp_pack_orders',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    memberId: text('member_id').notNull(),
    packId: text('pack_id').notNull(),
    coins: text('coins').notNull(),
    unitAmount: integer('unit_amount').notNull(),
    currency: text('currency').notNull(),
    accountId: text('account_id').notNull(),
    sessionId: text('session_id').unique(),
    paymentIntentId: text('payment_intent_id').unique(),
    status: text('status').$type<'creating' | 'open' | 'paid' | 'failed' | 'expired'>().notNull(),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [index('cp_pack_orders_member_idx').on(t.tenantId, t.memberId, t.createdAt)],
);
