import type pg from 'pg';

// Citus's rules for tables distributed by `tenant_id` (issue 13 §4), read off a real catalog or query plan.

/** What a schema breaks of the rules: each list empty when it keeps them. */
export interface CatalogRules {
  tables: string[];
  /** Tables with no NOT NULL tenant_id column (nothing to distribute them by). */
  tablesWithoutTenant: string[];
  /** Primary keys and unique indexes without tenant_id (Citus cannot enforce them across shards). */
  uniqueWithoutTenant: string[];
  /** Foreign keys whose columns do not pair tenant_id with tenant_id (they would reach into another shard). */
  foreignKeysAcrossTenants: string[];
}

/**
 * Tables that hold no tenant's rows and stay on Citus's coordinator as local tables: the migration journal.
 * Nothing on the money path reads or writes them.
 */
export const COORDINATOR_TABLES: readonly string[] = [
  'gm_migrations',
  'gm_placement_schema',
  'gm_placements',
];

/** The SDK's tables (gm_…) in the current schema of a PostgreSQL database. */
export async function postgresCatalog(client: pg.Client): Promise<CatalogRules> {
  const tables = await client.query<{ name: string; tenant: boolean }>(`
    select c.relname as name,
           exists (select 1 from pg_attribute a
                   where a.attrelid = c.oid and a.attname = 'tenant_id' and a.attnotnull and not a.attisdropped) as tenant
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and n.nspname = current_schema() and c.relname like 'gm\\_%'
    order by 1`);
  const unique = await client.query<{ name: string }>(
    `
    select i.indexrelid::regclass::text as name
    from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
    where i.indisunique and n.nspname = current_schema() and c.relname like 'gm\\_%' and c.relname <> all ($1)
      and not exists (select 1 from pg_attribute a
                      where a.attrelid = i.indrelid and a.attnum = any (i.indkey) and a.attname = 'tenant_id')
    order by 1`,
    [COORDINATOR_TABLES],
  );
  const foreign = await client.query<{ name: string }>(`
    select f.conname as name
    from pg_constraint f join pg_class c on c.oid = f.conrelid join pg_namespace n on n.oid = c.relnamespace
    where f.contype = 'f' and n.nspname = current_schema() and c.relname like 'gm\\_%'
      and not exists (
        select 1 from unnest(f.conkey, f.confkey) as k(src, dst)
        join pg_attribute s on s.attrelid = f.conrelid and s.attnum = k.src
        join pg_attribute d on d.attrelid = f.confrelid and d.attnum = k.dst
        where s.attname = 'tenant_id' and d.attname = 'tenant_id')
    order by 1`);
  return {
    tables: tables.rows.map((r) => r.name),
    tablesWithoutTenant: tables.rows
      .filter((r) => !r.tenant && !COORDINATOR_TABLES.includes(r.name))
      .map((r) => r.name),
    uniqueWithoutTenant: unique.rows.map((r) => r.name),
    foreignKeysAcrossTenants: foreign.rows.map((r) => r.name),
  };
}

/** The SDK's tables (gm_…) of a libSQL database. */
export function sqliteCatalog(all: (sql: string) => Array<Record<string, unknown>>): CatalogRules {
  const names = all(
    `select name from sqlite_master where type = 'table' and name like 'gm\\_%' escape '\\' order by 1`,
  ).map((r) => String(r.name));
  const rules: CatalogRules = {
    tables: names,
    tablesWithoutTenant: [],
    uniqueWithoutTenant: [],
    foreignKeysAcrossTenants: [],
  };
  for (const table of names) {
    const columns = all(`pragma table_info("${table}")`);
    if (COORDINATOR_TABLES.includes(table)) continue;
    if (!columns.some((c) => c.name === 'tenant_id' && (Number(c.notnull) === 1 || Number(c.pk) > 0))) {
      rules.tablesWithoutTenant.push(table);
    }
    for (const index of all(`pragma index_list("${table}")`)) {
      if (Number(index.unique) !== 1) continue;
      const indexed = all(`pragma index_info("${String(index.name)}")`).map((r) => r.name);
      if (!indexed.includes('tenant_id')) rules.uniqueWithoutTenant.push(`${table}.${String(index.name)}`);
    }
    const keys = new Map<number, Array<{ from: unknown; to: unknown }>>();
    for (const fk of all(`pragma foreign_key_list("${table}")`)) {
      const id = Number(fk.id);
      keys.set(id, [...(keys.get(id) ?? []), { from: fk.from, to: fk.to }]);
    }
    for (const [id, pairs] of keys) {
      if (!pairs.some((p) => p.from === 'tenant_id' && p.to === 'tenant_id')) {
        rules.foreignKeysAcrossTenants.push(`${table}#${id}`);
      }
    }
  }
  return rules;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Operation?: string;
  Output?: string[];
  Plans?: PlanNode[];
  [field: string]: unknown;
}

