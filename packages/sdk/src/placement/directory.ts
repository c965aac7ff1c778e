import type pg from 'pg';
import { ErrorCode, GuildmintError } from '../errors.js';
import { ConfigListener } from '../stores/postgres/config-listener.js';
import { createPool, POSTGRES_TIMEOUTS, waitsOf } from '../stores/postgres/connection.js';
import { PostgresHosts } from '../stores/postgres/hosts.js';
import type { Row } from '../stores/row-codecs.js';
import { classifyPostgresError, type RetryPolicy, storeCall } from '../stores/store-errors.js';

/** The channel on which a placement change is announced, as `tenant:epoch`. */
export const PLACEMENT_CHANNEL = 'guildmint_placement';

/** Where a move stands: copying (the source serves, unfenced), fenced (the pause), switched (the old copy to remove). */
export type MoveStep = 'copying' | 'fenced' | 'switched';

/** A tenant's place: the cluster that serves it, and the move under way, if any. */
export interface Placement {
  tenant: string;
  cluster: string;
  /** Grows with every change, so a listener can tell a newer placement from an older one. */
  epoch: number;
  move: null | {
    step: MoveStep;
    /** copying/fenced: the target; switched: the source whose copy is removed. */
    other: string;
    /** Source snapshot xmin (32 bits) of the last copied pass: the next delta starts there. */
    since: number | null;
  };
}

/** The directory's tables: coordinator tables, never a tenant's data (moves skip them). */
export const DIRECTORY_TABLES = ['gm_placement_schema', 'gm_placements'] as const;

const VERSION = 1;
/** The directory's DDL: a coordinator table (not a tenant table) in one named database, with a version row. */
const DDL = [
  'CREATE TABLE IF NOT EXISTS gm_placement_schema (version integer PRIMARY KEY)',
  `CREATE TABLE IF NOT EXISTS gm_placements (
     tenant_id text PRIMARY KEY,
     cluster text NOT NULL,
     epoch bigint NOT NULL DEFAULT 1,
     move_step text CHECK (move_step IN ('copying', 'fenced', 'switched')),
     move_other text,
     move_since bigint,
     updated_at timestamptz NOT NULL DEFAULT now()
   )`,
  'CREATE INDEX IF NOT EXISTS gm_placements_cluster_idx ON gm_placements (cluster)',
];
const DDL_LOCK_KEY = 0x67_6d_70_6c; // 'gmpl'

const RETURNING = 'RETURNING tenant_id, cluster, epoch, move_step, move_other, move_since';
const NOTIFY = `pg_notify('${PLACEMENT_CHANNEL}', tenant_id || ':' || epoch)`;

/**
 * The placement directory (`tenant → cluster`, the move state, an epoch) in the directory cluster's
 * database. New tenants are placed on the cluster with the fewest tenants (ties by name), unless one
 * already holds rows of theirs; two processes placing the same tenant agree (one insert wins, both read
 * it). Every change is announced on `PLACEMENT_CHANNEL` in its own transaction.
 */
export class PlacementDirectory {
  private readonly pool: pg.Pool;
  private readonly hosts: PostgresHosts;
  private readonly retry: RetryPolicy;
  private listener: ConfigListener | undefined;

  constructor(
    url: string,
    private readonly clusters: readonly string[],
  ) {
    this.hosts = new PostgresHosts(url);
    const options = { url, poolSize: 4 };
    this.pool = createPool(options, waitsOf(options), this.hosts);
    this.retry = { classify: classifyPostgresError, budgetMs: POSTGRES_TIMEOUTS.retryBudgetMs };
  }

