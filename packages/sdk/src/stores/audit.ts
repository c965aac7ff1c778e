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
  transferCount: bigint;
}

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
    transferCount: Number(rows.transferCount),
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
    transferCount: `SELECT COUNT(*) AS n FROM gm_transfers WHERE tenant_id = ${p}`,
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