/** Plan fields that restrict the rows a node reads. */
const CONDITIONS = [
  'Index Cond',
  'Filter',
  'Recheck Cond',
  'Hash Cond',
  'Merge Cond',
  'Join Filter',
  'TID Cond',
];

let volatile: Set<string> | undefined;

/**
 * The rules one statement breaks, read from its plan (EXPLAIN VERBOSE with the values it ran with), or null when
 * it touches none of the SDK's tables (transaction control, LISTEN, settings). With `crossTenant`, a statement
 * made to span tenants (the webhook worker's) is only held to the UPDATE rules.
 */
export async function explainRules(
  client: pg.Client,
  text: string,
  values: unknown[],
  o: { crossTenant: boolean },
): Promise<string[] | null> {
  if (!/^\s*(select|insert|update|delete|with)\b/i.test(text) || !/\bgm_/.test(text)) return null;
  volatile ??= new Set(
    (
      await client.query<{ proname: string }>(`select distinct proname from pg_proc where provolatile = 'v'`)
    ).rows.map((r) => r.proname),
  );
  const problems: string[] = [];
  let plan: PlanNode;
  try {
    const result = await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
      `explain (verbose, format json) ${text}`,
      values,
    );
    plan = result.rows[0]!['QUERY PLAN'][0]!.Plan;
  } catch (error) {
    return [`cannot be explained: ${(error as Error).message}`];
  }
  const walk = (node: PlanNode, inherited: string[]): void => {
    const own = CONDITIONS.flatMap((field) =>
      typeof node[field] === 'string' ? [node[field] as string] : [],
    );
    const conditions = [...inherited, ...own, ...(node.Plans ?? []).flatMap(bitmapConditions)];
    const relation = node['Relation Name'];
    const reads =
      relation?.startsWith('gm_') &&
      !COORDINATOR_TABLES.includes(relation) &&
      /Scan$/.test(node['Node Type']) &&
      node['Node Type'] !== 'Bitmap Index Scan';
    if (reads && !o.crossTenant && !conditions.some((c) => c.includes('tenant_id'))) {
      problems.push(`${node['Node Type']} on ${relation} without a tenant_id condition`);
    }
    if (node['Node Type'] === 'ModifyTable' && node.Operation === 'Update') {
      for (const output of outputsBelow(node)) {
        for (const [, name] of output.matchAll(/\b([a-z_][a-z0-9_]*)\(/g)) {
          if (volatile?.has(name!)) problems.push(`UPDATE of ${relation} calls volatile ${name}()`);
        }
      }
    }
    for (const child of node.Plans ?? []) walk(child, [...inherited, ...own]);
  };
  walk(plan, []);
  for (const set of text.matchAll(
    /\b(?:update\s+[a-z_."]+(?:\s+as\s+\w+|\s+\w+)?|do\s+update)\s+set\s+([\s\S]*?)(?=\bwhere\b|\bfrom\b|\breturning\b|$)/gi,
  )) {
    if (/(^|,)\s*"?tenant_id"?\s*=/i.test(set[1]!)) problems.push('an UPDATE sets tenant_id');
  }
  return problems;
}

/** A bitmap heap scan's index conditions sit on its Bitmap Index Scan children. */
function bitmapConditions(node: PlanNode): string[] {
  if (node['Node Type'] !== 'Bitmap Index Scan' && !node['Node Type'].startsWith('Bitmap')) return [];
  const own = typeof node['Index Cond'] === 'string' ? [node['Index Cond'] as string] : [];
  return [...own, ...(node.Plans ?? []).flatMap(bitmapConditions)];
}

/** Every Output expression in a node's subtree (what an UPDATE computes its new rows from). */
function outputsBelow(node: PlanNode): string[] {
  return [...(node.Output ?? []), ...(node.Plans ?? []).flatMap(outputsBelow)];
}
