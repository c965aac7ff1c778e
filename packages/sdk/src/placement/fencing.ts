import type pg from 'pg';

// The mover's half of the fence (the group commit's half is in stores/postgres/group-commit.ts).

/** From now on, no new group transaction of the tenant commits on this cluster. */
export async function raiseFence(client: pg.ClientBase, tenant: string, epoch: number): Promise<void> {
  await client.query(
    `INSERT INTO gm_fences (tenant_id, epoch) VALUES ($1, $2)
     ON CONFLICT (tenant_id) DO UPDATE SET epoch = excluded.epoch, fenced_at = now()`,
    [tenant, epoch],
  );
}

/** The cluster takes the tenant's writes again (a move rolled back, or the tenant moving back here). */
export async function lowerFence(client: pg.ClientBase, tenant: string): Promise<void> {
  await client.query('DELETE FROM gm_fences WHERE tenant_id = $1', [tenant]);
}

/**
 * Waits until every transaction of this database that was open when the fence committed has ended, as
 * CREATE INDEX CONCURRENTLY waits for older snapshots: their virtual transaction ids (held by any
 * transaction, even one that has not written yet) are read once, then waited out. A group that read the
 * fence before it committed ends in that wait, committed or not; every later one sees it. The wait is
 * bounded by the store's own statement and idle-in-transaction timeouts.
 */
export async function waitForOlderTransactions(
  client: pg.ClientBase,
  o: { timeoutMs: number; pollMs?: number },
): Promise<void> {
  const { rows } = await client.query<{ v: string }>(
    `SELECT l.virtualtransaction AS v FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'virtualxid' AND l.pid <> pg_backend_pid() AND a.datname = current_database()`,
  );
  const older = rows.map((r) => r.v);
  const deadline = Date.now() + o.timeoutMs;
  while (older.length > 0) {
    const { rows: open } = await client.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM pg_locks WHERE locktype = 'virtualxid' AND virtualtransaction = ANY($1)`,
      [older],
    );
    if (open[0]!.n === '0') return;
    if (Date.now() > deadline) throw new Error('transactions older than the fence did not end in time');
    await new Promise((resolve) => setTimeout(resolve, o.pollMs ?? 2));
  }
}
