import type { OutboxEvent } from '../../ledger/records.js';
import { eventsRecorded } from '../outbox.js';
import { instant } from '../row-codecs.js';
import type { Query } from './connection.js';

/** The channel on which a published config version is announced (see `ConfigListener`). */
export const CONFIG_CHANNEL = 'guildmint_config';

/**
 * Store a new config version (the next number). Two publishers racing for the same version number is
 * transient: the retry takes the next one, or, with `basedOn`, finds the latest version moved on and
 * inserts nothing. The notification is sent on commit, so listeners never hear of a version they
 * cannot read yet.
 */
export async function putConfig(
  query: Query,
  tenant: string,
  config: string,
  actor: string | null,
  now: Date,
  basedOn?: number,
  events: readonly OutboxEvent[] = [],
): Promise<number | null> {
  // One statement, so one transaction: the version, its outbox rows (only when it was written), the notice.
  const rows = await query(
    `WITH published AS (
       INSERT INTO gm_configs (tenant_id, version, config, actor, created_at)
       SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4 FROM gm_configs WHERE tenant_id = $1
       HAVING $5::bigint IS NULL OR COALESCE(MAX(version), 0) = $5::bigint
       RETURNING version
     ), announced AS (
       INSERT INTO gm_outbox (tenant_id, id, type, payload, created_at)
       SELECT $1, i, t, p, $4 FROM published, unnest($6::text[], $7::text[], $8::text[]) AS o(i, t, p)
       WHERE ${eventsRecorded('$1')}
     )
     SELECT version, pg_notify('${CONFIG_CHANNEL}', $1 || ':' || version) FROM published`,
    [
      tenant,
      config,
      actor,
      now.toISOString(),
      basedOn ?? null,
      events.map((e) => e.id),
      events.map((e) => e.type),
      events.map((e) => e.payload),
    ],
  );
  return rows[0] ? Number(rows[0].version) : null;
}

export async function getConfig(
  query: Query,
  tenant: string,
  version?: number,
): Promise<{ version: number; config: string; createdAt: Date } | undefined> {
  const rows = await query(
    `SELECT version, config, created_at FROM gm_configs WHERE tenant_id = $1 AND ($2::bigint IS NULL OR version = $2)
     ORDER BY version DESC LIMIT 1`,
    [tenant, version ?? null],
  );
  const row = rows[0];
  return (
    row && { version: Number(row.version), config: String(row.config), createdAt: instant(row.created_at) }
  );
}

export async function latestConfigVersion(query: Query, tenant: string): Promise<number> {
  const rows = await query(
    'SELECT COALESCE(MAX(version), 0) AS version FROM gm_configs WHERE tenant_id = $1',
    [tenant],
  );
  return Number(rows[0]!.version);
}

export async function listConfigs(
  query: Query,
  tenant: string,
): Promise<Array<{ version: number; actor: string | null; createdAt: Date }>> {
  const rows = await query(
    'SELECT version, actor, created_at FROM gm_configs WHERE tenant_id = $1 ORDER BY version DESC',
    [tenant],
  );
  return rows.map((row) => ({
    version: Number(row.version),
    actor: (row.actor as string | null) ?? null,
    createdAt: instant(row.created_at),
  }));
}
