import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { tenants } from './sqlite';

// Import runs on libSQL; the same table and columns as ./imports.pg.ts (see there).

const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });

export const importRuns = sqliteTable(
  'cp_import_runs',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    source: text('source').notNull(),
    ref: text('ref').notNull(),
    status: text('status').$type<'running' | 'done'>().notNull(),
    nextPage: integer('next_page').notNull(),
    progress: text('progress').notNull(),
    startedBy: text('started_by').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [primaryKey({ name: 'cp_import_runs_pk', columns: [t.tenantId, t.source, t.ref] })],
);
