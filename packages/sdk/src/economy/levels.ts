import type { LevelsConfig } from '../config/levels.js';
import type { EconomyConfig } from '../config/schema.js';
import { memberAccount, memberEvidence } from '../context/member-account.js';
import { STATE } from '../context/state-scopes.js';
import type { TenantContext } from '../context/tenant-context.js';
import { ErrorCode, invalidInput } from '../errors.js';
import { toPublic } from '../ledger/ledger.js';
import type { Transfer } from '../ledger/types.js';
import { levelOf, roleRewardsBetween } from '../levels/curve.js';
import { parseVoiceSession, type VoiceSession } from '../levels/voice-session.js';
import { ActivityWindow } from '../levels/window.js';
import type { StateEffect, StateRef } from '../stores/types.js';
import { dayNumber } from '../streaks/index.js';
import { type Attempt, type BoundKey, bindKey, runKeyed, spendKey } from './keyed.js';
import { commitTransfers, newTransfer } from './receipt.js';

/** Where activity coins come from: a faucet, so analytics count them as minted by `faucet.activity`. */
const ACTIVITY_FAUCET = 'faucet:activity';
const ACTIVITY_CODE = 'faucet.activity';

export interface MessageActivity {
  userId: string;
  /** The Discord message id: a message is rewarded at most once, whichever process sees it. */
  messageId: string;
  channelId: string;
  /** The author's roles (ignored roles earn nothing). */
  roles?: readonly string[];
}

export interface VoiceActivity {
  userId: string;
  /** Names one voice period (the runtime: channel, member and start): paid at most once. */
  periodId: string;
  /** Whole minutes the member spent with company and not deafened. */
  minutes: number;
  roles?: readonly string[];
}

/** Why an activity earned nothing. */
export type NoRewardReason = 'off' | 'window' | 'ignored';

export interface ActivityResult {
  userId: string;
  rewarded: boolean;
  reason?: NoRewardReason;
  /** Coins paid (after the daily cap and the emission budget). */
  coins: bigint;
  xp: number;
  totalXp: number;
  level: number;
  previousLevel: number;
  /** Role ids reached by this reward's level-up (grant them). */
  roleRewards: string[];
  transfers: Transfer[];
  replayed: boolean;
}

export interface LevelRank {
  userId: string;
  xp: number;
  level: number;
  intoLevel: number;
  levelSpan: number;
  nextLevelAt: number;
  /** 1 for the most XP; null for a member without XP. */
  rank: number | null;
}

/** `tenant.levels`: activity income (coins and XP) and the levels it reaches. */
export interface Levels {
  /** Reward a message (at most one per window per member); most calls answer from memory, writing nothing. */
  message(activity: MessageActivity): Promise<ActivityResult>;
  /** Reward minutes spent in voice with company, once per period. */
  voice(activity: VoiceActivity): Promise<ActivityResult>;
  /** A member's XP, level and rank by XP. */
  rank(userId: string): Promise<LevelRank>;
  /** The members with the most XP. */
  top(o?: { limit?: number }): Promise<LevelRank[]>;
  /**
   * True when this process knows `userId`'s messages earn nothing right now (their window is open in
   * memory): the caller may skip `message` for them. Synchronous, no store read; false means "ask".
   */
  quiet(userId: string): boolean;
  /**
   * Saves members' voice sessions (a runtime's bookkeeping, so that voice minutes survive a restart), all in
   * one commit. Last write wins: one process tracks a guild's voice states at a time (its shard's).
   */
  saveVoiceSessions(sessions: ReadonlyArray<{ userId: string; session: VoiceSession }>): Promise<void>;
  /** The sessions saved that still matter: members in voice, or periods still due. */
  voiceSessions(): Promise<Array<{ userId: string; session: VoiceSession }>>;
}

/** Stored under the spent key: a reward's answer, amounts as strings. */
interface StoredResult extends Omit<ActivityResult, 'coins' | 'transfers' | 'replayed'> {
  coins: string;
  transferIds: string[];
}

/**
 * The levels of one tenant handle, with its process-local window (see `ActivityWindow`). `gate` runs the
 * operations inside the tenant's gate; `quiet` reads memory only and stays synchronous.
 */
