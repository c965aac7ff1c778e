import { type Client, createClient } from '@libsql/client';
import { and, desc, eq } from 'drizzle-orm';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { importRuns } from '../db/schema/imports.sqlite';
import { type ImportRun, type ImportRunStore, type ImportSource, toRow, toRun } from './run-store';

/** Import runs in the platform's libSQL file, on a connection of their own (busy timeout orders writes). */
export class LibsqlImportRunStore implements ImportRunStore {
  private readonly client: Client;
  private readonly db: LibSQLDatabase;
  private readonly ready: Promise<void>;

  constructor(url: string) {
    this.client = createClient({ url });
    this.db = drizzle(this.client);
    this.ready = this.client.execute('PRAGMA busy_timeout = 5000').then(() => undefined);
  }

  async get(tenantId: string, source: ImportSource, ref: string) {
    await this.ready;
    const [row] = await this.db
      .select()
      .from(importRuns)
      .where(and(eq(importRuns.tenantId, tenantId), eq(importRuns.source, source), eq(importRuns.ref, ref)));
    return row ? toRun(row) : null;
  }

  async save(run: ImportRun) {
    await this.ready;
    const row = toRow(run);
    await this.db
      .insert(importRuns)
      .values(row)
      .onConflictDoUpdate({ target: [importRuns.tenantId, importRuns.source, importRuns.ref], set: row });
  }

  async list(tenantId: string) {
    await this.ready;
    const rows = await this.db
      .select()
      .from(importRuns)
      .where(eq(importRuns.tenantId, tenantId))
      .orderBy(desc(importRuns.updatedAt));
    return rows.map(toRun);
  }

  async close() {
    this.client.close();
  }
}
