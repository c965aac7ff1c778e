import { boolean, index, pgTable, timestamp as pgTimestamp, text } from 'drizzle-orm/pg-core';
import { tenants } from './pg';

// Webhook endpoints on PostgreSQL; the same table and columns as ./webhooks.sqlite.ts. The signing secret
// is kept as it is (a delivery signs with it): it is shown to the owner once, when made or rotated.

const timestamp = (name: string) => pgTimestamp(name, { mode: 'date', withTimezone: true });

export const webhookEndpoints = pgTable(
  'cp_webhook_endpoints',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    description: text('description').notNull(),
    /** Comma-separated event types; empty: every type. */
    eventTypes: text('event_types').notNull(),
    enabled: boolean('enabled').notNull(),
    secret: text('secret').notNull(),
    /** The secret before the last rotation: deliveries are signed with both until it expires. */
    previousSecret: text('previous_secret'),
    previousExpiresAt: timestamp('previous_expires_at'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at').notNull(),
    /** Since when every attempt has failed (null: the last one succeeded). */
    failingSince: timestamp('failing_since'),
    disabledAt: timestamp('disabled_at'),
    /** Why the platform disabled it (410 Gone, days of failure): what the owner is told. */
    disabledReason: text('disabled_reason'),
  },
  (t) => [index('cp_webhook_endpoints_tenant_idx').on(t.tenantId)],
);
