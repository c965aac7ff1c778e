import type { EconomyConfig, FaucetConfig } from '../config/schema.js';
import { type MemberContext, memberAccount, memberEvidence } from '../context/member-account.js';
import { STATE } from '../context/state-scopes.js';
import type { TenantContext } from '../context/tenant-context.js';
import { ErrorCode, GuildmintError, invalidInput, RetryLaterError } from '../errors.js';
import { activeMultiplierBps, applyMultiplier, combineMultipliers } from '../events/index.js';
import { batchIdFor, toPublic } from '../ledger/ledger.js';
import { canonicalMetadata, derivedId, type NewTransfer } from '../ledger/normalize.js';
import type { Transfer } from '../ledger/types.js';
import { FAUCET_MULTIPLIER, faucetMultiplierBps } from '../policy/faucet-multiplier.js';
import type { StateEffect, StateRef, StoredTransfer } from '../stores/types.js';
import {
  advanceStreak,
  dayNumber,
  initialStreak,
  parseStreakState,
  type StreakView,
  streakView,
} from '../streaks/index.js';
import { webhookEvent } from '../webhooks/events.js';
import { type Attempt, type BoundKey, bindKey, keyedTransfers, runKeyed, spendKey } from './keyed.js';
import { streak } from './members.js';

export interface ClaimResult {
  faucet: string;
  userId: string;
  /** Everything paid by this claim: reward plus any milestone bonus. */
  amount: bigint;
  /** The reward before multipliers. */
  base: bigint;
  /** Streak × event × policy multipliers applied to the base, in bps. */
  multiplierBps: number;
  /** A streak milestone bonus paid with this claim (0n if none). */
  bonus: bigint;
  streak?: StreakView;
  /** When this member may claim this faucet again. */
  nextClaimAt: Date;
  transfers: Transfer[];
  /** True when this is the stored result of an earlier call with the same key. */
  replayed: boolean;
}

export interface ClaimOptions {
  key?: string;
  /** The member's roles and join date, for eligibility rules. */
  member?: MemberContext;
}

/** Pays a faucet's reward to a member, once per cooldown, as one atomic, idempotent ledger batch. */
export async function claim(
  ctx: TenantContext,
  faucetName: string,
  userId: string,
  o: ClaimOptions = {},
): Promise<ClaimResult> {
  const account = memberAccount(userId);
  if (typeof faucetName !== 'string') throw invalidInput('faucet', 'must be a faucet name');
  const bound = bindKey('claim', o.key, {
    faucet: faucetName,
    userId,
    member: memberEvidence(o.member),
  });
  return runKeyed(ctx, bound, {
    member: userId,
    reads: (config, now) => {
      const faucet = faucetOf(config, faucetName);
      return faucet ? refsToRead(claimRefs(config, faucetName, userId, now), faucet, config) : [];
    },
    attempt: (from) => attemptClaim(ctx, from, faucetName, userId, account, bound, o.member),
    replay: async () => {
      const result = rebuildClaim(await keyedTransfers(ctx, bound.key), faucetName, userId);
      const { config } = await ctx.config();
      const streakName = config.faucets[faucetName]?.streak;
      return streakName ? { ...result, streak: await streak(ctx, userId, streakName) } : result;
    },
  });
}

/** The state rows a claim reads and guards. */
interface ClaimRefs {
  cooldown: StateRef;
  /** Claims today (the day in the tenant's time zone). */
  claims: StateRef;
  day: number;
  streak?: StateRef;
}

function claimRefs(config: EconomyConfig, name: string, userId: string, now: Date): ClaimRefs {
  const faucet = faucetOf(config, name);
  const day = dayNumber(now, config.timeZone);
  return {
    cooldown: { scope: STATE.cooldown, key: `${name}:${userId}` },
    claims: { scope: STATE.claims, key: `${name}:${userId}:${day}` },
    day,
    ...(faucet?.streak && { streak: { scope: STATE.streak, key: `${faucet.streak}:${userId}` } }),
  };
}

