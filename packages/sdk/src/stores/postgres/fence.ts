import type pg from 'pg';
import { ErrorCode, GuildmintError } from '../../errors.js';

/**
 * The per-cluster fence of online tenant moves (`placement/`): a row here says this cluster no longer
 * takes the tenant's writes. Every tenant-scoped write of `PostgresStore` probes it inside its own
 * transaction (the group commit in its history read; every other write with `refuseFenced` before its
 * statements; the worker's claims and sweep skip fenced tenants in SQL), so a process whose placement
 * directory is stale cannot write the tenant on a cluster it left: a transaction that probed before the
 * fence was raised is still open then, and the mover waits it out before its last copy.
 * Not a tenant table of the schema's migrations: created by `migrate()` beside them.
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

/**
 * Inside a write's own transaction outside the grouped path, before its statements: refuse it whole when
 * any tenant it names is fenced (one index probe per tenant, one statement).
 */
export async function refuseFenced(client: pg.PoolClient, tenants: readonly string[]): Promise<void> {
  const unique = [...new Set(tenants)];
  if (unique.length === 0) return;
  const { rows } = await client.query<{ tenant_id: string }>(
    'SELECT tenant_id FROM gm_fences WHERE tenant_id = ANY($1::text[])',
    [unique],
  );
  if (rows.length > 0) throw new TenantFencedError(rows.map((row) => row.tenant_id));
}

/**
 * A condition for a cross-tenant statement (claims, the retention sweep): the row's tenant is not fenced here.
 * The fenced tenants are read once (an InitPlan) and each row is filtered against them, so a claim still reads its
 * index in order and stops after the batch; written as NOT EXISTS, the planner hashed an anti-join over every pending
 * row and sorted them all.
 */
export function notFenced(alias: string): string {
  return `${alias}.tenant_id <> ALL (ARRAY(SELECT tenant_id FROM gm_fences))`;
}
