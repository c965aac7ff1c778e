import { MAX_AMOUNT } from '../../ledger/amounts.js';
import { stateKey } from '../../ledger/plan.js';
import {
  type FlowRow,
  type ListedTransfer,
  type ListQuery,
  type StateRow,
  type StoredTransfer,
  scopedKey,
} from '../../ledger/records.js';
import { auditEntryFromRow } from '../audit.js';
import { flowFromRow, instant, int64, stateRowFromRow, transferFromRow } from '../row-codecs.js';
import type { AuditCursor, AuditEntry } from '../types.js';
import type { TenantStateKey, TenantValue } from '../write-path/group-keys.js';
import type { Query } from './connection.js';

// The store's reads outside the write path: one statement each, on any connection of the pool.

/**
 * The balances of these (tenant, account) pairs, each summed over its slots, in one statement: `balance` of
 * concurrent callers (a member's wallet and bank, every /balance of one turn). An account without a row is absent.
 */
export async function fetchBalances(query: Query, keys: TenantValue[]): Promise<Map<string, bigint>> {
  const rows = await query(
    `SELECT tenant_id, account, SUM(balance) AS balance FROM gm_balances
     WHERE (tenant_id, account) IN (SELECT * FROM unnest($1::text[], $2::text[])) GROUP BY tenant_id, account`,
    [keys.map((k) => k.tenant), keys.map((k) => k.value)],
  );
  return new Map(
    rows.map((row) => [scopedKey(String(row.tenant_id), String(row.account)), int64(row.balance)]),
  );
}

export async function findBatch(query: Query, tenant: string, batchId: string): Promise<StoredTransfer[]> {
  const rows = await query('SELECT * FROM gm_transfers WHERE tenant_id = $1 AND batch_id = $2 ORDER BY seq', [
    tenant,
    batchId,
  ]);
  return rows.map(transferFromRow);
}

export async function listTransfers(query: Query, tenant: string, q: ListQuery): Promise<ListedTransfer[]> {
  const before = (q.beforeSeq ?? MAX_AMOUNT).toString();
  const since = q.since ?? new Date(0);
  const rows = q.account
    ? await query(
        `SELECT * FROM (
           (SELECT * FROM gm_transfers WHERE tenant_id = $1 AND from_account = $2 AND seq < $3 AND created_at >= $5 ORDER BY seq DESC LIMIT $4)
           UNION ALL
           (SELECT * FROM gm_transfers WHERE tenant_id = $1 AND to_account = $2 AND seq < $3 AND created_at >= $5 ORDER BY seq DESC LIMIT $4)
         ) t ORDER BY seq DESC LIMIT $4`,
        [tenant, q.account, before, q.limit, since],
      )
    : await query(
        'SELECT * FROM gm_transfers WHERE tenant_id = $1 AND seq < $2 AND created_at >= $4 ORDER BY seq DESC LIMIT $3',
        [tenant, before, q.limit, since],
      );
  return rows.map((row) => ({ ...transferFromRow(row), seq: int64(row.seq) }));
}

export async function findReversed(
  query: Query,
  tenant: string,
  ids: readonly string[],
): Promise<Set<string>> {
  const rows = await query(
    'SELECT reverses FROM gm_transfers WHERE tenant_id = $1 AND reverses = ANY($2::text[])',
    [tenant, ids],
  );
  return new Set(rows.map((row) => String(row.reverses)));
}

/** The transfers of these (tenant, id) pairs, in one statement: `findTransfers` of concurrent callers. */
export async function fetchTransfers(
  query: Query,
  keys: TenantValue[],
): Promise<Map<string, StoredTransfer>> {
  const rows = await query(
    'SELECT * FROM gm_transfers WHERE (tenant_id, id) IN (SELECT * FROM unnest($1::text[], $2::text[]))',
    [keys.map((k) => k.tenant), keys.map((k) => k.value)],
  );
  return new Map(rows.map((row) => [scopedKey(String(row.tenant_id), String(row.id)), transferFromRow(row)]));
}

