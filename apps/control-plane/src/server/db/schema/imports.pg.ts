import { integer, pgTable, timestamp as pgTimestamp, primaryKey, text } from 'drizzle-orm/pg-core';
import { tenants } from './pg';

// Import runs on PostgreSQL; the same table and columns as ./imports.sqlite.ts. One row per tenant,
// source and source reference (UnbelievaBoat's guild id, a CSV file's hash): where a run stopped, so
// a restart continues from the next page. The money itself is in the economy's ledger.

const timestamp = (name: string) => pgTimestamp(name, { mode: 'date', withTimezone: true });

export const importRuns = pgTable(
  'cp_import_runs',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    source: text('source').notNull(),
    ref: text('ref').notNull(),
    status: text('status').$type<'running' | 'done'>().notNull(),
    /** The next page to read (1-based); pages before it are credited. */
    nextPage: integer('next_page').notNull(),
    /** Counts and totals so far (JSON, amounts as strings). */
    progress: text('progress').notNull(),
    startedBy: text('started_by').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [primaryKey({ name: 'cp_import_runs_pk', columns: [t.tenantId, t.source, t.ref] })],
);
