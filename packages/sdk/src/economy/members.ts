import { memberAccount } from '../context/member-account.js';
import { STATE } from '../context/state-scopes.js';
import type { TenantContext } from '../context/tenant-context.js';
import { ErrorCode, GuildmintError, invalidInput } from '../errors.js';
import { readScope } from '../stores/types.js';
import { initialStreak, parseStreakState, type StreakView, streakView } from '../streaks/index.js';

export function balance(ctx: TenantContext, userId: string): Promise<bigint> {
  return ctx.ledger.balance(memberAccount(userId));
}

export const LEADERBOARD_ORDERS = ['wallet', 'bank', 'total'] as const;
export type LeaderboardOrder = (typeof LEADERBOARD_ORDERS)[number];

export interface LeaderboardRow {
  userId: string;
  /** What the board is sorted by: the wallet, the bank or both together. */
  balance: bigint;
  /** Both parts, on boards sorted by bank or total. */
  wallet?: bigint;
  bank?: bigint;
}

/** The richest members by wallet (default), bank or both, largest first (ties by id). */
export async function leaderboard(
  ctx: TenantContext,
  o: { limit?: number; by?: LeaderboardOrder } = {},
): Promise<LeaderboardRow[]> {
  const limit = o.limit ?? 10;
  const by = o.by ?? 'wallet';
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw invalidInput('limit', 'must be a whole number from 1 to 100');
  assertOrder(by);
  const rows = await ctx.store.rankedMembers(ctx.tenant, by, limit);
  return rows.map(({ userId, wallet, bank }) =>
    by === 'wallet'
      ? { userId, balance: wallet }
      : { userId, balance: by === 'bank' ? bank : wallet + bank, wallet, bank },
  );
}

/** A member's place on the board by `by` (1 = first; null when they hold nothing there), counted by the store. */
export function memberRank(
  ctx: TenantContext,
  userId: string,
  by: LeaderboardOrder = 'total',
): Promise<{ place: number | null; ranked: number }> {
  memberAccount(userId);
  assertOrder(by);
  return ctx.store.memberRank(ctx.tenant, userId, by);
}

/** The store builds its statement from `by`: only the three orders may reach it. */
function assertOrder(by: unknown): asserts by is LeaderboardOrder {
  if (!LEADERBOARD_ORDERS.includes(by as LeaderboardOrder))
    throw invalidInput('by', `must be one of ${LEADERBOARD_ORDERS.join(', ')}`);
}

/** Every member's wallet and bank, by id, `limit` (1–1000) after `after`: for exports that page through a big guild. */
export async function memberBalances(
  ctx: TenantContext,
  o: { after?: string; limit?: number } = {},
): Promise<Array<{ userId: string; wallet: bigint; bank: bigint }>> {
  const limit = o.limit ?? 500;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw invalidInput('limit', 'must be a whole number from 1 to 1000');
  const after = o.after ?? '';
  if (typeof after !== 'string' || after.length > 64) throw invalidInput('after', 'must be a member id');
  return ctx.store.memberBalances(ctx.tenant, after, limit);
}

/** A member's streak as they would see it now (the first streak of the config when no name is given). */
export async function streak(
  ctx: TenantContext,
  userId: string,
  name?: string,
): Promise<StreakView & { name: string }> {
  memberAccount(userId);
  const { config } = await ctx.config();
  const streakName = name ?? Object.keys(config.streaks)[0];
  const streakConfig = streakName === undefined ? undefined : config.streaks[streakName];
  if (streakName === undefined || !streakConfig) {
    throw new GuildmintError(
      ErrorCode.NOT_FOUND,
      name ? `there is no streak called "${name}"` : 'this economy has no streaks',
    );
  }
  const key = `${streakName}:${userId}`;
  const row = (await readScope(ctx.store, ctx.tenant, STATE.streak, [key])).get(key);
  const state = row?.json ? parseStreakState(JSON.parse(row.json)) : initialStreak();
  return { name: streakName, ...streakView(state, streakConfig, ctx.clock.now(), config.timeZone) };
}
