import type pg from 'pg';
import { isUserAccount } from '../../ledger/accounts.js';
import { MAX_AMOUNT, MIN_BALANCE } from '../../ledger/amounts.js';
import { type GroupPlan, type GroupState, stateKey } from '../../ledger/plan.js';
import { type AuditEntry, type StoredTransfer, scopedKey } from '../../ledger/records.js';
import { flag, int64, type Row, stateRowFromRow, transferFromRow } from '../row-codecs.js';
import type { AsyncGroupAdapter } from '../write-path/commit-group.js';
import { emptyGroupState, type GroupKeys } from '../write-path/group-keys.js';

export const MAX_SYSTEM_SLOTS = 16;

/**
 * The PostgreSQL half of the write path, inside one group's transaction. The existing user accounts
 * and state rows a group names are locked in one fixed order (SELECT … FOR UPDATE sorted by key), so
 * two groups never wait on each other in a cycle. Rows that do not exist yet are not created up front:
 * only the ops the money rules accept write them, so a refused op leaves no row behind; two groups
 * inserting the same new state row race on its primary key, and the loser is retried as transient.
 * System accounts are not locked (they may go negative) and are credited through per-slot deltas, as are
 * the daily flow rollups. The statements are named (prepared once per connection, not re-planned per group).
 */
export function postgresGroupAdapter(client: pg.PoolClient, slot: number): AsyncGroupAdapter {
  return {
    read: (keys) => readGroupState(client, keys),
    write: (plan, now) => writeGroup(client, plan, now, slot),
  };
}

async function readGroupState(client: pg.PoolClient, keys: GroupKeys): Promise<GroupState> {
  const state = emptyGroupState(keys);
  if (keys.users.length > 0) {
    // Lock the user rows that exist in (tenant, account) byte order, so two groups never lock out of
    // order. A user without a row keeps balance 0, not frozen; the balance upsert creates its row,
    // and only if an accepted op moves its balance (concurrent creators add up there).
    const { rows } = await client.query({
      name: 'gm.lock-users',
      text: `SELECT tenant_id, account, balance, frozen FROM gm_balances
       WHERE slot = 0 AND (tenant_id, account) IN (SELECT * FROM unnest($1::text[], $2::text[]))
       ORDER BY tenant_id COLLATE "C", account COLLATE "C" FOR UPDATE`,
      values: [keys.users.map((u) => u.tenant), keys.users.map((u) => u.value)],
    });
    for (const row of rows as Row[]) {
      state.accounts.set(scopedKey(String(row.tenant_id), String(row.account)), {
        balance: int64(row.balance),
        frozen: flag(row.frozen),
      });
    }
  }
  const { rows: existing } = await client.query({
    name: 'gm.existing-ids',
    text: 'SELECT * FROM gm_transfers WHERE (tenant_id, id) IN (SELECT * FROM unnest($1::text[], $2::text[]))',
    values: [keys.transferIds.map((t) => t.tenant), keys.transferIds.map((t) => t.value)],
  });
  for (const row of existing as Row[]) {
    state.existing.set(scopedKey(String(row.tenant_id), String(row.id)), transferFromRow(row));
  }
  if (keys.reversalTargets.length > 0) {
    const { rows } = await client.query({
      name: 'gm.reversed',
      text: 'SELECT tenant_id, reverses FROM gm_transfers WHERE (tenant_id, reverses) IN (SELECT * FROM unnest($1::text[], $2::text[]))',
      values: [keys.reversalTargets.map((t) => t.tenant), keys.reversalTargets.map((t) => t.value)],
    });
    for (const row of rows as Row[])
      state.reversed.add(scopedKey(String(row.tenant_id), String(row.reverses)));
  }
  if (keys.stateKeys.length > 0) {
    // The same for state rows: lock those that exist, in order; a missing one is inserted by the write,
    // where a racing insert of the same key fails on the primary key and the group is retried.
    // A row of version 0 (a placeholder written by earlier versions) plans exactly like a missing one.
    const { rows } = await client.query({
      name: 'gm.lock-state',
      text: `SELECT tenant_id, scope, key, value, json, version FROM gm_state
       WHERE (tenant_id, scope, key) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))
       ORDER BY tenant_id COLLATE "C", scope COLLATE "C", key COLLATE "C" FOR UPDATE`,
      values: [
        keys.stateKeys.map((k) => k.tenant),
        keys.stateKeys.map((k) => k.scope),
        keys.stateKeys.map((k) => k.key),
      ],
    });
    for (const row of rows as Row[]) {
      state.state.set(
        stateKey(String(row.tenant_id), String(row.scope), String(row.key)),
        stateRowFromRow(row),
      );
    }
  }
  return state;
}

