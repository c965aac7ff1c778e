import { and, desc, eq } from 'drizzle-orm';
import { type DrizzleHandle, openDrizzleHandle } from '../db/drizzle-handle';
import * as pgTables from '../db/schema/imports.pg';
import * as sqliteTables from '../db/schema/imports.sqlite';
import { type ImportRun, type ImportRunStore, type ImportSource, toRow, toRun } from './run-store';

type Tables = Pick<typeof pgTables, 'importRuns'>;

/** Import runs in the platform database, one implementation for libSQL and PostgreSQL (see DrizzleHandle). */
class DrizzleImportRunStore implements ImportRunStore {
  constructor(private readonly h: DrizzleHandle<Tables>) {}

  get(tenantId: string, source: ImportSource, ref: string) {
    const { importRuns } = this.h.tables;
    return this.h.read(async () => {
      const [row] = await this.h.db
        .select()
        .from(importRuns)
        .where(
          and(eq(importRuns.tenantId, tenantId), eq(importRuns.source, source), eq(importRuns.ref, ref)),
        );
      return row ? toRun(row) : null;
    });
  }

  save(run: ImportRun) {
    const { importRuns } = this.h.tables;
    const row = toRow(run);
    return this.h.write(async () => {
      await this.h.db
        .insert(importRuns)
        .values(row)
        .onConflictDoUpdate({ target: [importRuns.tenantId, importRuns.source, importRuns.ref], set: row });
    });
  }

  list(tenantId: string) {
    const { importRuns } = this.h.tables;
    return this.h.read(async () => {
      const rows = await this.h.db
        .select()
        .from(importRuns)
        .where(eq(importRuns.tenantId, tenantId))
        .orderBy(desc(importRuns.updatedAt));
      return rows.map(toRun);
    });
  }

  close() {
    return this.h.close();
  }
}

/** The import runs table in the platform database at `url` (the platform store's migrations create it). */
export function openImportRunStore(url: string): ImportRunStore {
  return new DrizzleImportRunStore(
    openDrizzleHandle(url, { pg: pgTables, sqlite: sqliteTables }, { what: 'import runs', poolMax: 2 }),
  );
}
