import type pg from 'pg';
import { DIRECTORY_TABLES } from './directory.js';

// A tenant's rows on one cluster, table by table and page by page, for an online move: read, upserted on
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

/** Where a page of one table starts: the primary key of the last row before it, as JSON; null: the start. */
export type PageStart = string | null;

/** The xmin (32 bits) of a snapshot taken now: every transaction it does not see is at or after it. */
export async function snapshotXmin(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query<{ xmin: string }>(
    'SELECT (pg_snapshot_xmin(pg_current_snapshot())::text::bigint % 4294967296)::text AS xmin',
  );
  return Number(rows[0]!.xmin);
}

/** A page of one table's rows of a tenant, in primary-key order. */
export interface RowsPage {
  /** The rows (or their primary keys alone), as a JSON array. */
  rows: string;
  count: number;
  /** The primary key of the page's last row (JSON): where the next page starts. */
  last: PageStart;
}

/**
 * Reads one page of a table's rows of the tenant, in primary-key order, after `after`: all of them (`since`
 * null), or only those written by transactions the snapshot of `since` may not have seen (a row's xmin at or
 * after that snapshot's xmin, compared as PostgreSQL compares 32-bit xids, modulo 2^32: a superset of the
 * rows inserted or updated since, which an upsert takes again harmlessly). Deletes are not in a delta: see
 * `deleteMissing`. Rows stay JSON text from database to database: no 64-bit value passes through a JS number.
 */
export async function readPage(
  client: pg.ClientBase,
  table: TenantTable,
  tenant: string,
  page: { since: number | null; after: PageStart; until?: PageStart; limit: number; keysOnly?: boolean },
): Promise<RowsPage> {
  const key = table.primaryKey.join(', ');
  const delta =
    page.since === null
      ? ''
      : ` AND xmin::text::bigint >= 3 AND ((xmin::text::bigint - ${Math.trunc(page.since)}) % 4294967296 + 4294967296) % 4294967296 < 2147483648`;
  const range = keyRange(table, page.after, page.until ?? null, 3);
  const { rows } = await client.query<{ rows: string; n: number; last: string | null }>(
    `WITH page AS (
       SELECT ${page.keysOnly ? key : '*'} FROM ${table.name} WHERE tenant_id = $1${delta}${range.sql} ORDER BY ${key} LIMIT $2
     )
     SELECT COALESCE(json_agg(page), '[]')::text AS rows, count(*)::int AS n,
       (SELECT ${keyObject(table)}::text FROM page ORDER BY ${descending(table)} LIMIT 1) AS last
     FROM page`,
    [tenant, page.limit, ...range.params],
  );
  const row = rows[0]!;
  return { rows: row.rows, count: row.n, last: row.last };
}

/** The primary key of the tenant's last row in a table (JSON); null when it has none. */
export async function lastKey(client: pg.ClientBase, table: TenantTable, tenant: string): Promise<PageStart> {
  const { rows } = await client.query<{ last: string }>(
    `SELECT ${keyObject(table)}::text AS last
     FROM ${table.name} WHERE tenant_id = $1 ORDER BY ${descending(table)} LIMIT 1`,
    [tenant],
  );
  return rows[0]?.last ?? null;
}

/** A row's primary key as a JSON object, as `json_populate_record` reads it back. */
function keyObject(table: TenantTable): string {
  return `json_build_object(${table.primaryKey.map((k) => `'${k}', ${k}`).join(', ')})`;
}

/** The primary key's columns, each in descending order. */
function descending(table: TenantTable): string {
  return table.primaryKey.map((k) => `${k} DESC`).join(', ');
}

/**
 * Conditions (each after ` AND `) keeping a table's rows after `after` (exclusive) and up to `until`
 * (inclusive), either bound left out when null; their parameters, numbered from `$first`.
 */
function keyRange(
  table: TenantTable,
  after: PageStart,
  until: PageStart,
  first: number,
): { sql: string; params: string[] } {
  const params: string[] = [];
  const conditions: string[] = [];
  if (after !== null) conditions.push(afterKey(table, `$${first + params.push(after) - 1}`));
  if (until !== null) conditions.push(`NOT ${afterKey(table, `$${first + params.push(until) - 1}`)}`);
  return { sql: conditions.map((c) => ` AND ${c}`).join(''), params };
}

/** `(primary key) > (the key in parameter `param`, JSON)`: a keyset page's lower bound. */
function afterKey(table: TenantTable, param: string): string {
  const key = table.primaryKey.join(', ');
  return `(${key}) > (SELECT ${key} FROM json_populate_record(NULL::${table.name}, ${param}::json))`;
}

/**
 * Upserts a page of rows on the target in one statement; an identity sequence is then moved past the copied
 * values, so the target's new rows sort after them (cursors and commit order read it).
 */
export async function writeRows(
  client: pg.ClientBase,
  table: TenantTable,
  rowsJson: string,
): Promise<number> {
  if (rowsJson === '[]') return 0;
  const conflict =
    table.updatable.length === 0
      ? 'DO NOTHING'
      : `DO UPDATE SET ${table.updatable.map((c) => `${c} = excluded.${c}`).join(', ')}`;
  const { rows } = await client.query<{ n: number }>(
    `WITH w AS (INSERT INTO ${table.name} OVERRIDING SYSTEM VALUE
       SELECT * FROM json_populate_recordset(NULL::${table.name}, $1::json)
       ON CONFLICT (${table.primaryKey.join(', ')}) ${conflict} RETURNING 1)
     SELECT count(*)::int AS n FROM w`,
    [rowsJson],
  );
  if (table.identity) {
    await client.query(
      `SELECT setval(s.name, m) FROM
         (SELECT pg_get_serial_sequence($1, $2) AS name) s,
         (SELECT MAX((r ->> $2)::bigint) AS m FROM json_array_elements($3::json) r) x
       WHERE m IS NOT NULL AND m > (SELECT COALESCE(last_value, 0) FROM pg_sequences
         WHERE schemaname = current_schema() AND sequencename = split_part(s.name, '.', 2))`,
      [table.name, table.identity, rowsJson],
    );
  }
  return rows[0]!.n;
}

/**
 * Removes from the target what the source no longer has (an outbox pruned, rollups rebuilt during the
 * copy), for every table that deletes rows (append-only tables are skipped): page by page of the source's
 * primary keys, the target's rows in the page's key range that the page lacks are deleted (after the last
 * page, every row beyond it).
 */
export async function deleteMissing(
  source: pg.ClientBase,
  target: pg.ClientBase,
  tables: readonly TenantTable[],
  tenant: string,
  pageRows: number,
): Promise<number> {
  let deleted = 0;
  for (const table of tables.filter((t) => !t.appendOnly)) {
    let after: PageStart = null;
    for (;;) {
      const page = await readPage(source, table, tenant, {
        since: null,
        after,
        limit: pageRows,
        keysOnly: true,
      });
      const final = page.count < pageRows;
      const range = keyRange(table, after, final ? null : page.last, 3);
      const { rows } = await target.query<{ n: number }>(
        `WITH d AS (DELETE FROM ${table.name} d WHERE d.tenant_id = $1${range.sql}
           AND NOT EXISTS (SELECT 1 FROM json_populate_recordset(NULL::${table.name}, $2::json) s
             WHERE (${table.primaryKey.map((k) => `s.${k}`).join(', ')}) = (${table.primaryKey.map((k) => `d.${k}`).join(', ')}))
           RETURNING 1)
         SELECT count(*)::int AS n FROM d`,
        [tenant, page.rows, ...range.params],
      );
      deleted += rows[0]!.n;
      if (final) break;
      after = page.last;
    }
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