/** Only the rows whose value changes what the claim does (a faucet without cooldown has none to read). */
function refsToRead(refs: ClaimRefs, faucet: FaucetConfig, config: EconomyConfig): StateRef[] {
  return [
    ...(faucet.cooldownSeconds > 0 ? [refs.cooldown] : []),
    ...(faucet.dailyCap !== undefined ? [refs.claims] : []),
    ...(refs.streak ? [refs.streak] : []),
    ...(config.policy.autoBalance.enabled ? [FAUCET_MULTIPLIER] : []),
  ];
}

function faucetOf(config: EconomyConfig, name: string): FaucetConfig | undefined {
  return Object.hasOwn(config.faucets, name) ? config.faucets[name] : undefined;
}

async function attemptClaim(
  ctx: TenantContext,
  { config, now, state }: Attempt,
  name: string,
  userId: string,
  account: string,
  bound: BoundKey,
  member: MemberContext | undefined,
): Promise<ClaimResult> {
  const { key } = bound;
  const faucet = faucetOf(config, name);
  if (!faucet?.enabled) {
    throw new GuildmintError(ErrorCode.NOT_FOUND, `there is no faucet called "${name}" here`);
  }
  checkEligibility(faucet, member, now);
  const refs = claimRefs(config, name, userId, now);

  const cooldownMs = BigInt(faucet.cooldownSeconds) * 1000n;
  const lastClaim = state(refs.cooldown.scope, refs.cooldown.key)?.value;
  const readyAt = lastClaim === undefined ? 0n : lastClaim + cooldownMs;
  if (lastClaim !== undefined && BigInt(now.getTime()) < readyAt) {
    throw cooldownError(name, new Date(Number(readyAt)));
  }
  const claimsToday = state(refs.claims.scope, refs.claims.key)?.value ?? 0n;
  if (faucet.dailyCap !== undefined && claimsToday >= BigInt(faucet.dailyCap)) {
    throw new GuildmintError(
      ErrorCode.LIMIT_REACHED,
      `you have claimed "${name}" ${faucet.dailyCap} times today; come back tomorrow`,
    );
  }

  const base = rewardFor(ctx, faucet);
  let multiplierBps = combineMultipliers([
    activeMultiplierBps(config.events, { faucet: name }, now),
    faucetMultiplierBps(config, state(FAUCET_MULTIPLIER.scope, FAUCET_MULTIPLIER.key)),
  ]);
  let bonus = 0n;
  const effects: StateEffect[] = [spendKey(bound)];
  // A faucet without cooldown needs no guard (two claims in one millisecond must both pass).
  if (cooldownMs > 0n) {
    effects.push({
      kind: 'set',
      ...refs.cooldown,
      value: BigInt(now.getTime()),
      atMost: BigInt(now.getTime()) - cooldownMs,
      fail: {
        code: ErrorCode.COOLDOWN,
        message: `"${name}" is on cooldown`,
        retryAt: new Date(now.getTime() + Number(cooldownMs)),
      },
    });
  }
  effects.push({
    kind: 'add',
    ...refs.claims,
    delta: 1n,
    ...(faucet.dailyCap !== undefined && { max: BigInt(faucet.dailyCap) }),
    fail: { code: ErrorCode.LIMIT_REACHED, message: `the daily limit of "${name}" is reached` },
  });

  let view: StreakView | undefined;
  let streakReached: number | undefined;
  if (faucet.streak && refs.streak) {
    const streakConfig = config.streaks[faucet.streak]!;
    const row = state(refs.streak.scope, refs.streak.key);
    const current = row?.json ? parseStreakState(JSON.parse(row.json)) : initialStreak();
    const advance = advanceStreak(current, streakConfig, now, config.timeZone);
    multiplierBps = combineMultipliers([multiplierBps, advance.multiplierBps]);
    bonus = advance.milestoneBonus;
    view = streakView(advance.state, streakConfig, now, config.timeZone);
    if (advance.counted) {
      streakReached = advance.state.current;
      effects.push({
        kind: 'set',
        ...refs.streak,
        value: BigInt(advance.state.current),
        json: JSON.stringify(advance.state),
        version: row?.version ?? 0n,
        fail: { code: ErrorCode.CONCURRENT_UPDATE, message: 'your streak changed while claiming; try again' },
      });
    }
  }

  // A claim pays at least one minor unit, however small its multipliers: its transfer is the claim's
  // record (a zero amount is no transfer at all), and a reward never silently rounds to nothing.
  const reward = maxBigint(1n, applyMultiplier(base, multiplierBps));
  const total = reward + bonus;
  if (config.policy.dailyEmissionBudget !== null) {
    effects.push({
      kind: 'add',
      scope: STATE.emission,
      key: String(refs.day),
      delta: total,
      max: BigInt(config.policy.dailyEmissionBudget),
      fail: {
        code: ErrorCode.BUDGET_EXHAUSTED,
        message: "today's coin budget for this server is spent; faucets refill tomorrow",
      },
    });
  }

  const nextClaimAt = new Date(now.getTime() + Number(cooldownMs));
  const metadata = canonicalMetadata({
    faucet: name,
    base: base.toString(),
    multiplierBps,
    bonus: bonus.toString(),
    nextClaimAt: nextClaimAt.toISOString(),
    // The streak length this claim reached: what the analytics' streak distribution counts.
    ...(view && streakReached !== undefined && { streak: faucet.streak, streakLength: streakReached }),
  });
  const transfers: NewTransfer[] = [
    {
      id: key,
      from: `faucet:${name}`,
      to: account,
      amount: reward,
      code: `faucet.${name}`,
      metadata,
      reverses: null,
      forced: false,
    },
  ];
  if (bonus > 0n) {
    transfers.push({
      id: derivedId(key, 'bonus'),
      from: `faucet:${name}`,
      to: account,
      amount: bonus,
      code: `faucet.${name}.milestone`,
      metadata,
      reverses: null,
      forced: false,
    });
  }
  const stored = await ctx.submit({
    transfers,
    batchId: transfers.length > 1 ? batchIdFor(ctx.tenant, transfers) : null,
    effects,
    events: [
      webhookEvent(ctx.tenant, 'faucet.claimed', now, {
        id: key,
        userId,
        faucet: name,
        amount: total,
        bonus,
      }),
    ],
  });
  return {
    faucet: name,
    userId,
    amount: total,
    base,
    multiplierBps,
    bonus,
    ...(view && { streak: view }),
    nextClaimAt,
    transfers: stored.map(toPublic),
    replayed: false,
  };
}

