import { type Client, createClient } from '@libsql/client';
import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { apiKeys } from '../db/schema/api-keys.sqlite';
import { toRecord, toRow } from './row';
import type { ApiKeyRecord, ApiKeyStore } from './store';

/**
 * API keys in the platform's libSQL file, on a connection of their own: SQLite's busy timeout orders its
 * writes with the platform store's, and an in-process queue orders its own (two write transactions at
 * once on one client fail at once with SQLITE_BUSY).
 */
export class LibsqlApiKeyStore implements ApiKeyStore {
  private readonly client: Client;
  private readonly db: LibSQLDatabase;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly ready: Promise<void>;

  constructor(url: string) {
    this.client = createClient({ url });
    this.db = drizzle(this.client);
    this.ready = this.client.execute('PRAGMA busy_timeout = 5000').then(() => undefined);
  }

  private write<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(() => this.ready).then(work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  insert(key: ApiKeyRecord): Promise<void> {
    return this.write(async () => {
      await this.db.insert(apiKeys).values(toRow(key));
    });
  }

  async byHash(hash: string) {
    await this.ready;
    const [row] = await this.db.select().from(apiKeys).where(eq(apiKeys.hash, hash));
    return row ? toRecord(row) : null;
  }

  async byPrefix(prefix: string) {
    await this.ready;
    const [row] = await this.db.select().from(apiKeys).where(eq(apiKeys.prefix, prefix));
    return row ? toRecord(row) : null;
  }

  async list(tenantId: string) {
    await this.ready;
    const rows = await this.db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.tenantId, tenantId))
      .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
    return rows.map(toRecord);
  }

  revoke(tenantId: string, id: string, at: Date): Promise<boolean> {
    return this.write(async () => {
      const done = await this.db
        .update(apiKeys)
        .set({ revokedAt: at })
        .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
        .returning({ id: apiKeys.id });
      return done.length > 0;
    });
  }

  rotate(tenantId: string, id: string, replacement: ApiKeyRecord, at: Date): Promise<boolean> {
    return this.write(() =>
      this.db.transaction(async (tx) => {
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
    return this.write(async () => {
      await this.db
        .update(apiKeys)
        .set({ lastUsedAt: at })
        .where(and(eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, staleBefore))));
    });
  }

  async close(): Promise<void> {
    await this.tail;
    this.client.close();
  }
}
