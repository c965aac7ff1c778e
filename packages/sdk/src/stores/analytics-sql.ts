import { BANK_SUFFIX } from '../ledger/accounts.js';
import { MAX_AMOUNT } from '../ledger/amounts.js';
import { RollupMetric } from '../ledger/rollups.js';
import { instant, int64, type Row } from './row-codecs.js';
import type { ListedMember, MemberQuery, RollupQuery, StoredRollup } from './types.js';

// The analytics statements both dialects share; `p(i)` writes the i-th placeholder ($i or ?i).

const METRICS = new Set<string>(Object.values(RollupMetric));

export function analyticsQueries(p: (i: number) => string) {
  return {
    /** Parameters: tenant, from, to; the metrics are inlined (checked against `RollupMetric`). */
    readRollups: ({ metrics, perKey = true }: Pick<RollupQuery, 'metrics' | 'perKey'>) => {
      for (const m of metrics) if (!METRICS.has(m)) throw new Error(`unknown rollup metric ${m}`);
      const list = metrics.map((m) => `'${m}'`).join(', ');
      return `SELECT bucket, metric, ${perKey ? 'key' : "'' AS key"}, SUM(amount) AS amount, SUM(count) AS count
        FROM gm_rollups
        WHERE tenant_id = ${p(1)} AND bucket >= ${p(2)} AND bucket < ${p(3)} AND metric IN (${list})
        GROUP BY bucket, metric${perKey ? ', key' : ''}`;
    },
    /** Parameter: tenant. */
    moneySupply: `SELECT COALESCE(SUM(balance), 0) AS supply FROM gm_balances
      WHERE tenant_id = ${p(1)} AND slot = 0 AND account LIKE 'user:%'`,
    deleteRollups: `DELETE FROM gm_rollups WHERE tenant_id = ${p(1)}`,
    /** Parameters: tenant, user id, name, search text, avatar, now. Writes only what changed. */
    upsertProfile: `INSERT INTO gm_member_profiles (tenant_id, user_id, name, search, avatar, updated_at)
      VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)})
      ON CONFLICT (tenant_id, user_id) DO UPDATE SET
        name = excluded.name, search = excluded.search, avatar = excluded.avatar, updated_at = excluded.updated_at
      WHERE gm_member_profiles.name IS DISTINCT FROM excluded.name
         OR gm_member_profiles.avatar IS DISTINCT FROM excluded.avatar
      RETURNING user_id`,
    /** Parameters: tenant, after, name pattern (null: no search), account pattern, limit. */
    listMembers: `SELECT b.account, b.balance, m.name, m.avatar, m.updated_at FROM gm_balances b
      LEFT JOIN gm_member_profiles m ON m.tenant_id = b.tenant_id AND m.user_id = substr(b.account, 6)
      WHERE b.tenant_id = ${p(1)} AND b.slot = 0 AND b.account LIKE 'user:%' AND b.account > ${p(2)}
        AND b.account NOT LIKE '%${BANK_SUFFIX}'
        AND (CAST(${p(3)} AS TEXT) IS NULL OR m.search LIKE ${p(3)} ESCAPE '\\' OR b.account LIKE ${p(4)} ESCAPE '\\')
      ORDER BY b.account LIMIT ${p(5)}`,
  };
}

/** The parameters of `listMembers` after the tenant. */
export function memberListParams(q: MemberQuery): [string, string | null, string | null, number] {
  const term = q.search?.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  return [q.after ?? 'user:', term ? `%${term}%` : null, term ? `user:${term}%` : null, q.limit];
}

export function rollupFromRow(row: Row): StoredRollup {
  const amount = int64(row.amount);
  return {
    bucket: Number(row.bucket),
    metric: String(row.metric) as StoredRollup['metric'],
    key: String(row.key),
    // Slots summed may pass the 64-bit range a single row saturates at: saturate the sum the same way.
    // biome-ignore lint/complexity/useMathMinMax: bigint, which Math.min refuses
    amount: amount > MAX_AMOUNT ? MAX_AMOUNT : amount,
    count: int64(row.count),
  };
}

export function memberFromRow(row: Row): ListedMember {
  return {
    account: String(row.account),
    balance: int64(row.balance),
    profile:
      row.name === null || row.name === undefined
        ? null
        : {
            userId: String(row.account).slice('user:'.length),
            name: String(row.name),
            avatar: (row.avatar as string | null) ?? null,
            updatedAt: instant(row.updated_at),
          },
  };
}
