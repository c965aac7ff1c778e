import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { apiKeys } from '../db/schema/api-keys.pg';
import { toRecord, toRow } from './row';
import type { ApiKeyRecord, ApiKeyStore } from './store';

/** API keys in the platform's PostgreSQL database, on a small pool of their own. */
export class PostgresApiKeyStore implements ApiKeyStore {
  private readonly pool: pg.Pool;
  private readonly db: NodePgDatabase;

  constructor(url: string, o: { max?: number } = {}) {
    this.pool = new pg.Pool({ connectionString: url, max: o.max ?? 5 });
    // An idle connection dropped by the server must not crash the app: the next query reconnects.
    this.pool.on('error', () => {});
    this.db = drizzle(this.pool);
  }

  async insert(key: ApiKeyRecord): Promise<void> {
    await this.db.insert(apiKeys).values(toRow(key));
  }

  async byHash(hash: string) {
    const [row] = await this.db.select().from(apiKeys).where(eq(apiKeys.hash, hash));
    return row ? toRecord(row) : null;
  }

  async byPrefix(prefix: string) {
    const [row] = await this.db.select().from(apiKeys).where(eq(apiKeys.prefix, prefix));
    return row ? toRecord(row) : null;
  }

  async list(tenantId: string) {
    const rows = await this.db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.tenantId, tenantId))
      .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
    return rows.map(toRecord);
  }

  async revoke(tenantId: string, id: string, at: Date): Promise<boolean> {
    const done = await this.db
      .update(apiKeys)
      .set({ revokedAt: at })
      .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    return done.length > 0;
  }

  rotate(tenantId: string, id: string, replacement: ApiKeyRecord, at: Date): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // The conditional update locks the row: two rotations at once replace it once.
      const done = await tx
        .update(apiKeys)
        .set({ revokedAt: at, replacedBy: replacement.id })
        .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
        .returning({ id: apiKeys.id });
      if (done.length === 0) return false;
      await tx.insert(apiKeys).values(toRow(replacement));
      return true;
    });
  }

  async touch(id: string, at: Date, staleBefore: Date): Promise<void> {
    await this.db
      .update(apiKeys)
      .set({ lastUsedAt: at })
      .where(and(eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, staleBefore))));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