export function createLevels(ctx: TenantContext, gate: <T extends object>(calls: T) => T): Levels {
  const window = new ActivityWindow();
  const operations = gate({
    message: (activity: MessageActivity) => rewardMessage(ctx, window, activity),
    voice: (activity: VoiceActivity) => rewardVoice(ctx, activity),
    rank: (userId: string) => rank(ctx, userId),
    top: (o?: { limit?: number }) => top(ctx, o),
    saveVoiceSessions: (sessions: ReadonlyArray<{ userId: string; session: VoiceSession }>) =>
      saveVoiceSessions(ctx, sessions),
    voiceSessions: () => voiceSessions(ctx),
  });
  return Object.freeze({
    ...operations,
    quiet: (userId: string) => window.closed(userId, ctx.clock.now().getTime()),
  });
}

async function rewardMessage(
  ctx: TenantContext,
  window: ActivityWindow,
  a: MessageActivity,
): Promise<ActivityResult> {
  memberAccount(a?.userId);
  const nowMs = ctx.clock.now().getTime();
  // Most messages stop here: nothing read, nothing written.
  if (window.closed(a.userId, nowMs)) return noActivityReward(a.userId, 'window');
  if (typeof a.messageId !== 'string' || !/^\d{1,20}$/.test(a.messageId))
    throw invalidInput('messageId', 'must be a Discord message id');
  if (typeof a.channelId !== 'string') throw invalidInput('channelId', 'must be a Discord channel id');
  const { config } = await ctx.config();
  const levels = config.levels;
  if (!levels.enabled) return noActivityReward(a.userId, 'off');
  if (levels.ignoredChannels.includes(a.channelId) || isIgnored(levels, a.roles))
    return noActivityReward(a.userId, 'ignored');
  const bound = bindKey('activity.message', `activity-msg-${a.messageId}`, {
    userId: a.userId,
    channelId: a.channelId,
    roles: memberEvidence({ ...(a.roles && { roles: a.roles }) }),
  });
  const windowMs = levels.message.windowSeconds * 1000;
  // The member's window closes now, not when the store answers: their messages meanwhile (a burst) are
  // answered from memory instead of each reading the store. Reopened if this reward fails.
  window.close(a.userId, nowMs + windowMs, nowMs);
  return reward(ctx, bound, a.userId, {
    extraReads: [{ scope: STATE.activityWindow, key: a.userId }],
    plan: ({ state, now }, rules) => {
      const last = state(STATE.activityWindow, a.userId)?.value;
      if (last !== undefined && Number(last) + windowMs > now.getTime()) {
        window.close(a.userId, Number(last) + windowMs, now.getTime());
        return undefined;
      }
      const { coins, xp } = rules.message;
      return {
        coins: BigInt(coins.min + ctx.random.int(coins.max - coins.min + 1)),
        xp: xp.min + ctx.random.int(xp.max - xp.min + 1),
        effects: [
          {
            kind: 'set',
            scope: STATE.activityWindow,
            key: a.userId,
            value: BigInt(now.getTime()),
            atMost: BigInt(now.getTime() - windowMs),
            fail: { code: ErrorCode.CONCURRENT_UPDATE, message: 'rewarded meanwhile' },
          },
        ],
      };
    },
    rewarded: (now) => window.close(a.userId, now.getTime() + windowMs, now.getTime()),
  }).catch((error: unknown) => {
    window.open(a.userId);
    throw error;
  });
}

async function rewardVoice(ctx: TenantContext, a: VoiceActivity): Promise<ActivityResult> {
  memberAccount(a?.userId);
  if (typeof a.periodId !== 'string' || !/^[A-Za-z0-9_.-]{1,100}$/.test(a.periodId))
    throw invalidInput('periodId', 'must be 1-100 characters of A-Z a-z 0-9 _ . -');
  if (!Number.isSafeInteger(a.minutes) || a.minutes < 1)
    throw invalidInput('minutes', 'must be a whole number of minutes, at least 1');
  const { config } = await ctx.config();
  const levels = config.levels;
  if (!levels.enabled || !levels.voice.enabled) return noActivityReward(a.userId, 'off');
  if (isIgnored(levels, a.roles)) return noActivityReward(a.userId, 'ignored');
  const bound = bindKey('activity.voice', `activity-voice-${a.periodId}`, {
    userId: a.userId,
    minutes: a.minutes,
    roles: memberEvidence({ ...(a.roles && { roles: a.roles }) }),
  });
  return reward(ctx, bound, a.userId, {
    extraReads: [],
    plan: (_attempt, rules) => {
      const minutes = Math.min(a.minutes, rules.voice.maxMinutesPerPeriod);
      return {
        coins: BigInt(minutes) * BigInt(rules.voice.coinsPerMinute),
        xp: minutes * rules.voice.xpPerMinute,
        effects: [],
      };
    },
    rewarded: () => {},
  });
}

