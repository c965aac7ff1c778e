import type { EconomyConfig } from '../config/schema.js';
import { type MemberContext, memberAccount, memberEvidence } from '../context/member-account.js';
import { STATE } from '../context/state-scopes.js';
import type { TenantContext } from '../context/tenant-context.js';
import { ErrorCode, GuildmintError, RetryLaterError } from '../errors.js';
import { toPublic } from '../ledger/ledger.js';
import { canonicalMetadata, derivedId, type NewTransfer } from '../ledger/normalize.js';
import type { Transfer } from '../ledger/types.js';
import type { StateEffect, StateRef } from '../stores/types.js';
import { dayNumber, dayStart } from '../streaks/index.js';
import { bindKey, keyedTransfers, runKeyed, spendKey } from './keyed.js';
import { commitTransfers, newTransfer } from './receipt.js';

/** Where role income comes from: new currency, counted in the daily emission budget like faucets. */
const ROLE_INCOME_FAUCET = 'faucet:role-income';
const ROLE_INCOME_CODE = 'faucet.role-income';

export interface RoleIncomeLine {
  roleId: string;
  amount: bigint;
  period: 'day' | 'week';
}

export interface CollectResult {
  userId: string;
  /** One line per role paid now. */
  paid: RoleIncomeLine[];
  total: bigint;
  /** When the earliest of the member's role incomes can be collected again. */
  nextAt: Date;
  transfers: Transfer[];
  replayed: boolean;
}

/** Day d (tenant time zone) lies in week floor((d + 3) / 7): day 0, 1970-01-01, was a Thursday, so weeks start on Monday. */
function periodOf(period: 'day' | 'week', day: number): number {
  return period === 'day' ? day : Math.floor((day + 3) / 7);
}

function periodEnd(period: 'day' | 'week', day: number, timeZone: string): Date {
  const next = period === 'day' ? day + 1 : (periodOf('week', day) + 1) * 7 - 3;
  return dayStart(next, timeZone);
}

function incomeRef(userId: string, roleId: string, period: 'day' | 'week', day: number): StateRef {
  return { scope: STATE.roleIncome, key: `${userId}:${roleId}:${period}${periodOf(period, day)}` };
}

/**
 * Pays the member every role income due for the current day or week, for the roles they hold now
 * (the caller passes them, from Discord). Each role pays once per period whatever the key: the period's
 * row is created once, in the same transaction as the money. Nothing due: COOLDOWN until the next one.
 */
export async function collect(
  ctx: TenantContext,
  userId: string,
  o: { member?: MemberContext; key?: string } = {},
): Promise<CollectResult> {
  const account = memberAccount(userId);
  const bound = bindKey('collect', o.key, { userId, member: memberEvidence(o.member) });
  const held = new Set(o.member?.roles ?? []);
  const incomes = (config: EconomyConfig) =>
    config.roleIncome.enabled ? config.roleIncome.roles.filter((r) => held.has(r.roleId)) : [];
  return runKeyed(ctx, bound, {
    member: userId,
    reads: (config, now) => {
      const day = dayNumber(now, config.timeZone);
      return [
        ...incomes(config).map((r) => incomeRef(userId, r.roleId, r.period, day)),
        ...(config.policy.dailyEmissionBudget === null ? [] : [{ scope: STATE.emission, key: String(day) }]),
      ];
    },
    attempt: async ({ config, now, state }) => {
      if (!config.roleIncome.enabled)
        throw new GuildmintError(ErrorCode.NOT_FOUND, 'this server pays no role income');
      const mine = incomes(config);
      if (mine.length === 0)
        throw new GuildmintError(ErrorCode.NOT_ELIGIBLE, 'none of your roles pays an income');
      const day = dayNumber(now, config.timeZone);
      const due = mine.filter((r) => {
        const ref = incomeRef(userId, r.roleId, r.period, day);
        return state(ref.scope, ref.key) === undefined;
      });
      const nextAt = new Date(
        Math.min(...mine.map((r) => periodEnd(r.period, day, config.timeZone).getTime())),
      );
      if (due.length === 0) {
        throw new RetryLaterError(
          ErrorCode.COOLDOWN,
          `you have collected everything due; next at ${nextAt.toISOString()}`,
          nextAt,
        );
      }
      const effects: StateEffect[] = [spendKey(bound)];
      const transfers: NewTransfer[] = due.map((r, i) => {
        // A racing collect of the same period wins this row; this attempt is then recomputed without it.
        effects.push({
          kind: 'set',
          ...incomeRef(userId, r.roleId, r.period, day),
          value: 1n,
          version: 0n,
          fail: { code: ErrorCode.CONCURRENT_UPDATE, message: 'collected meanwhile' },
        });
        const id = i === 0 ? bound.key : derivedId(bound.key, 'role', r.roleId);
        const metadata = canonicalMetadata({ period: r.period, roleId: r.roleId });
        return newTransfer(id, ROLE_INCOME_FAUCET, account, BigInt(r.amount), ROLE_INCOME_CODE, metadata);
      });
      const total = transfers.reduce((sum, t) => sum + t.amount, 0n);
      const budget = config.policy.dailyEmissionBudget;
      if (budget !== null) {
        effects.push({
          kind: 'add',
          scope: STATE.emission,
          key: String(day),
          delta: total,
          max: BigInt(budget),
          fail: {
            code: ErrorCode.BUDGET_EXHAUSTED,
            message: "today's coin budget for this server is spent; try tomorrow",
          },
        });
      }
      const stored = await commitTransfers(ctx, transfers, { effects });
      return resultOf(userId, stored.map(toPublic), nextAt, false);
    },
    replay: async () => {
      const stored = (await keyedTransfers(ctx, bound.key)).map(toPublic);
      const { config } = await ctx.config();
      const day = dayNumber(stored[0]!.createdAt, config.timeZone);
      const periods = stored.map((t) => (t.metadata as { period: 'day' | 'week' }).period);
      const nextAt = new Date(Math.min(...periods.map((p) => periodEnd(p, day, config.timeZone).getTime())));
      return resultOf(userId, stored, nextAt, true);
    },
  });
}

function resultOf(userId: string, transfers: Transfer[], nextAt: Date, replayed: boolean): CollectResult {
  const paid = transfers.map((t) => {
    const meta = t.metadata as { period: 'day' | 'week'; roleId: string };
    return { roleId: meta.roleId, amount: t.amount, period: meta.period };
  });
  return { userId, paid, total: paid.reduce((sum, p) => sum + p.amount, 0n), nextAt, transfers, replayed };
}
