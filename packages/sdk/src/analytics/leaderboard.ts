import type { TenantContext } from '../context/tenant-context.js';
import { LEADERBOARD_ORDERS, type LeaderboardOrder } from '../economy/members.js';
import { ErrorCode, GuildmintError, invalidInput } from '../errors.js';

/** A page of the public leaderboard: what a guild that opted in (`publicLeaderboard`) shows anyone. */
export interface PublicLeaderboardQuery {
  /** Wallet (default), bank or total; without a bank in the config, always the wallet. */
  by?: LeaderboardOrder;
  /** 1-based (default 1), at most `MAX_PUBLIC_PAGE`. */
  page?: number;
  /** 1–100, default 25. */
  pageSize?: number;
}

export interface PublicLeaderboardRow {
  /** 1 = richest. */
  place: number;
  userId: string;
  /** What the runtime recorded from Discord (display name, avatar URL); null when it never saw them. */
  name: string | null;
  avatar: string | null;
  /** What the board is sorted by, and both parts. */
  balance: bigint;
  wallet: bigint;
  bank: bigint;
}

export interface PublicLeaderboard {
  by: LeaderboardOrder;
  /** Whether the config has a bank (otherwise only the wallet board exists). */
  bank: boolean;
  page: number;
  pageSize: number;
  /** Members ranked on this board in all (0 past the last page), and the pages they fill. */
  ranked: number;
  pages: number;
  rows: PublicLeaderboardRow[];
  currency: { name: string; symbol: string; decimals: number };
  /** The economy's name, if the config gives one. */
  name: string | null;
}

/** Pages past this one are refused: deep offsets cost the database, and nobody reads them. */
export const MAX_PUBLIC_PAGE = 400;
const DEFAULT_PAGE_SIZE = 25;

/**
 * The public leaderboard of a tenant whose config has `publicLeaderboard: true`. Any other tenant (an
 * unknown one included) is NOT_FOUND, the same answer either way, so a caller learns nothing of a guild
 * that did not opt in.
 */
export async function publicLeaderboard(
  ctx: TenantContext,
  q: PublicLeaderboardQuery = {},
): Promise<PublicLeaderboard> {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(page) || page < 1 || page > MAX_PUBLIC_PAGE)
    throw invalidInput('page', `must be a whole number from 1 to ${MAX_PUBLIC_PAGE}`);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100)
    throw invalidInput('pageSize', 'must be a whole number from 1 to 100');
  if (q.by !== undefined && !LEADERBOARD_ORDERS.includes(q.by))
    throw invalidInput('by', `must be one of ${LEADERBOARD_ORDERS.join(', ')}`);
  const { config } = await ctx.config();
  if (!config.publicLeaderboard)
    throw new GuildmintError(ErrorCode.NOT_FOUND, 'this server has no public leaderboard');
  const by: LeaderboardOrder = config.bank.enabled ? (q.by ?? 'wallet') : 'wallet';
  const offset = (page - 1) * pageSize;
  const { ranked, members } = await ctx.store.rankedMembersPage(ctx.tenant, by, offset, pageSize);
  return {
    by,
    bank: config.bank.enabled,
    page,
    pageSize,
    ranked,
    pages: Math.ceil(ranked / pageSize),
    rows: members.map((m, i) => ({
      place: offset + i + 1,
      userId: m.userId,
      name: m.name,
      avatar: m.avatar,
      balance: by === 'wallet' ? m.wallet : by === 'bank' ? m.bank : m.wallet + m.bank,
      wallet: m.wallet,
      bank: m.bank,
    })),
    currency: config.currency,
    name: config.name ?? null,
  };
}