  async migrate(): Promise<void> {
    await this.call('migrate', async () => {
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1)', [DDL_LOCK_KEY]);
        for (const statement of DDL) await client.query(statement);
        await client.query('INSERT INTO gm_placement_schema (version) VALUES ($1) ON CONFLICT DO NOTHING', [
          VERSION,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    });
  }

  /** The tenant's placement as stored now, or undefined. */
  async get(tenant: string): Promise<Placement | undefined> {
    const rows = await this.query(
      'SELECT tenant_id, cluster, epoch, move_step, move_other, move_since FROM gm_placements WHERE tenant_id = $1',
      [tenant],
    );
    return rows[0] && placementOf(rows[0]);
  }

  /**
   * Places a new tenant: on `holder` when a cluster holds its rows already, else on the cluster with the
   * fewest tenants (ties by name). Returns the placement that won (another process's, if it placed first).
   */
  async place(tenant: string, holder?: string): Promise<Placement> {
    await this.query(
      `WITH chosen AS (
         SELECT c FROM unnest($2::text[]) AS c
         ORDER BY (SELECT count(*) FROM gm_placements p WHERE p.cluster = c), c COLLATE "C" LIMIT 1
       ), placed AS (
         INSERT INTO gm_placements (tenant_id, cluster) SELECT $1, COALESCE($3, (SELECT c FROM chosen))
         ON CONFLICT (tenant_id) DO NOTHING ${RETURNING}
       )
       SELECT ${NOTIFY} FROM placed`,
      [tenant, this.clusters, holder ?? null],
    );
    const placed = await this.get(tenant);
    if (!placed)
      throw new GuildmintError(ErrorCode.STORE_UNAVAILABLE, `tenant ${tenant} could not be placed`);
    return placed;
  }

  /** Every placement, by tenant. */
  async list(): Promise<Placement[]> {
    const rows = await this.query(
      'SELECT tenant_id, cluster, epoch, move_step, move_other, move_since FROM gm_placements ORDER BY tenant_id COLLATE "C"',
      [],
    );
    return rows.map(placementOf);
  }

  /**
   * Records a move's next step, only from the epoch the caller read (the mover's compare-and-set: a second
   * mover racing it finds nothing to update). `cluster` changes only on the switch. Null: the epoch moved on.
   */
  async advance(
    from: Placement,
    next: { cluster?: string; step: MoveStep | null; other?: string | null; since?: number | null },
  ): Promise<Placement | null> {
    const rows = await this.query(
      `WITH changed AS (
         UPDATE gm_placements SET cluster = $3, epoch = epoch + 1, move_step = $4, move_other = $5,
           move_since = $6, updated_at = now()
         WHERE tenant_id = $1 AND epoch = $2 ${RETURNING}
       )
       SELECT changed.*, ${NOTIFY} FROM changed`,
      [
        from.tenant,
        from.epoch,
        next.cluster ?? from.cluster,
        next.step,
        next.step === null ? null : (next.other ?? from.move?.other ?? null),
        next.step === null ? null : next.since === undefined ? (from.move?.since ?? null) : next.since,
      ],
    );
    return rows[0] ? placementOf(rows[0]) : null;
  }

  /**
   * Runs `work` holding a session advisory lock named `name` on the directory (released when `work` ends,
   * or by the server when this process dies); `busy` when another session holds it.
   */
  async withSessionLock<T>(name: string, work: () => Promise<T>, busy: () => never): Promise<T> {
    const client = await this.call('lock', () => this.pool.connect());
    try {
      const { rows } = await client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock(hashtext($1)) AS ok',
        [name],
      );
      if (!rows[0]?.ok) busy();
      try {
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [name]).catch(() => {});
      }
    } finally {
      client.release();
    }
  }

  /** Hear of every placement change (`tenant`, `version` = epoch); `live` as for configs (see `ConfigListener`). */
  watch(
    listener: (change: { tenant: string; version: number }) => void,
    live?: (on: boolean) => void,
  ): () => void {
    this.listener ??= new ConfigListener(this.hosts, PLACEMENT_CHANNEL, POSTGRES_TIMEOUTS.connectTimeoutMs);
    return this.listener.add(listener, live);
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.end(), this.listener?.close()]);
  }

  private query(sql: string, params: unknown[]): Promise<Row[]> {
    return this.call(sql.slice(0, 40), async () => (await this.pool.query(sql, params)).rows as Row[]);
  }

  private call<T>(what: string, work: () => Promise<T>): Promise<T> {
    return storeCall(work, this.retry, `placement directory: ${what}`);
  }
}

function placementOf(row: Row): Placement {
  const step = row.move_step as MoveStep | null;
  return {
    tenant: row.tenant_id as string,
    cluster: row.cluster as string,
    epoch: Number(row.epoch),
    move:
      step === null
        ? null
        : {
            step,
            other: row.move_other as string,
            since: row.move_since === null ? null : Number(row.move_since),
          },
  };
}
