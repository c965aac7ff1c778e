import { index, integer, pgTable, timestamp as pgTimestamp, primaryKey, text } from 'drizzle-orm/pg-core';

// Platform tables on PostgreSQL: the same tables and columns as ./sqlite.ts (see the notes there).

const timestamp = (name: string) => pgTimestamp(name, { mode: 'date', withTimezone: true });

export const users = pgTable('cp_users', {
  id: text('id')
    .primaryKey()
    .$defaultFn(() => crypto.randomUUID()),
  name: text('name'),
  email: text('email').unique(),
  emailVerified: timestamp('email_verified'),
  image: text('image'),
});

export const accounts = pgTable(
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
    // integer: the Auth.js adapter's column type (seconds; fits until 2038, like the adapter's default).
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

export const sessions = pgTable('cp_sessions', {
  sessionToken: text('session_token').primaryKey(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  expires: timestamp('expires').notNull(),
});

export const verificationTokens = pgTable(
  'cp_verification_tokens',
  {
    identifier: text('identifier').notNull(),
    token: text('token').notNull(),
    expires: timestamp('expires').notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);

export const tenants = pgTable(
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

export const tenantAdmins = pgTable(
  'cp_tenant_admins',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').$type<'owner' | 'manager'>().notNull(),
    grantedAt: timestamp('granted_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId] }), index('cp_tenant_admins_user_idx').on(t.userId)],
);
