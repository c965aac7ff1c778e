import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { tenants } from './sqlite';

// Webhook endpoints on libSQL; the same table and columns as ./webhooks.pg.ts.

const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });

export const webhookEndpoints = sqliteTable(
  'cp_webhook_endpoints',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    description: text('description').notNull(),
    eventTypes: text('event_types').notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    secret: text('secret').notNull(),
    previousSecret: text('previous_secret'),
    previousExpiresAt: timestamp('previous_expires_at'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at').notNull(),
    failingSince: timestamp('failing_since'),
    disabledAt: timestamp('disabled_at'),
    disabledReason: text('disabled_reason'),
  },
  (t) => [index('cp_webhook_endpoints_tenant_idx').on(t.tenantId)],
);
