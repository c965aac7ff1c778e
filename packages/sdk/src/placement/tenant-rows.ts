import type pg from 'pg';
import { DIRECTORY_TABLES } from './directory.js';

// A tenant's rows on one cluster, table by table, for an online move: read from a snapshot, upserted on
// another cluster, compared, deleted. The tables come from the catalog (every table of the current schema
// with a tenant_id column, but the fence), so a table a later migration adds is moved without a change here.

/** A tenant table as the catalog has it. */
export interface TenantTable {
  name: string;
  primaryKey: string[];
  /** Columns an upsert may set (not the key, not identity or generated ones). */
  updatable: string[];
  /** Append-only (the ledger's transfers, the audit log): rows are never deleted, so no deletes to carry. */
  appendOnly: boolean;
  /** An identity column whose sequence must stay ahead of copied values on the target. */
  identity: string | null;
}

const APPEND_ONLY = new Set(['gm_transfers', 'gm_audit']);
/** Tables that are not a tenant's data: the fence stays behind on a cluster the tenant left; the directory. */
const NOT_MOVED = new Set<string>(['gm_fences', ...DIRECTORY_TABLES]);

export async function tenantTables(client: pg.ClientBase): Promise<TenantTable[]> {
  const { rows } = await client.query<{
    name: string;
    pk: string[];
    cols: string[];
    identity: string | null;
  }>(`
    SELECT c.relname::text AS name,
      (SELECT array_agg(a.attname::text ORDER BY k.n) FROM pg_index i, unnest(i.indkey) WITH ORDINALITY k(attnum, n)
         JOIN pg_attribute a ON a.attnum = k.attnum WHERE i.indrelid = c.oid AND i.indisprimary AND a.attrelid = c.oid) AS pk,
      (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attidentity = '' AND a.attgenerated = '') AS cols,
      (SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attidentity <> '' AND NOT a.attisdropped LIMIT 1) AS identity
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() AND c.relname LIKE 'gm\\_%'
      AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
    ORDER BY 1`);
  return rows
    .filter((r) => !NOT_MOVED.has(r.name) && r.pk !== null)
    .map((r) => ({
      name: r.name,
      primaryKey: r.pk,
      updatable: r.cols.filter((c) => !r.pk.includes(c)),
      appendOnly: APPEND_ONLY.has(r.name),
      identity: r.identity,
    }));
}

/** A tenant's rows of every table as JSON text, and the snapshot's xmin (32 bits) they were read under. */
export interface TenantSnapshot {
  xmin: number;
  tables: Map<string, string>;
}

/**
 * Reads the tenant's rows in one REPEATABLE READ snapshot: all of them (`since` null), or only those
 * written by transactions the snapshot of `since` may not have seen (a row's xmin at or after that
 * snapshot's xmin, compared as PostgreSQL compares 32-bit xids, modulo 2^32: a superset of the rows
 * inserted or updated since, which an upsert takes again harmlessly). Deletes are not in a delta: see
 * `deleteMissing`.
 */
export async function readTenant(
  client: pg.ClientBase,
  tables: readonly TenantTable[],
  tenant: string,
  since: number | null,
): Promise<TenantSnapshot> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const { rows } = await client.query<{ xmin: string }>(
      'SELECT (pg_snapshot_xmin(pg_current_snapshot())::text::bigint % 4294967296)::text AS xmin',
    );
    const delta =
      since === null
        ? ''
        : ` AND xmin::text::bigint >= 3 AND ((xmin::text::bigint - ${since}) % 4294967296 + 4294967296) % 4294967296 < 2147483648`;
    const out = new Map<string, string>();
    for (const table of tables) {
      const { rows: got } = await client.query<{ rows: string }>(
        `SELECT COALESCE(json_agg(t), '[]')::text AS rows FROM (SELECT * FROM ${table.name} WHERE tenant_id = $1${delta}) t`,
        [tenant],
      );
      out.set(table.name, got[0]!.rows);
    }
    await client.query('COMMIT');
    return { xmin: Number(rows[0]!.xmin), tables: out };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** Upserts a snapshot's rows on the target in one transaction; an identity sequence is moved past copied values. */
