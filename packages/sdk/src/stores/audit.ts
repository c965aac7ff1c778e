import { BANK_SUFFIX } from '../ledger/accounts.js';
import { malformedAudit } from '../ledger/op-check.js';
import type { AuditEntry, LedgerAudit } from './types.js';

/** 2^32: amounts (always > 0) are summed as high and low halves. */
const HALF = 4_294_967_296n;

/** Row shapes both stores return for an audit; folded here into one `LedgerAudit`. */
export interface AuditRows {
  balances: Array<{ account: string; balance: bigint }>;
  /** Sums split into high and low 32-bit halves, so no SQL SUM can overflow 64 bits. */
  flows: Array<{ account: string; credit_hi: bigint; credit_lo: bigint; debit_hi: bigint; debit_lo: bigint }>;
  forcedDebtors: Array<{ account: string }>;
  badReversals: Array<{ reverses: string }>;
  unmarkedBanks: Array<{ account: string }>;
  tableRows: Array<{ table: string; n: bigint | number }>;
}

/** Every table that holds a tenant's rows: what a refused op must leave exactly as it was. */
export const TENANT_TABLES = [
  'gm_balances',
  'gm_transfers',
  'gm_state',
  'gm_flows',
  'gm_audit',
  'gm_configs',
  'gm_rollups',
  'gm_member_profiles',
  'gm_outbox',
] as const;
const LOGICAL_ROW: Partial<Record<(typeof TENANT_TABLES)[number], string>> = {
  gm_balances: 'DISTINCT account',
  gm_flows: "DISTINCT day || ' ' || account",
  gm_rollups: "DISTINCT CAST(bucket AS TEXT) || ' ' || metric || ' ' || key",
};

export function foldAudit(rows: AuditRows): LedgerAudit {
  return {
    balances: new Map(rows.balances.map((r) => [r.account, BigInt(r.balance)])),
    recomputed: new Map(
      rows.flows.map((r) => [
        r.account,
        (BigInt(r.credit_hi) - BigInt(r.debit_hi)) * HALF + BigInt(r.credit_lo) - BigInt(r.debit_lo),
      ]),
    ),
    forcedDebtors: new Set(rows.forcedDebtors.map((r) => r.account)),
    badReversals: rows.badReversals.map((r) => r.reverses),
    unmarkedBanks: rows.unmarkedBanks.map((r) => r.account),
    tableRows: Object.fromEntries(rows.tableRows.map((r) => [r.table, Number(r.n)])),
  };
}

/** SQL shared by both dialects; `p` is the tenant placeholder (`$1` on PostgreSQL, `:tenant` on SQLite). */
export function auditQueries(p: string) {
  return {
    balances: `SELECT account, SUM(balance) AS balance FROM gm_balances WHERE tenant_id = ${p} GROUP BY account`,
    flows: `SELECT account,
        SUM(credit_hi) AS credit_hi, SUM(credit_lo) AS credit_lo, SUM(debit_hi) AS debit_hi, SUM(debit_lo) AS debit_lo
      FROM (
        SELECT to_account AS account, amount / ${HALF} AS credit_hi, amount % ${HALF} AS credit_lo, 0 AS debit_hi, 0 AS debit_lo
          FROM gm_transfers WHERE tenant_id = ${p}
        UNION ALL
        SELECT from_account AS account, 0, 0, amount / ${HALF}, amount % ${HALF}
          FROM gm_transfers WHERE tenant_id = ${p}
      ) flows GROUP BY account`,
    forcedDebtors: `SELECT DISTINCT from_account AS account FROM gm_transfers WHERE tenant_id = ${p} AND forced`,
    badReversals: `SELECT r.reverses AS reverses FROM gm_transfers r
        LEFT JOIN gm_transfers o ON o.tenant_id = r.tenant_id AND o.id = r.reverses
        WHERE r.tenant_id = ${p} AND r.reverses IS NOT NULL AND o.id IS NULL`,
    unmarkedBanks: `SELECT b.account FROM gm_balances b
        LEFT JOIN gm_balances w ON w.tenant_id = b.tenant_id AND w.slot = 0
          AND w.account = substr(b.account, 1, length(b.account) - ${BANK_SUFFIX.length})
        WHERE b.tenant_id = ${p} AND b.account LIKE 'user:%'
          AND substr(b.account, length(b.account) - ${BANK_SUFFIX.length - 1}) = '${BANK_SUFFIX}'
          AND (w.has_bank IS NULL OR w.has_bank = FALSE)`,
    // An account (or a day's flow of one) spread over several slots on PostgreSQL counts once, as on
    // libSQL: the counts describe what the tenant holds, the same on every store.
    tableRows: TENANT_TABLES.map(
      (table) =>
        `SELECT '${table}' AS "table", COUNT(${LOGICAL_ROW[table] ?? '*'}) AS n FROM ${table} WHERE tenant_id = ${p}`,
    ).join(' UNION ALL '),
  };
}

/** An audit row as either store returns it; `createdAt` converted by the caller (ms or Date). */
export function auditEntryFromRow(row: Record<string, unknown>, createdAt: Date): AuditEntry {
  return {
    id: String(row.id),
    actor: String(row.actor),
    action: String(row.action),
    target: (row.target as string | null) ?? null,
    reason: (row.reason as string | null) ?? null,
    details: (row.details as string | null) ?? null,
    createdAt,
  };
}

/** A store writes an audit entry outside an op (a freeze) only after this: INVALID_INPUT on text it cannot hold. */
export function assertStorableAudit(entry: AuditEntry): void {
  const problem = malformedAudit(entry);
  if (problem) throw problem;
}
