import { memberAccount, userIdOf } from '../context/member-account.js';
import { STATE } from '../context/state-scopes.js';
import type { TenantContext } from '../context/tenant-context.js';
import { ErrorCode, GuildmintError, invalidInput } from '../errors.js';
import { readScope } from '../stores/types.js';
import { initialStreak, parseStreakState, type StreakView, streakView } from '../streaks/index.js';

export function balance(ctx: TenantContext, userId: string): Promise<bigint> {
  return ctx.ledger.balance(memberAccount(userId));
}

/** The richest members, largest balance first (ties by id). */
export async function leaderboard(
  ctx: TenantContext,
  o: { limit?: number } = {},
): Promise<Array<{ userId: string; balance: bigint }>> {
  const limit = o.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw invalidInput('limit', 'must be a whole number from 1 to 100');
  const rows = await ctx.lifecycle.run(() => ctx.store.topBalances(ctx.tenant, limit));
  return rows.map((row) => ({ userId: userIdOf(row.account), balance: row.balance }));
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