async function saveVoiceSessions(
  ctx: TenantContext,
  sessions: ReadonlyArray<{ userId: string; session: VoiceSession }>,
): Promise<void> {
  if (!Array.isArray(sessions) || sessions.length > 1_000)
    throw invalidInput('sessions', 'must be a list of at most 1000 { userId, session }');
  if (sessions.length === 0) return;
  const effects: StateEffect[] = sessions.map(({ userId, session }) => {
    memberAccount(userId);
    const checked = parseVoiceSession(session);
    return {
      kind: 'set',
      scope: STATE.voiceSession,
      key: userId,
      value: checked.presence === null ? 0n : 1n,
      json: JSON.stringify(checked),
      fail: { code: ErrorCode.CONCURRENT_UPDATE, message: 'voice session changed meanwhile' },
    };
  });
  await ctx.submit({ transfers: [], batchId: null, effects });
}

async function voiceSessions(ctx: TenantContext): Promise<Array<{ userId: string; session: VoiceSession }>> {
  const rows = await ctx.store.scanState(ctx.tenant, STATE.voiceSession, '');
  return rows.flatMap((row) => {
    if (row.json === null) return [];
    const session = parseVoiceSession(JSON.parse(row.json));
    return session.presence !== null || session.due.length > 0 ? [{ userId: row.key, session }] : [];
  });
}

interface RewardPlan {
  /** Before the daily cap and the emission budget. */
  coins: bigint;
  xp: number;
  effects: StateEffect[];
}

/**
 * The part of every activity reward: coins from `faucet:activity` within the member's daily cap and the
 * server's emission budget (a reward past them still earns XP), XP with its level-up, the key spent.
 */
async function reward(
  ctx: TenantContext,
  bound: BoundKey,
  userId: string,
  how: {
    extraReads: StateRef[];
    /** undefined: nothing earned (the window). */
    plan(attempt: Attempt, rules: LevelsConfig): RewardPlan | undefined;
    rewarded(now: Date): void;
  },
): Promise<ActivityResult> {
  const account = memberAccount(userId);
  return runKeyed(ctx, bound, {
    reads: (config, now) => [...how.extraReads, ...rewardRefs(config, userId, now)],
    attempt: async (attempt) => {
      const { config, now, state } = attempt;
      const rules = config.levels;
      if (!rules.enabled) return noActivityReward(userId, 'off');
      const plan = how.plan(attempt, rules);
      if (!plan) return noActivityReward(userId, 'window');
      const day = dayNumber(now, config.timeZone);
      const dayKey = `${userId}:${day}`;
      const earnedToday = state(STATE.activityDay, dayKey)?.value ?? 0n;
      const mintedToday = state(STATE.emission, String(day))?.value ?? 0n;
      const budget = config.policy.dailyEmissionBudget;
      let coins = plan.coins;
      if (rules.dailyCoinCap !== null) coins = clamp(coins, BigInt(rules.dailyCoinCap) - earnedToday);
      if (budget !== null) coins = clamp(coins, BigInt(budget) - mintedToday);
      const xpRow = state(STATE.xp, userId);
      const before = Number(xpRow?.value ?? 0n);
      const totalXp = before + plan.xp;
      const previousLevel = levelOf(rules.curve, before).level;
      const level = levelOf(rules.curve, totalXp).level;
      const transfers =
        coins > 0n ? [newTransfer(bound.key, ACTIVITY_FAUCET, account, coins, ACTIVITY_CODE)] : [];
      const result: StoredResult = {
        userId,
        rewarded: true,
        coins: coins.toString(),
        xp: plan.xp,
        totalXp,
        level,
        previousLevel,
        roleRewards: roleRewardsBetween(rules, previousLevel, level),
        transferIds: transfers.map((t) => t.id),
      };
      // A race for the same member or the same caps re-reads and recomputes (runKeyed retries).
      const raced = { code: ErrorCode.CONCURRENT_UPDATE, message: 'activity rewarded meanwhile' };
      const effects: StateEffect[] = [
        spendKey(bound, result),
        ...plan.effects,
        {
          kind: 'set',
          scope: STATE.xp,
          key: userId,
          value: BigInt(totalXp),
          version: xpRow?.version ?? 0n,
          fail: raced,
        },
      ];
      if (coins > 0n) {
        effects.push({
          kind: 'add',
          scope: STATE.activityDay,
          key: dayKey,
          delta: coins,
          ...(rules.dailyCoinCap !== null && { max: BigInt(rules.dailyCoinCap) }),
          fail: raced,
        });
        if (budget !== null) {
          effects.push({
            kind: 'add',
            scope: STATE.emission,
            key: String(day),
            delta: coins,
            max: BigInt(budget),
            fail: raced,
          });
        }
      }
      const stored = await commitTransfers(ctx, transfers, { effects });
      how.rewarded(now);
      return { ...fromStored(result, false), transfers: stored.map(toPublic) };
    },
    replay: async (spent) => {
      const result = spent.result as StoredResult;
      const stored = result.transferIds.length
        ? await ctx.store.findTransfers(ctx.tenant, result.transferIds)
        : [];
      return { ...fromStored(result, true), transfers: stored.map(toPublic) };
    },
  });
}

