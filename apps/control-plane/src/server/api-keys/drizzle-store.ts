import { and, desc, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import { type DrizzleHandle, openDrizzleHandle } from '../db/drizzle-handle';
import * as pgTables from '../db/schema/api-keys.pg';
import * as sqliteTables from '../db/schema/api-keys.sqlite';
import { toRecord, toRow } from './row';
import type { ApiKeyRecord, ApiKeyStore } from './store';

type Tables = Pick<typeof pgTables, 'apiKeys'>;

/**
 * API keys in the platform database, on a connection of their own, one implementation for libSQL and
 * PostgreSQL (see DrizzleHandle). On libSQL, SQLite's busy timeout orders its writes with the platform store's.
 */
class DrizzleApiKeyStore implements ApiKeyStore {
  constructor(private readonly h: DrizzleHandle<Tables>) {}

  insert(key: ApiKeyRecord): Promise<void> {
    return this.h.write(async () => {
      await this.h.db.insert(this.h.tables.apiKeys).values(toRow(key));
    });
  }

  async byHash(hash: string) {
    const [key] = await this.byHashes([hash]);
    return key ?? null;
  }

  byHashes(hashes: readonly string[]) {
    const { apiKeys } = this.h.tables;
    return this.h.read(async () => {
      if (hashes.length === 0) return [];
      const rows = await this.h.db
        .select()
        .from(apiKeys)
        .where(inArray(apiKeys.hash, [...hashes]));
      return rows.map(toRecord);
    });
  }

  byPrefix(prefix: string) {
    const { apiKeys } = this.h.tables;
    return this.h.read(async () => {
      const [row] = await this.h.db.select().from(apiKeys).where(eq(apiKeys.prefix, prefix));
      return row ? toRecord(row) : null;
    });
  }

  list(tenantId: string) {
    const { apiKeys } = this.h.tables;
    return this.h.read(async () => {
      const rows = await this.h.db
        .select()
        .from(apiKeys)
        .where(eq(apiKeys.tenantId, tenantId))
        .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
      return rows.map(toRecord);
    });
  }

  revoke(tenantId: string, id: string, at: Date): Promise<boolean> {
    const { apiKeys } = this.h.tables;
    return this.h.write(async () => {
      const done = await this.h.db
        .update(apiKeys)
        .set({ revokedAt: at })
        .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
        .returning({ id: apiKeys.id });
      return done.length > 0;
    });
  }

  rotate(tenantId: string, id: string, replacement: ApiKeyRecord, at: Date): Promise<boolean> {
    const { apiKeys } = this.h.tables;
    return this.h.write(() =>
      this.h.db.transaction(async (tx) => {
        const done = await tx
          .update(apiKeys)
          .set({ revokedAt: at, replacedBy: replacement.id })
          .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
          .returning({ id: apiKeys.id });
        if (done.length === 0) return false;
        await tx.insert(apiKeys).values(toRow(replacement));
        return true;
      }),
    );
  }

  touch(id: string, at: Date, staleBefore: Date): Promise<void> {
    const { apiKeys } = this.h.tables;
    return this.h.write(async () => {
      await this.h.db
        .update(apiKeys)
        .set({ lastUsedAt: at })
        .where(and(eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, staleBefore))));
    });
  }

  close(): Promise<void> {
    return this.h.close();
  }
}

/** The API key table in the platform database at `url`, uncached (index.ts adds the cache). */
export function openUncachedApiKeyStore(url: string): ApiKeyStore {
  return new DrizzleApiKeyStore(
    openDrizzleHandle(url, { pg: pgTables, sqlite: sqliteTables }, { what: 'API keys' }),
  );
}