async function writeGroup(client: pg.PoolClient, plan: GroupPlan, now: Date, slot: number): Promise<void> {
  if (plan.inserts.length > 0) await insertTransfers(client, plan.inserts);
  if (plan.deltas.length > 0) {
    const { rows } = await client.query({
      name: 'gm.balance-deltas',
      text: `INSERT INTO gm_balances (tenant_id, account, slot, balance, version, active_at)
       SELECT tenant_id, account, slot, delta, 1, $5
       FROM unnest($1::text[], $2::text[], $3::smallint[], $4::bigint[]) AS d(tenant_id, account, slot, delta)
       ORDER BY tenant_id, account, slot
       ON CONFLICT (tenant_id, account, slot)
       DO UPDATE SET balance = gm_balances.balance + excluded.balance, version = gm_balances.version + 1,
                     active_at = excluded.active_at
       RETURNING tenant_id, account, balance`,
      values: [
        plan.deltas.map((d) => d.tenant),
        plan.deltas.map((d) => d.account),
        plan.deltas.map((d) => (isUserAccount(d.account) ? 0 : slot)),
        plan.deltas.map((d) => d.delta.toString()),
        now.toISOString(),
      ],
    });
    await assertSystemTotalsInRange(client, rows as Row[]);
  }
  await writeStateAndRollups(client, plan, now, slot);
}

async function writeStateAndRollups(
  client: pg.PoolClient,
  plan: GroupPlan,
  now: Date,
  slot: number,
): Promise<void> {
  const updates = plan.stateWrites.filter((w) => w.existed);
  if (updates.length > 0) {
    // These rows were found and locked by readGroupState.
    await client.query({
      name: 'gm.update-state',
      text: `UPDATE gm_state SET value = w.v, json = w.j, version = w.ver, updated_at = $7
       FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[]) AS w(t, s, k, v, j, ver)
       WHERE gm_state.tenant_id = w.t AND gm_state.scope = w.s AND gm_state.key = w.k`,
      values: stateColumns(updates, now),
    });
  }
  const inserts = plan.stateWrites.filter((w) => !w.existed);
  if (inserts.length > 0) {
    // No ON CONFLICT: a group that inserted the same key first makes this one fail and be retried.
    await client.query({
      name: 'gm.insert-state',
      text: `INSERT INTO gm_state (tenant_id, scope, key, value, json, version, updated_at)
       SELECT t, s, k, v, j, ver, $7
       FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[]) AS w(t, s, k, v, j, ver)
       ORDER BY t COLLATE "C", s COLLATE "C", k COLLATE "C"`,
      values: stateColumns(inserts, now),
    });
  }
  if (plan.flows.length > 0) {
    await client.query({
      name: 'gm.flows',
      text: `INSERT INTO gm_flows (tenant_id, day, account, slot, credit, debit, count)
       SELECT t, d, a, $7, c, db, n FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[])
         AS f(t, d, a, c, db, n)
       ORDER BY 1, 2, 3
       ON CONFLICT (tenant_id, day, account, slot) DO UPDATE SET
         credit = LEAST(gm_flows.credit::numeric + excluded.credit, ${MAX_AMOUNT})::bigint,
         debit = LEAST(gm_flows.debit::numeric + excluded.debit, ${MAX_AMOUNT})::bigint,
         count = gm_flows.count + excluded.count`,
      values: [
        plan.flows.map((f) => f.tenant),
        plan.flows.map((f) => f.day),
        plan.flows.map((f) => f.account),
        plan.flows.map((f) => f.credit.toString()),
        plan.flows.map((f) => f.debit.toString()),
        plan.flows.map((f) => f.count.toString()),
        slot,
      ],
    });
  }
  if (plan.audits.length > 0) await insertAudits(client, plan.audits);
}