export async function writeTenant(
  client: pg.ClientBase,
  tables: readonly TenantTable[],
  snapshot: TenantSnapshot,
): Promise<number> {
  let written = 0;
  await client.query('BEGIN');
  try {
    for (const table of tables) {
      const json = snapshot.tables.get(table.name) ?? '[]';
      if (json === '[]') continue;
      const conflict =
        table.updatable.length === 0
          ? 'DO NOTHING'
          : `DO UPDATE SET ${table.updatable.map((c) => `${c} = excluded.${c}`).join(', ')}`;
      const result = await client.query(
        `INSERT INTO ${table.name} OVERRIDING SYSTEM VALUE
         SELECT * FROM json_populate_recordset(NULL::${table.name}, $1::json)
         ON CONFLICT (${table.primaryKey.join(', ')}) ${conflict}`,
        [json],
      );
      written += result.rowCount ?? 0;
      if (table.identity) {
        // New rows on the target must sort after the copied ones (cursors and commit order read it).
        await client.query(
          `SELECT setval(pg_get_serial_sequence($1, $2), m)
           FROM (SELECT MAX(${table.identity}) AS m FROM ${table.name}) x
           WHERE m IS NOT NULL AND m > (SELECT COALESCE(last_value, 0) FROM pg_sequences
             WHERE schemaname = current_schema() AND sequencename = split_part(pg_get_serial_sequence($1, $2), '.', 2))`,
          [table.name, table.identity],
        );
      }
    }
    await client.query('COMMIT');
    return written;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/**
 * Removes from the target what the source no longer has (an outbox pruned, rollups rebuilt during the
 * copy), comparing primary keys of every table that deletes rows; append-only tables are skipped.
 */
export async function deleteMissing(
  source: pg.ClientBase,
  target: pg.ClientBase,
  tables: readonly TenantTable[],
  tenant: string,
): Promise<number> {
  let deleted = 0;
  for (const table of tables) {
    if (table.appendOnly) continue;
    const keys = table.primaryKey;
    const { rows } = await source.query<{ keys: string }>(
      `SELECT COALESCE(json_agg(json_build_object(${keys.map((k) => `'${k}', ${k}`).join(', ')})), '[]')::text AS keys
       FROM ${table.name} WHERE tenant_id = $1`,
      [tenant],
    );
    const result = await target.query(
      `DELETE FROM ${table.name} d WHERE d.tenant_id = $1 AND NOT EXISTS (
         SELECT 1 FROM json_populate_recordset(NULL::${table.name}, $2::json) s
         WHERE ${keys.map((k) => `s.${k} = d.${k}`).join(' AND ')})`,
      [tenant, rows[0]!.keys],
    );
    deleted += result.rowCount ?? 0;
  }
  return deleted;
}

/** The tenant's rows per table. */
export async function countTenant(
  client: pg.ClientBase,
  tables: readonly TenantTable[],
  tenant: string,
): Promise<Record<string, number>> {
  const { rows } = await client.query<{ name: string; n: string }>(
    tables
      .map((t) => `SELECT '${t.name}' AS name, count(*)::text AS n FROM ${t.name} WHERE tenant_id = $1`)
      .join(' UNION ALL '),
    [tenant],
  );
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.n)]));
}

/** Deletes every row of the tenant on this cluster (not its fence), in one transaction. */
export async function deleteTenant(
  client: pg.ClientBase,
  tables: readonly TenantTable[],
  tenant: string,
): Promise<void> {
  await client.query('BEGIN');
  try {
    for (const table of tables)
      await client.query(`DELETE FROM ${table.name} WHERE tenant_id = $1`, [tenant]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
