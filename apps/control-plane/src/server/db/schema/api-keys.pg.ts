import { index, pgTable, timestamp as pgTimestamp, text } from 'drizzle-orm/pg-core';
import { tenants } from './pg';

// API keys on PostgreSQL; the same table and columns as ./api-keys.sqlite.ts. The key itself is never stored:
// only its SHA-256 (looked up on every request) and a short display prefix (shown in lists, named by
// `guildmint keys revoke <prefix>`).

const timestamp = (name: string) => pgTimestamp(name, { mode: 'date', withTimezone: true });

export const apiKeys = pgTable(
  'cp_api_keys',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    mode: text('mode').$type<'live' | 'test'>().notNull(),
    prefix: text('prefix').notNull().unique(),
    hash: text('hash').notNull().unique(),
    /** Comma-separated, in the canonical order of SCOPES. */
    scopes: text('scopes').notNull(),
    /** A user id, or `cli` for the operator CLI. */
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at').notNull(),
    expiresAt: timestamp('expires_at'),
    lastUsedAt: timestamp('last_used_at'),
    revokedAt: timestamp('revoked_at'),
    /** The key that replaced this one when it was rotated. */
    replacedBy: text('replaced_by'),
  },
  (t) => [index('cp_api_keys_tenant_idx').on(t.tenantId)],
);
