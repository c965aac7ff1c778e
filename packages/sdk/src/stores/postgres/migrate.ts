import type pg from 'pg';
import { postgresMigrations } from '../migrations.generated.js';
import { FENCE_TABLE_DDL } from './fence.js';

const MIGRATION_LOCK_KEY = 0x67_6d_69_67; // 'gmig'

/** Applies the migrations not applied yet, inside the caller's transaction. */
export async function migrate(client: pg.PoolClient): Promise<void> {
  // One migrator at a time across every process; the lock ends with the transaction.
  await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
  await client.query(
    'CREATE TABLE IF NOT EXISTS gm_migrations (tag text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  const { rows } = await client.query<{ tag: string }>('SELECT tag FROM gm_migrations');
  const applied = new Set(rows.map((r) => r.tag));
  for (const migration of postgresMigrations) {
    if (applied.has(migration.tag)) continue;
    for (const statement of migration.statements) await client.query(statement);
    await client.query('INSERT INTO gm_migrations (tag) VALUES ($1)', [migration.tag]);
  }
  // The placement fence (online tenant moves), probed by every group commit: see fence.ts.
  await client.query(FENCE_TABLE_DDL);
}
