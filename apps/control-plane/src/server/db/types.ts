import type { PresetName } from '@guildmint/sdk';
import type { Adapter } from 'next-auth/adapters';

export type AdminRole = 'owner' | 'manager';

export interface TenantRecord {
  id: string;
  guildId: string;
  name: string;
  ownerUserId: string | null;
  preset: PresetName;
  createdAt: Date;
}

/** What the app keeps of a user's OAuth link; tokens stay on the server. */
export interface OAuthLink {
  providerAccountId: string;
  accessToken: string | null;
  refreshToken: string | null;
  /** Seconds since the epoch, as OAuth reports it. */
  expiresAt: number | null;
}

export interface OAuthTokens {
  accessToken: string | null;
  refreshToken: string | null;
  expiresAt: number | null;
  scope: string | null;
  tokenType: string | null;
}

/**
 * The control plane's own tables (users, tenants, who manages what), on libSQL or PostgreSQL.
 * One drizzle implementation for both dialects (platform-store.ts), one shared test suite (platform-store.suite.ts).
 */
export interface PlatformStore {
  readonly dialect: 'sqlite' | 'postgres';
  /** Apply drizzle-kit's migrations; safe to call any number of times, from several processes. */
  migrate(): Promise<void>;
  /** The Auth.js Drizzle adapter, given this store's tables explicitly. */
  authAdapter(): Adapter;
  /** Create or rename a user that does not come through the adapter (the development login). */
  upsertUser(user: { id: string; name: string; image: string | null }): Promise<void>;
  user(id: string): Promise<{ id: string; name: string | null; image: string | null } | null>;
  /** Store the newest tokens of a user's provider account (creating the link if needed). */
  saveOAuthTokens(
    userId: string,
    link: { provider: string; providerAccountId: string; type: 'oauth' | 'oidc' },
    tokens: OAuthTokens,
  ): Promise<void>;
  oauthLink(userId: string, provider: string): Promise<OAuthLink | null>;
  /** Creates the tenant and makes `admin` its first admin, atomically; false if the id is taken. */
  createTenant(
    tenant: Omit<TenantRecord, 'createdAt'>,
    admin: { userId: string; role: AdminRole },
    at: Date,
  ): Promise<boolean>;
  tenant(id: string): Promise<TenantRecord | null>;
  tenants(ids: readonly string[]): Promise<TenantRecord[]>;
  /** The tenants a user may manage, with their role, oldest first. */
  tenantsOf(userId: string): Promise<Array<TenantRecord & { role: AdminRole }>>;
  /**
   * Make the user's admin rows match what Discord says they manage: rows for the given tenants
   * (those that exist) are written, every other row of theirs is removed.
   */
  syncTenantAdmins(
    userId: string,
    managed: ReadonlyArray<{ tenantId: string; role: AdminRole }>,
    at: Date,
  ): Promise<void>;
  close(): Promise<void>;
}
