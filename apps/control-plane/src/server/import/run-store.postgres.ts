import { and, desc, eq } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { importRuns } from '../db/schema/imports.pg';
import { type ImportRun, type ImportRunStore, type ImportSource, toRow, toRun } from './run-store';

/** Import runs in the platform's PostgreSQL database, on a small pool of their own. */
export class PostgresImportRunStore implements ImportRunStore {
  private readonly pool: pg.Pool;
  private readonly db: NodePgDatabase;

  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 2 });
    // An idle connection dropped by the server must not crash the app: the next query reconnects.
    this.pool.on('error', () => {});
    this.db = drizzle(this.pool);
  }

  async get(tenantId: string, source: ImportSource, ref: string) {
    const [row] = await this.db
      .select()
      .from(importRuns)
      .where(and(eq(importRuns.tenantId, tenantId), eq(importRuns.source, source), eq(importRuns.ref, ref)));
    return row ? toRun(row) : null;
  }

  async save(run: ImportRun) {
    const row = toRow(run);
    await this.db
      .insert(importRuns)
      .values(row)
      .onConflictDoUpdate({ target: [importRuns.tenantId, importRuns.source, importRuns.ref], set: row });
  }

  async list(tenantId: string) {
    const rows = await this.db
      .select()
      .from(importRuns)
      .where(eq(importRuns.tenantId, tenantId))
      .orderBy(desc(importRuns.updatedAt));
    return rows.map(toRun);
  }

  async close() {
    await this.pool.end();
  }
}
