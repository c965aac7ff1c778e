import { BANK_SUFFIX } from '../ledger/accounts.js';
import { int64, type Row } from './row-codecs.js';

// Leaderboard and rank statements both dialects share: the database folds each member's wallet and
// bank and sorts or counts them, so a call moves `limit` rows (or one) to the SDK, not every balance.
// `p(i)` writes the i-th placeholder ($i or ?i); `binary` is the byte-order collation (ties by id
// must sort as JavaScript compares strings, whatever the database's default collation is).

/** What members are ranked by. */
export type RankOrder = 'wallet' | 'bank' | 'total';

export interface RankedMember {
  userId: string;
  wallet: bigint;
  bank: bigint;
}

const PREFIX = 'user:'.length;

const MEASURES: Record<RankOrder, string> = { wallet: 'wallet', bank: 'bank', total: 'wallet + bank' };

/** The SQL of an order; anything else is a bug (the SDK checks `by` first), never inlined. */
function measure(by: RankOrder): string {
  if (!Object.hasOwn(MEASURES, by)) throw new Error(`unknown rank order ${String(by)}`);
  return MEASURES[by];
}

export function memberRankQueries(p: (i: number) => string, binary: string) {
  const isBank = `account LIKE '%${BANK_SUFFIX}'`;
  /** Parameter 1: tenant. One row per member holding an account, with both parts. */
  const members = `WITH held AS (
      SELECT CASE WHEN ${isBank} THEN substr(account, ${PREFIX + 1}, length(account) - ${PREFIX + BANK_SUFFIX.length})
                  ELSE substr(account, ${PREFIX + 1}) END AS user_id,
             CASE WHEN ${isBank} THEN 0 ELSE balance END AS wallet,
             CASE WHEN ${isBank} THEN balance ELSE 0 END AS bank
      FROM gm_balances WHERE tenant_id = ${p(1)} AND slot = 0 AND account LIKE 'user:%'
    ), members AS (
      SELECT user_id, SUM(wallet) AS wallet, SUM(bank) AS bank FROM held GROUP BY user_id
    )`;
  return {
    /** Parameters: tenant, limit. Members with something there, largest first, ties by id. */
    ranked: (by: RankOrder) => `${members}
      SELECT user_id, wallet, bank FROM members WHERE ${measure(by)} > 0
      ORDER BY ${measure(by)} DESC, user_id COLLATE ${binary} LIMIT ${p(2)}`,
    /**
     * Parameters: tenant, offset, limit. A page of `ranked` with each member's recorded name and avatar
     * (null when the runtime never saw them) and how many members are ranked in all (the public leaderboard).
     */
    page: (by: RankOrder) => `${members}
      SELECT m.user_id, m.wallet, m.bank, p.name, p.avatar, COUNT(*) OVER () AS ranked FROM members m
      LEFT JOIN gm_member_profiles p ON p.tenant_id = ${p(1)} AND p.user_id = m.user_id
      WHERE ${measure(by)} > 0
      ORDER BY ${measure(by)} DESC, m.user_id COLLATE ${binary} LIMIT ${p(3)} OFFSET ${p(2)}`,
    /** Parameters: tenant, after (a user id; '' for the start), limit. Every member with an account, by id. */
    byId: `${members}
      SELECT user_id, wallet, bank FROM members WHERE user_id COLLATE ${binary} > ${p(2)}
      ORDER BY user_id COLLATE ${binary} LIMIT ${p(3)}`,
    /** Parameters: tenant, user id. `ahead`: members before this one; null when they hold nothing there. */
    rank: (by: RankOrder) => `${members}, scored AS (
        SELECT user_id, ${measure(by)} AS score FROM members WHERE ${measure(by)} > 0
      ), mine AS (SELECT score FROM scored WHERE user_id = ${p(2)})
      SELECT (SELECT COUNT(*) FROM scored) AS ranked,
             (SELECT COUNT(*) FROM scored, mine
               WHERE scored.score > mine.score
                  OR (scored.score = mine.score AND scored.user_id COLLATE ${binary} < ${p(2)})) AS ahead,
             (SELECT COUNT(*) FROM mine) AS present`,
    /**
     * Parameters: tenant, user id. How many members hold an account, and whether this one does. A member's
     * bank always comes with a wallet row (the write path writes both, and `has_bank` marks it), so this
     * counts wallet rows from the primary key instead of folding every account as `members` does: about an
     * eighth of the time on SQLite at 150,000 members, where the read holds the caller's thread.
     */
    census: `SELECT
      (SELECT COUNT(*) FROM gm_balances WHERE tenant_id = ${p(1)} AND slot = 0
         AND account LIKE 'user:%' AND NOT ${isBank}) AS members,
      (SELECT COUNT(*) FROM gm_balances WHERE tenant_id = ${p(1)} AND account = 'user:' || ${p(2)} AND slot = 0) AS present`,
  };
}

export function rankedMemberFromRow(row: Row): RankedMember {
  return { userId: String(row.user_id), wallet: int64(row.wallet), bank: int64(row.bank) };
}

/** A member's place (1 = first; null when they hold nothing there) and how many members are ranked. */
export function placeFromRow(row: Row): { place: number | null; ranked: number } {
  const ranked = Number(row.ranked);
  return { place: Number(row.present) > 0 ? Number(row.ahead) + 1 : null, ranked };
}

/** How many members hold an account (wallet or bank, whatever its balance) and whether one of them does. */
export interface MemberCensus {
  members: number;
  present: boolean;
}

export function censusFromRow(row: Row): MemberCensus {
  return { members: Number(row.members), present: Number(row.present) > 0 };
}

/** A row of `page`: a ranked member with what the runtime recorded of them, and the board's size. */
export interface ProfiledRankedMember extends RankedMember {
  name: string | null;
  avatar: string | null;
}

export function rankedPageFromRows(rows: readonly Row[]): {
  ranked: number;
  members: ProfiledRankedMember[];
} {
  return {
    ranked: rows.length > 0 ? Number(rows[0]!.ranked) : 0,
    members: rows.map((row) => ({
      ...rankedMemberFromRow(row),
      name: (row.name as string | null | undefined) ?? null,
      avatar: (row.avatar as string | null | undefined) ?? null,
    })),
  };
}