function rebuildClaim(stored: StoredTransfer[], faucet: string, userId: string): ClaimResult {
  const main = stored[0]!;
  const meta = JSON.parse(main.metadata ?? '{}') as {
    base?: string;
    multiplierBps?: number;
    bonus?: string;
    nextClaimAt?: string;
  };
  return {
    faucet,
    userId,
    amount: stored.reduce((sum, t) => sum + t.amount, 0n),
    base: BigInt(meta.base ?? main.amount),
    multiplierBps: meta.multiplierBps ?? 10_000,
    bonus: BigInt(meta.bonus ?? 0),
    nextClaimAt: meta.nextClaimAt ? new Date(meta.nextClaimAt) : main.createdAt,
    transfers: stored.map(toPublic),
    replayed: true,
  };
}

function maxBigint(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function rewardFor(ctx: TenantContext, faucet: FaucetConfig): bigint {
  if ('fixed' in faucet.reward) return BigInt(faucet.reward.fixed);
  const { min, max } = faucet.reward;
  return BigInt(min + ctx.random.int(max - min + 1));
}

function checkEligibility(faucet: FaucetConfig, member: MemberContext | undefined, now: Date): void {
  const { roles, minMemberAgeDays } = faucet.eligibility;
  if (roles.length > 0 && !member?.roles?.some((role) => roles.includes(role))) {
    throw new GuildmintError(ErrorCode.NOT_ELIGIBLE, 'this reward is for members with a specific role');
  }
  if (minMemberAgeDays > 0) {
    const joined = member?.joinedAt?.getTime();
    if (joined === undefined || now.getTime() - joined < minMemberAgeDays * 86_400_000) {
      throw new GuildmintError(
        ErrorCode.NOT_ELIGIBLE,
        `this reward is for members who joined at least ${minMemberAgeDays} days ago`,
      );
    }
  }
}

function cooldownError(name: string, retryAt: Date): RetryLaterError {
  return new RetryLaterError(
    ErrorCode.COOLDOWN,
    `"${name}" is on cooldown until ${retryAt.toISOString()}`,
    retryAt,
  );
}
