import { DrizzleAdapter } from '@auth/drizzle-adapter';
import { and, asc, eq, inArray, notInArray } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Adapter } from 'next-auth/adapters';
import pg from 'pg';
import { MIGRATIONS_TABLE, pending } from './migrations';
import { postgresMigrations } from './migrations.generated';
import * as schema from './schema/pg';
import { toTenantRecord } from './tenant-record';
import type { PlatformStore } from './types';

/** Any number to key the advisory lock that serializes migrations across processes. */
const MIGRATION_LOCK = 7_410_335_021;

/** Platform tables in PostgreSQL (a pool; concurrency is the database's job). */
export class PostgresPlatformStore implements PlatformStore {
  readonly dialect = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly db: NodePgDatabase<typeof schema>;

  constructor(url: string, o: { max?: number } = {}) {
    this.pool = new pg.Pool({ connectionString: url, max: o.max ?? 5 });
    // An idle connection dropped by the server (restart, failover) must not crash the app: the pool
    // discards it and the next query reconnects.
    this.pool.on('error', () => {});
    this.db = drizzle(this.pool, { schema });
  }

  async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (tag TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
      );
      const { rows } = await client.query<{ tag: string }>(`SELECT tag FROM ${MIGRATIONS_TABLE}`);
      for (const migration of pending(postgresMigrations, new Set(rows.map((r) => r.tag)))) {
        for (const statement of migration.statements) await client.query(statement);
        await client.query(`INSERT INTO ${MIGRATIONS_TABLE} (tag) VALUES ($1)`, [migration.tag]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  authAdapter(): Adapter {
    return DrizzleAdapter(this.db, {
      usersTable: schema.users,
      accountsTable: schema.accounts,
      sessionsTable: schema.sessions,
      verificationTokensTable: schema.verificationTokens,
    });
  }

  async upsertUser(user: { id: string; name: string; image: string | null }): Promise<void> {
    await this.db
      .insert(schema.users)
      .values(user)
      .onConflictDoUpdate({ target: schema.users.id, set: { name: user.name, image: user.image } });
  }

  async user(id: string) {
    const [row] = await this.db
      .select({ id: schema.users.id, name: schema.users.name, image: schema.users.image })
      .from(schema.users)
      .where(eq(schema.users.id, id));
    return row ?? null;
  }

  async saveOAuthTokens(
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
    await this.db
      .insert(schema.accounts)
      .values({ userId, ...link, ...values })
      .onConflictDoUpdate({
        target: [schema.accounts.provider, schema.accounts.providerAccountId],
        set: { userId, ...values },
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
    return this.db.transaction(async (tx) => {
      const created = await tx
        .insert(schema.tenants)
        .values({ ...tenant, createdAt: at, updatedAt: at })
        .onConflictDoNothing()
        .returning({ id: schema.tenants.id });
      if (created.length === 0) return false;
      await tx.insert(schema.tenantAdmins).values({ tenantId: tenant.id, ...admin, grantedAt: at });
      return true;
    });
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

  async syncTenantAdmins(
    userId: string,
    managed: Parameters<PlatformStore['syncTenantAdmins']>[1],
    at: Date,
  ): Promise<void> {
    const ids = managed.map((m) => m.tenantId);
    await this.db.transaction(async (tx) => {
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
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