function rewardRefs(config: EconomyConfig, userId: string, now: Date): StateRef[] {
  const day = dayNumber(now, config.timeZone);
  return [
    { scope: STATE.xp, key: userId },
    { scope: STATE.activityDay, key: `${userId}:${day}` },
    ...(config.policy.dailyEmissionBudget !== null ? [{ scope: STATE.emission, key: String(day) }] : []),
  ];
}

function fromStored(result: StoredResult, replayed: boolean): ActivityResult {
  const { transferIds: _ids, coins, ...rest } = result;
  return { ...rest, coins: BigInt(coins), transfers: [], replayed };
}

/** The answer for activity that earns nothing (a closed window, levels off, an ignored member). */
export function noActivityReward(userId: string, reason: NoRewardReason): ActivityResult {
  return {
    userId,
    rewarded: false,
    reason,
    coins: 0n,
    xp: 0,
    totalXp: 0,
    level: 0,
    previousLevel: 0,
    roleRewards: [],
    transfers: [],
    replayed: false,
  };
}

function isIgnored(levels: LevelsConfig, roles: readonly string[] | undefined): boolean {
  return roles?.some((role) => levels.ignoredRoles.includes(role)) ?? false;
}

function clamp(amount: bigint, room: bigint): bigint {
  if (room <= 0n) return 0n;
  return amount < room ? amount : room;
}

/** A member's XP, level and rank by XP (what `tenant.levels.rank` answers). */
export { rank as levelRank };

async function rank(ctx: TenantContext, userId: string): Promise<LevelRank> {
  memberAccount(userId);
  const [{ config }, rows] = await Promise.all([ctx.config(), ctx.store.scanState(ctx.tenant, STATE.xp, '')]);
  const xp = Number(rows.find((row) => row.key === userId)?.value ?? 0n);
  const ahead = rows.filter((row) => Number(row.value) > xp).length;
  return rankOf(config.levels, userId, xp, xp > 0 ? ahead + 1 : null);
}

async function top(ctx: TenantContext, o: { limit?: number } = {}): Promise<LevelRank[]> {
  const limit = o.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalidInput('limit', 'must be 1-100');
  const [{ config }, rows] = await Promise.all([ctx.config(), ctx.store.scanState(ctx.tenant, STATE.xp, '')]);
  const sorted = rows
    .filter((row) => row.value > 0n)
    .sort((x, y) => (x.value === y.value ? (x.key < y.key ? -1 : 1) : x.value > y.value ? -1 : 1));
  return sorted.slice(0, limit).map((row, i) => {
    // Ties share a rank: the place of the first member with that XP.
    const place = sorted.findIndex((other) => other.value === row.value) + 1;
    return rankOf(config.levels, row.key, Number(row.value), place || i + 1);
  });
}

function rankOf(rules: LevelsConfig, userId: string, xp: number, place: number | null): LevelRank {
  const progress = levelOf(rules.curve, xp);
  return { userId, xp, ...progress, rank: place };
}
