import { DrizzleAdapter } from '@auth/drizzle-adapter';
import { and, asc, eq, inArray, notInArray } from 'drizzle-orm';
import type { Adapter } from 'next-auth/adapters';
import { type DrizzleHandle, openDrizzleHandle } from './drizzle-handle';
import { migratePlatform } from './migrate';
import * as pgTables from './schema/pg';
import * as sqliteTables from './schema/sqlite';
import { toTenantRecord } from './tenant-record';
import type { PlatformStore } from './types';

type Tables = typeof pgTables;

/** The platform tables (users, tenants, who manages what), one implementation for libSQL and PostgreSQL (see DrizzleHandle). */
class DrizzlePlatformStore implements PlatformStore {
  readonly dialect: PlatformStore['dialect'];

  constructor(private readonly h: DrizzleHandle<Tables>) {
    this.dialect = h.raw.dialect;
  }

  migrate(): Promise<void> {
    return migratePlatform(this.h);
  }

  authAdapter(): Adapter {
    const { users, accounts, sessions, verificationTokens } = this.h.tables;
    const adapter = DrizzleAdapter(this.h.db, {
      usersTable: users,
      accountsTable: accounts,
      sessionsTable: sessions,
      verificationTokensTable: verificationTokens,
    });
    // Auth.js writes at sign-in; on libSQL its calls join the same write queue as everything else.
    const queued: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(adapter)) {
      queued[name] =
        typeof value === 'function'
          ? (...args: unknown[]) => this.h.write(() => Promise.resolve(value.apply(adapter, args)))
          : value;
    }
    return queued as Adapter;
  }

  upsertUser(user: { id: string; name: string; image: string | null }): Promise<void> {
    const { users } = this.h.tables;
    return this.h.write(async () => {
      await this.h.db
        .insert(users)
        .values(user)
        .onConflictDoUpdate({ target: users.id, set: { name: user.name, image: user.image } });
    });
  }

  user(id: string) {
    const { users } = this.h.tables;
    return this.h.read(async () => {
      const [row] = await this.h.db
        .select({ id: users.id, name: users.name, image: users.image })
        .from(users)
        .where(eq(users.id, id));
      return row ?? null;
    });
  }

  saveOAuthTokens(
    userId: string,
    link: { provider: string; providerAccountId: string; type: 'oauth' | 'oidc' },
    tokens: Parameters<PlatformStore['saveOAuthTokens']>[2],
  ): Promise<void> {
    const { accounts } = this.h.tables;
    const values = {
      access_token: tokens.accessToken,
      refresh_token: tokens.refreshToken,
      expires_at: tokens.expiresAt,
      scope: tokens.scope,
      token_type: tokens.tokenType,
    };
    return this.h.write(async () => {
      await this.h.db
        .insert(accounts)
        .values({ userId, ...link, ...values })
        .onConflictDoUpdate({
          target: [accounts.provider, accounts.providerAccountId],
          set: { userId, ...values },
        });
    });
  }

  oauthLink(userId: string, provider: string) {
    const { accounts } = this.h.tables;
    return this.h.read(async () => {
      const [row] = await this.h.db
        .select()
        .from(accounts)
        .where(and(eq(accounts.userId, userId), eq(accounts.provider, provider)));
      if (!row) return null;
      return {
        providerAccountId: row.providerAccountId,
        accessToken: row.access_token,
        refreshToken: row.refresh_token,
        expiresAt: row.expires_at,
      };
    });
  }

  createTenant(
    tenant: Parameters<PlatformStore['createTenant']>[0],
    admin: Parameters<PlatformStore['createTenant']>[1],
    at: Date,
  ): Promise<boolean> {
    const { tenants, tenantAdmins } = this.h.tables;
    return this.h.write(() =>
      this.h.db.transaction(async (tx) => {
        const created = await tx
          .insert(tenants)
          .values({ ...tenant, createdAt: at, updatedAt: at })
          .onConflictDoNothing()
          .returning({ id: tenants.id });
        if (created.length === 0) return false;
        await tx.insert(tenantAdmins).values({ tenantId: tenant.id, ...admin, grantedAt: at });
        return true;
      }),
    );
  }

  tenant(id: string) {
    const { tenants } = this.h.tables;
    return this.h.read(async () => {
      const [row] = await this.h.db.select().from(tenants).where(eq(tenants.id, id));
      return row ? toTenantRecord(row) : null;
    });
  }

  tenants(ids: readonly string[]) {
    const { tenants } = this.h.tables;
    if (ids.length === 0) return Promise.resolve([]);
    return this.h.read(async () => {
      const rows = await this.h.db
        .select()
        .from(tenants)
        .where(inArray(tenants.id, [...ids]));
      return rows.map(toTenantRecord);
    });
  }

  tenantsOf(userId: string) {
    const { tenants, tenantAdmins } = this.h.tables;
    return this.h.read(async () => {
      const rows = await this.h.db
        .select({ tenant: tenants, role: tenantAdmins.role })
        .from(tenantAdmins)
        .innerJoin(tenants, eq(tenants.id, tenantAdmins.tenantId))
        .where(eq(tenantAdmins.userId, userId))
        .orderBy(asc(tenants.createdAt), asc(tenants.id));
      return rows.map((row) => ({ ...toTenantRecord(row.tenant), role: row.role }));
    });
  }

  syncTenantAdmins(
    userId: string,
    managed: Parameters<PlatformStore['syncTenantAdmins']>[1],
    at: Date,
  ): Promise<void> {
    const { tenants, tenantAdmins } = this.h.tables;
    const ids = managed.map((m) => m.tenantId);
    return this.h.write(() =>
      this.h.db.transaction(async (tx) => {
        const mine = eq(tenantAdmins.userId, userId);
        await tx
          .delete(tenantAdmins)
          .where(ids.length ? and(mine, notInArray(tenantAdmins.tenantId, ids)) : mine);
        if (ids.length === 0) return;
        const existing = new Set(
          (await tx.select({ id: tenants.id }).from(tenants).where(inArray(tenants.id, ids))).map(
            (row) => row.id,
          ),
        );
        for (const { tenantId, role } of managed) {
          if (!existing.has(tenantId)) continue;
          await tx
            .insert(tenantAdmins)
            .values({ tenantId, userId, role, grantedAt: at })
            .onConflictDoUpdate({ target: [tenantAdmins.tenantId, tenantAdmins.userId], set: { role } });
        }
      }),
    );
  }

  close(): Promise<void> {
    return this.h.close();
  }
}

/** Opens the platform tables: `postgres://…` on PostgreSQL, `file:…` on libSQL (its folder is created). */
export function openPlatformStore(url: string): PlatformStore {
  return new DrizzlePlatformStore(
    openDrizzleHandle(url, { pg: pgTables, sqlite: sqliteTables }, { what: 'the platform tables' }),
  );
}
