import type { LedgerAudit } from './types.js';

/** Row shapes both stores return for an audit; folded here into one `LedgerAudit`. */
export interface AuditRows {
  balances: Array<{ account: string; balance: bigint }>;
  flows: Array<{ account: string; net: bigint }>;
  forcedDebtors: Array<{ account: string }>;
  badReversals: Array<{ reverses: string }>;
  transferCount: bigint;
}

export function foldAudit(rows: AuditRows): LedgerAudit {
  return {
    balances: new Map(rows.balances.map((r) => [r.account, BigInt(r.balance)])),
    recomputed: new Map(rows.flows.map((r) => [r.account, BigInt(r.net)])),
    forcedDebtors: new Set(rows.forcedDebtors.map((r) => r.account)),
    badReversals: rows.badReversals.map((r) => r.reverses),
    transferCount: Number(rows.transferCount),
  };
}

/** SQL shared by both dialects; `p` is the tenant placeholder (`$1` on PostgreSQL, `:tenant` on SQLite). */
export function auditQueries(p: string) {
  return {
    balances: `SELECT account, SUM(balance) AS balance FROM gm_balances WHERE tenant_id = ${p} GROUP BY account`,
    flows: `SELECT account, SUM(net) AS net FROM (
        SELECT to_account AS account, amount AS net FROM gm_transfers WHERE tenant_id = ${p}
        UNION ALL
        SELECT from_account AS account, -amount AS net FROM gm_transfers WHERE tenant_id = ${p}
      ) flows GROUP BY account`,
    forcedDebtors: `SELECT DISTINCT from_account AS account FROM gm_transfers WHERE tenant_id = ${p} AND forced`,
    badReversals: `SELECT r.reverses AS reverses FROM gm_transfers r
        LEFT JOIN gm_transfers o ON o.tenant_id = r.tenant_id AND o.id = r.reverses
        WHERE r.tenant_id = ${p} AND r.reverses IS NOT NULL AND o.id IS NULL`,
    transferCount: `SELECT COUNT(*) AS n FROM gm_transfers WHERE tenant_id = ${p}`,
  };
}
