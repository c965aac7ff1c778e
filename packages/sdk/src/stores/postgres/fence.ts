import type pg from 'pg';
import { ErrorCode, GuildmintError } from '../../errors.js';

/**
 * The per-cluster fence of online tenant moves (`placement/`): a row here says this cluster no longer
 * takes the tenant's grouped writes. The group commit probes it inside its transaction (one index probe
 * in its history read), so a process whose placement directory is stale cannot commit the tenant's money
 * on a cluster it left. Not a tenant table of the schema's migrations: created by `migrate()` beside them.
 */
export const FENCE_TABLE_DDL = `CREATE TABLE IF NOT EXISTS gm_fences (
  tenant_id text PRIMARY KEY,
  epoch bigint NOT NULL,
  fenced_at timestamptz NOT NULL DEFAULT now()
)`;

/**
 * A group named a tenant this cluster is fenced for: nothing was written. The placement store reloads the
 * tenant's cluster and retries there with the same ops (the same idempotency keys); a plain store's caller
 * sees STORE_UNAVAILABLE (the tenant is being moved; try again).
 */
export class TenantFencedError extends GuildmintError {
  constructor(readonly tenants: readonly string[]) {
    super(
      ErrorCode.STORE_UNAVAILABLE,
      `tenant ${tenants.join(', ')} is moving to another cluster; nothing was written, try again`,
    );
  }
}

/** Is this error a fence? */
export function isTenantFenced(error: unknown): error is TenantFencedError {
  return error instanceof TenantFencedError;
}

/** Inside a write's own transaction outside the grouped path (a freeze): refuse a fenced tenant. */
export async function refuseFenced(client: pg.PoolClient, tenant: string): Promise<void> {
  const { rowCount } = await client.query('SELECT 1 FROM gm_fences WHERE tenant_id = $1', [tenant]);
  if (rowCount) throw new TenantFencedError([tenant]);
}