/** The state rows of these keys, in one statement: `readStates` of concurrent callers. */
export async function fetchStateRows(query: Query, keys: TenantStateKey[]): Promise<Map<string, StateRow>> {
  const rows = await query(
    `SELECT tenant_id, scope, key, value, json, version FROM gm_state
     WHERE (tenant_id, scope, key) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[])) AND version > 0`,
    [keys.map((k) => k.tenant), keys.map((k) => k.scope), keys.map((k) => k.key)],
  );
  return new Map(
    rows.map((row) => [
      stateKey(String(row.tenant_id), String(row.scope), String(row.key)),
      stateRowFromRow(row),
    ]),
  );
}

export async function scanState(
  query: Query,
  tenant: string,
  scope: string,
  prefix: string,
): Promise<Array<StateRow & { key: string }>> {
  const rows = await query(
    `SELECT key, value, json, version FROM gm_state
     WHERE tenant_id = $1 AND scope = $2 AND key >= $3 AND key < $4 ORDER BY key COLLATE "C"`,
    [tenant, scope, prefix, `${prefix}\uffff`],
  );
  return rows.map((row) => ({ key: String(row.key), ...stateRowFromRow(row) }));
}

export async function listAudit(
  query: Query,
  tenant: string,
  q: { limit: number; before?: AuditCursor },
): Promise<AuditEntry[]> {
  const before = q.before;
  const rows =
    before instanceof Date || before === undefined
      ? await query(
          `SELECT * FROM gm_audit WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR created_at < $2)
           ORDER BY seq DESC LIMIT $3`,
          [tenant, before?.toISOString() ?? null, q.limit],
        )
      : await query(
          `SELECT * FROM gm_audit WHERE tenant_id = $1
             AND seq < (SELECT seq FROM gm_audit WHERE tenant_id = $1 AND id = $2)
           ORDER BY seq DESC LIMIT $3`,
          [tenant, before.id, q.limit],
        );
  return rows.map((row) => auditEntryFromRow(row, instant(row.created_at)));
}

export async function flows(query: Query, tenant: string, sinceDay: string): Promise<FlowRow[]> {
  const rows = await query(
    `SELECT day, account, SUM(credit) AS credit, SUM(debit) AS debit, SUM(count) AS count
     FROM gm_flows WHERE tenant_id = $1 AND day >= $2 GROUP BY day, account`,
    [tenant, sinceDay],
  );
  return rows.map(flowFromRow);
}

export async function topBalances(
  query: Query,
  tenant: string,
  limit: number,
): Promise<Array<{ account: string; balance: bigint }>> {
  const rows = await query(
    `SELECT account, balance FROM gm_balances
     WHERE tenant_id = $1 AND slot = 0 AND account LIKE 'user:%' AND balance > 0
     ORDER BY balance DESC, account LIMIT $2`,
    [tenant, limit],
  );
  return rows.map((row) => ({ account: String(row.account), balance: int64(row.balance) }));
}

export async function userBalances(
  query: Query,
  tenant: string,
): Promise<Array<{ account: string; balance: bigint; activeAt: Date | null }>> {
  const rows = await query(
    `SELECT account, balance, active_at FROM gm_balances WHERE tenant_id = $1 AND slot = 0 AND account LIKE 'user:%'`,
    [tenant],
  );
  return rows.map((row) => ({
    account: String(row.account),
    balance: int64(row.balance),
    activeAt: row.active_at === null || row.active_at === undefined ? null : instant(row.active_at),
  }));
}

export async function isFrozen(query: Query, tenant: string, account: string): Promise<boolean> {
  const rows = await query(
    'SELECT frozen FROM gm_balances WHERE tenant_id = $1 AND account = $2 AND slot = 0',
    [tenant, account],
  );
  return rows[0]?.frozen === true;
}
