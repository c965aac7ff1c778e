import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DrizzleAdapter } from '@auth/drizzle-adapter';
import { type Client, createClient } from '@libsql/client';
import { and, asc, eq, inArray, notInArray } from 'drizzle-orm';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import type { Adapter } from 'next-auth/adapters';
import { MIGRATIONS_TABLE, pending } from './migrations';
import { sqliteMigrations } from './migrations.generated';
import * as schema from './schema/sqlite';
import { toTenantRecord } from './tenant-record';
import type { PlatformStore } from './types';

/**
 * Platform tables in a libSQL file. SQLite has one writer: two write transactions at once on one
 * client fail at once with SQLITE_BUSY, so writes go through an in-process queue; the busy timeout
 * covers another process holding the lock.
 */
export class LibsqlPlatformStore implements PlatformStore {
  readonly dialect = 'sqlite' as const;
  private readonly client: Client;
  private readonly db: LibSQLDatabase<typeof schema>;
  private tail: Promise<unknown> = Promise.resolve();
  private ready: Promise<void> | undefined;

  constructor(url: string) {
    if (url.startsWith('file:')) mkdirSync(dirname(url.slice('file:'.length)), { recursive: true });
    this.client = createClient({ url });
    this.db = drizzle(this.client, { schema });
  }

  /** Runs `work` after every earlier write has finished. */
  private write<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async pragmas(): Promise<void> {
    this.ready ??= (async () => {
      await this.client.execute('PRAGMA busy_timeout = 5000');
      await this.client.execute('PRAGMA journal_mode = WAL');
      await this.client.execute('PRAGMA foreign_keys = ON');
    })();
    await this.ready;
  }

  migrate(): Promise<void> {
    return this.write(async () => {
      await this.pragmas();
      const tx = await this.client.transaction('write');
      try {
        await tx.execute(
          `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (tag TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`,
        );
        const rows = await tx.execute(`SELECT tag FROM ${MIGRATIONS_TABLE}`);
        const applied = new Set(rows.rows.map((row) => String(row.tag)));
        for (const migration of pending(sqliteMigrations, applied)) {
          for (const statement of migration.statements) await tx.execute(statement);
          await tx.execute({
            sql: `INSERT INTO ${MIGRATIONS_TABLE} (tag, applied_at) VALUES (?, ?)`,
            args: [migration.tag, Date.now()],
          });
        }
        await tx.commit();
      } finally {
        tx.close();
      }
    });
  }

  authAdapter(): Adapter {
    const adapter = DrizzleAdapter(this.db, {
      usersTable: schema.users,
      accountsTable: schema.accounts,
      sessionsTable: schema.sessions,
      verificationTokensTable: schema.verificationTokens,
    });
    // Auth.js writes at sign-in; its calls join the same write queue as everything else.
    const queued: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(adapter)) {
      queued[name] =
        typeof value === 'function'
          ? (...args: unknown[]) => this.write(() => Promise.resolve(value.apply(adapter, args)))
          : value;
    }
    return queued as Adapter;
  }

  upsertUser(user: { id: string; name: string; image: string | null }): Promise<void> {
    return this.write(async () => {
      await this.db
        .insert(schema.users)
        .values(user)
        .onConflictDoUpdate({ target: schema.users.id, set: { name: user.name, image: user.image } });
    });
  }

  async user(id: string) {
    const [row] = await this.db
      .select({ id: schema.users.id, name: schema.users.name, image: schema.users.image })
      .from(schema.users)
      .where(eq(schema.users.id, id));
    return row ?? null;
  }

  saveOAuthTokens(
    userId: string,
    link: { provider: string; providerAccountId: string; type: 'oauth' | 'oidc' },
    tokens: Parameters<PlatformStore['saveOAuthTokens']>[2],
  ): Promise<void> {
    const values = {
      access_token: tokens.accessToken,
      refresh_token: tokens.refreshToken,
      expires_at: tokens.expiresAt,
      scope: tokens.scope,
      token_type: tokens.tokenType,
    };
    return this.write(async () => {
      await this.db
        .insert(schema.accounts)
        .values({ userId, ...link, ...values })
        .onConflictDoUpdate({
          target: [schema.accounts.provider, schema.accounts.providerAccountId],
          set: { userId, ...values },
        });
    });
  }

  async oauthLink(userId: string, provider: string) {
    const [row] = await this.db
      .select()
      .from(schema.accounts)
      .where(and(eq(schema.accounts.userId, userId), eq(schema.accounts.provider, provider)));
    if (!row) return null;
    return {
      providerAccountId: row.providerAccountId,
      accessToken: row.access_token,
      refreshToken: row.refresh_token,
      expiresAt: row.expires_at,
    };
  }

  createTenant(
    tenant: Parameters<PlatformStore['createTenant']>[0],
    admin: Parameters<PlatformStore['createTenant']>[1],
    at: Date,
  ): Promise<boolean> {
    return this.write(() =>
      this.db.transaction(async (tx) => {
        const created = await tx
          .insert(schema.tenants)
          .values({ ...tenant, createdAt: at, updatedAt: at })
          .onConflictDoNothing()
          .returning({ id: schema.tenants.id });
        if (created.length === 0) return false;
        await tx.insert(schema.tenantAdmins).values({ tenantId: tenant.id, ...admin, grantedAt: at });
        return true;
      }),
    );
  }

  async tenant(id: string) {
    const [row] = await this.db.select().from(schema.tenants).where(eq(schema.tenants.id, id));
    return row ? toTenantRecord(row) : null;
  }

  async tenants(ids: readonly string[]) {
    if (ids.length === 0) return [];
    const rows = await this.db
      .select()
      .from(schema.tenants)
      .where(inArray(schema.tenants.id, [...ids]));
    return rows.map(toTenantRecord);
  }

  async tenantsOf(userId: string) {
    const rows = await this.db
      .select({ tenant: schema.tenants, role: schema.tenantAdmins.role })
      .from(schema.tenantAdmins)
      .innerJoin(schema.tenants, eq(schema.tenants.id, schema.tenantAdmins.tenantId))
      .where(eq(schema.tenantAdmins.userId, userId))
      .orderBy(asc(schema.tenants.createdAt), asc(schema.tenants.id));
    return rows.map((row) => ({ ...toTenantRecord(row.tenant), role: row.role }));
  }

  syncTenantAdmins(
    userId: string,
    managed: Parameters<PlatformStore['syncTenantAdmins']>[1],
    at: Date,
  ): Promise<void> {
    const ids = managed.map((m) => m.tenantId);
    return this.write(() =>
      this.db.transaction(async (tx) => {
        const mine = eq(schema.tenantAdmins.userId, userId);
        await tx
          .delete(schema.tenantAdmins)
          .where(ids.length ? and(mine, notInArray(schema.tenantAdmins.tenantId, ids)) : mine);
        if (ids.length === 0) return;
        const existing = new Set(
          (
            await tx
              .select({ id: schema.tenants.id })
              .from(schema.tenants)
              .where(inArray(schema.tenants.id, ids))
          ).map((row) => row.id),
        );
        for (const { tenantId, role } of managed) {
          if (!existing.has(tenantId)) continue;
          await tx
            .insert(schema.tenantAdmins)
            .values({ tenantId, userId, role, grantedAt: at })
            .onConflictDoUpdate({
              target: [schema.tenantAdmins.tenantId, schema.tenantAdmins.userId],
              set: { role },
            });
        }
      }),
    );
  }

  async close(): Promise<void> {
    await this.tail;
    this.client.close();
  }
}
