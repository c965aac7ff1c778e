import { holderOf, memberAccount, userIdOf } from '../context/member-account.js';
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
  if (!LEADERBOARD_ORDERS.includes(by))
    throw invalidInput('by', `must be one of ${LEADERBOARD_ORDERS.join(', ')}`);
  if (by === 'wallet') {
    // The store's top balances are every user account's, banks included: ask for twice as many, which
    // leaves enough wallets unless banks crowd the top, and only then count every member.
    const top = await ctx.store.topBalances(ctx.tenant, limit * 2);
    const wallets = top.filter((row) => holderOf(row.account).place === 'wallet');
    if (wallets.length >= limit || top.length < limit * 2) {
      return wallets.slice(0, limit).map((row) => ({ userId: userIdOf(row.account), balance: row.balance }));
    }
  }
  return rankMembers(await memberHoldings(ctx), by).slice(0, limit);
}

/** Every member's wallet and bank, from one read of the user balances. */
export async function memberHoldings(
  ctx: TenantContext,
): Promise<Map<string, { wallet: bigint; bank: bigint }>> {
  const members = new Map<string, { wallet: bigint; bank: bigint }>();
  for (const row of await ctx.store.userBalances(ctx.tenant)) {
    const { userId, place } = holderOf(row.account);
    const entry = members.get(userId) ?? { wallet: 0n, bank: 0n };
    entry[place] += row.balance;
    members.set(userId, entry);
  }
  return members;
}

/** Members sorted by `by`, largest first, ties by id; members with nothing there are left out. */
export function rankMembers(
  members: ReadonlyMap<string, { wallet: bigint; bank: bigint }>,
  by: LeaderboardOrder,
): Array<Required<LeaderboardRow>> {
  const measure = (h: { wallet: bigint; bank: bigint }) =>
    by === 'wallet' ? h.wallet : by === 'bank' ? h.bank : h.wallet + h.bank;
  return [...members]
    .map(([userId, h]) => ({ userId, balance: measure(h), wallet: h.wallet, bank: h.bank }))
    .filter((row) => row.balance > 0n)
    .sort((a, b) =>
      a.balance === b.balance ? (a.userId < b.userId ? -1 : 1) : a.balance > b.balance ? -1 : 1,
    );
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
  const row = (await ctx.lifecycle.run(() => readScope(ctx.store, ctx.tenant, STATE.streak, [key]))).get(key);
  const state = row?.json ? parseStreakState(JSON.parse(row.json)) : initialStreak();
  return { name: streakName, ...streakView(state, streakConfig, ctx.clock.now(), config.timeZone) };
}