export async function insertAudits(
  client: pg.PoolClient,
  entries: Array<AuditEntry & { tenant: string }>,
): Promise<void> {
  await client.query({
    name: 'gm.audit',
    text: `INSERT INTO gm_audit (tenant_id, id, actor, action, target, reason, details, created_at)
     SELECT t, i, ac, act, tg, r, d, c
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
       WITH ORDINALITY AS a(t, i, ac, act, tg, r, d, c, n) ORDER BY n`,
    values: [
      entries.map((a) => a.tenant),
      entries.map((a) => a.id),
      entries.map((a) => a.actor),
      entries.map((a) => a.action),
      entries.map((a) => a.target),
      entries.map((a) => a.reason),
      entries.map((a) => a.details),
      entries.map((a) => a.createdAt.toISOString()),
    ],
  });
}

/**
 * A system account's balance is the sum of its slots, which no single row's BIGINT guards: after the
 * slot writes, sum each touched system account (its rows are few and indexed) and fail like an overflow
 * when one left the 64-bit range (the batcher then isolates the op that did it).
 */
async function assertSystemTotalsInRange(client: pg.PoolClient, updated: Row[]): Promise<void> {
  const system = updated.filter((row) => !isUserAccount(String(row.account)));
  if (system.length === 0) return;
  const { rows } = await client.query({
    name: 'gm.system-totals',
    text: `SELECT tenant_id, account FROM gm_balances
     WHERE (tenant_id, account) IN (SELECT * FROM unnest($1::text[], $2::text[]))
     GROUP BY tenant_id, account
     HAVING SUM(balance) > ${MAX_AMOUNT} OR SUM(balance) < ${MIN_BALANCE}`,
    values: [system.map((r) => r.tenant_id), system.map((r) => r.account)],
  });
  if (rows.length > 0) {
    throw Object.assign(
      new Error(`system account ${String(rows[0]!.account)} would leave the 64-bit range`),
      {
        code: '22003',
      },
    );
  }
}

function stateColumns(writes: GroupPlan['stateWrites'], now: Date): unknown[] {
  return [
    writes.map((w) => w.tenant),
    writes.map((w) => w.scope),
    writes.map((w) => w.key),
    writes.map((w) => w.row.value.toString()),
    writes.map((w) => w.row.json),
    writes.map((w) => w.row.version.toString()),
    now.toISOString(),
  ];
}

async function insertTransfers(client: pg.PoolClient, inserts: StoredTransfer[]): Promise<void> {
  const column = <K extends keyof StoredTransfer>(key: K) => inserts.map((t) => t[key]);
  await client.query({
    name: 'gm.insert-transfers',
    text: `INSERT INTO gm_transfers (tenant_id, id, batch_id, from_account, to_account, amount, code, metadata, reverses, forced, created_at)
     SELECT tenant_id, id, batch_id, from_account, to_account, amount, code, metadata, reverses, forced, created_at
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[],
                 $9::text[], $10::boolean[], $11::timestamptz[])
       WITH ORDINALITY AS t(tenant_id, id, batch_id, from_account, to_account, amount, code, metadata, reverses, forced, created_at, n)
     ORDER BY n`,
    values: [
      column('tenant'),
      column('id'),
      column('batchId'),
      column('from'),
      column('to'),
      inserts.map((t) => t.amount.toString()),
      column('code'),
      column('metadata'),
      column('reverses'),
      column('forced'),
      inserts.map((t) => t.createdAt.toISOString()),
    ],
  });
}
