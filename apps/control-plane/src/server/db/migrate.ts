import type { DrizzleHandle } from './drizzle-handle';
import { type Migration, postgresMigrations, sqliteMigrations } from './migrations.generated';

const MIGRATIONS_TABLE = 'cp_migrations';

/** Any number to key the advisory lock that serializes migrations across processes on PostgreSQL. */
const MIGRATION_LOCK = 7_410_335_021;

/** Migrations not yet applied, in order. */
function pending(all: readonly Migration[], applied: ReadonlySet<string>): Migration[] {
  return all.filter((m) => !applied.has(m.tag));
}

/**
 * Applies drizzle-kit's platform migrations not yet applied, in one transaction; safe to call any number of
 * times, from several processes (PostgreSQL: an advisory lock; libSQL: the write lock and the handle's queue).
 */
export function migratePlatform(handle: DrizzleHandle<unknown>): Promise<void> {
  const raw = handle.raw;
  if (raw.dialect === 'postgres') {
    return (async () => {
      const client = await raw.pool.connect();
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
    })();
  }
  return handle.write(async () => {
    const tx = await raw.client.transaction('write');
    try {
      await tx.execute(
        `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (tag TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`,
      );
      const rows = await tx.execute(`SELECT tag FROM ${MIGRATIONS_TABLE}`);
      const applied = new Set(rows.rows.map((row) => String(row.tag)));
      for (const migration of pending(sqliteMigrations, applied)) {
        for (const statement of migration.statements) await tx.execute(statement);
        await tx.execute({
          sql: `INSERT INTO ${MIGRATIONS_TABLE} (tag, applied_at) VALUES (?, ?)`,
          args: [migration.tag, Date.now()],
        });
      }
      await tx.commit();
    } finally {
      tx.close();
    }
  });
}
