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
 * Reads the tenant's rows of every table in one statement (so one snapshot, one round trip): all of them
 * (`since` null), or only those written by transactions the snapshot of `since` may not have seen (a row's
 * xmin at or after that snapshot's xmin, compared as PostgreSQL compares 32-bit xids, modulo 2^32: a
 * superset of the rows inserted or updated since, which an upsert takes again harmlessly). Deletes are
 * not in a delta: see `deleteMissing`.
 */
export async function readTenant(
  client: pg.ClientBase,
  tables: readonly TenantTable[],
  tenant: string,
  since: number | null,
): Promise<TenantSnapshot> {
  const delta =
    since === null
      ? ''
      : ` AND xmin::text::bigint >= 3 AND ((xmin::text::bigint - ${Math.trunc(since)}) % 4294967296 + 4294967296) % 4294967296 < 2147483648`;
  const columns = tables.map(
    (t, i) =>
      `(SELECT COALESCE(json_agg(r), '[]')::text FROM (SELECT * FROM ${t.name} WHERE tenant_id = $1${delta}) r) AS t${i}`,
  );
  const { rows } = await client.query<Record<string, string>>(
    `SELECT (pg_snapshot_xmin(pg_current_snapshot())::text::bigint % 4294967296)::text AS xmin, ${columns.join(', ')}`,
    [tenant],
  );
  const row = rows[0]!;
  return { xmin: Number(row.xmin), tables: new Map(tables.map((t, i) => [t.name, row[`t${i}`]!])) };
}

/**
 * Upserts a snapshot's rows on the target in one statement (all or nothing); an identity sequence is then
 * moved past the copied values, so the target's new rows sort after them (cursors and commit order read it).
 */
export async function writeTenant(
  client: pg.ClientBase,
  tables: readonly TenantTable[],
  snapshot: TenantSnapshot,
): Promise<number> {
  const present = tables.filter((t) => (snapshot.tables.get(t.name) ?? '[]') !== '[]');
  if (present.length === 0) return 0;
  const parts = present.map((table, i) => {
    const conflict =
      table.updatable.length === 0
        ? 'DO NOTHING'
        : `DO UPDATE SET ${table.updatable.map((c) => `${c} = excluded.${c}`).join(', ')}`;
    return `w${i} AS (INSERT INTO ${table.name} OVERRIDING SYSTEM VALUE
      SELECT * FROM json_populate_recordset(NULL::${table.name}, $${i + 1}::json)
      ON CONFLICT (${table.primaryKey.join(', ')}) ${conflict} RETURNING 1)`;
  });
  const { rows } = await client.query<{ n: string }>(
    `WITH ${parts.join(', ')} SELECT (${present.map((_, i) => `(SELECT count(*) FROM w${i})`).join(' + ')})::text AS n`,
    present.map((t) => snapshot.tables.get(t.name)),
  );
  for (const table of present.filter((t) => t.identity)) {
    const column = table.identity!;
    await client.query(
      `SELECT setval(s.name, m) FROM
         (SELECT pg_get_serial_sequence($1, $2) AS name) s,
         (SELECT MAX((r ->> $2)::bigint) AS m FROM json_array_elements($3::json) r) x
       WHERE m IS NOT NULL AND m > (SELECT COALESCE(last_value, 0) FROM pg_sequences
         WHERE schemaname = current_schema() AND sequencename = split_part(s.name, '.', 2))`,
      [table.name, column, snapshot.tables.get(table.name)],
    );
  }
  return Number(rows[0]!.n);
}

/**
 * Removes from the target what the source no longer has (an outbox pruned, rollups rebuilt during the
 * copy), comparing primary keys of every table that deletes rows (append-only tables are skipped): one
 * statement reads the source's keys, one deletes on the target.
 */
export async function deleteMissing(
  source: pg.ClientBase,
  target: pg.ClientBase,
  tables: readonly TenantTable[],
  tenant: string,
): Promise<number> {
  const mutable = tables.filter((t) => !t.appendOnly);
  if (mutable.length === 0) return 0;
  const { rows } = await source.query<Record<string, string>>(
    `SELECT ${mutable
      .map(
        (t, i) =>
          `(SELECT COALESCE(json_agg(json_build_object(${t.primaryKey.map((k) => `'${k}', ${k}`).join(', ')})), '[]')::text
            FROM ${t.name} WHERE tenant_id = $1) AS k${i}`,
      )
      .join(', ')}`,
    [tenant],
  );
  const parts = mutable.map(
    (t, i) => `d${i} AS (DELETE FROM ${t.name} d WHERE d.tenant_id = $1 AND NOT EXISTS (
      SELECT 1 FROM json_populate_recordset(NULL::${t.name}, $${i + 2}::json) s
      WHERE ${t.primaryKey.map((k) => `s.${k} = d.${k}`).join(' AND ')}) RETURNING 1)`,
  );
  const { rows: deleted } = await target.query<{ n: string }>(
    `WITH ${parts.join(', ')} SELECT (${mutable.map((_, i) => `(SELECT count(*) FROM d${i})`).join(' + ')})::text AS n`,
    [tenant, ...mutable.map((_, i) => rows[0]![`k${i}`])],
  );
  return Number(deleted[0]!.n);
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
