import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// Platform tables on libSQL. Kept in step with ./pg.ts by schema.test.ts: same tables, same columns.
// The economy itself (ledger, config versions, audit log) lives in the SDK's gm_* tables; nothing
// here duplicates it. Every table is prefixed `cp_` so both share one database without clashing.
//
// Growth without reshaping: billing adds cp_plans, cp_billing_customers (tenant_id → Stripe customer)
// and cp_subscriptions (tenant_id, plan, status, period) that reference cp_tenants.id; analytics adds
// cp_rollups_daily keyed (tenant_id, day, metric). None needs a column on the tables below.

const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });

/** Auth.js users (Drizzle adapter shape). */
export const users = sqliteTable('cp_users', {
  id: text('id')
    .primaryKey()
    .$defaultFn(() => crypto.randomUUID()),
  name: text('name'),
  email: text('email').unique(),
  emailVerified: timestamp('email_verified'),
  image: text('image'),
});

/** Auth.js accounts: the Discord link, with its tokens (server-side only, never sent to the browser). */
export const accounts = sqliteTable(
  'cp_accounts',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: text('type').$type<'oauth' | 'oidc' | 'email' | 'webauthn'>().notNull(),
    provider: text('provider').notNull(),
    providerAccountId: text('provider_account_id').notNull(),
    refresh_token: text('refresh_token'),
    access_token: text('access_token'),
    expires_at: integer('expires_at'),
    token_type: text('token_type'),
    scope: text('scope'),
    id_token: text('id_token'),
    session_state: text('session_state'),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.providerAccountId] }),
    index('cp_accounts_user_idx').on(t.userId),
  ],
);

/** Auth.js database sessions (the app signs sessions as JWTs today; the adapter expects the table). */
export const sessions = sqliteTable('cp_sessions', {
  sessionToken: text('session_token').primaryKey(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  expires: timestamp('expires').notNull(),
});

export const verificationTokens = sqliteTable(
  'cp_verification_tokens',
  {
    identifier: text('identifier').notNull(),
    token: text('token').notNull(),
    expires: timestamp('expires').notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);

/** One economy, onboarded from one Discord guild. `id` is the SDK tenant id (today: the guild id). */
export const tenants = sqliteTable(
  'cp_tenants',
  {
    id: text('id').primaryKey(),
    guildId: text('guild_id').notNull().unique(),
    name: text('name').notNull(),
    ownerUserId: text('owner_user_id').references(() => users.id, { onDelete: 'set null' }),
    preset: text('preset').notNull(),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [index('cp_tenants_owner_idx').on(t.ownerUserId)],
);

/**
 * Who may manage which tenant. Rows follow Discord: written when a user creates a tenant and
 * re-synced from their MANAGE_GUILD guilds whenever they load their guild list.
 */
export const tenantAdmins = sqliteTable(
  'cp_tenant_admins',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** `owner`: owns the guild on Discord (billing decisions later); `manager`: MANAGE_GUILD. */
    role: text('role').$type<'owner' | 'manager'>().notNull(),
    grantedAt: timestamp('granted_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId] }), index('cp_tenant_admins_user_idx').on(t.userId)],
);
