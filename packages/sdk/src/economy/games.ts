import type { EconomyConfig, GameName } from '../config/schema.js';
import { memberAccount } from '../context/member-account.js';
import { STATE } from '../context/state-scopes.js';
import type { TenantContext } from '../context/tenant-context.js';
import { ErrorCode, GuildmintError, invalidInput } from '../errors.js';
import { activeMultiplierBps, applyMultiplier } from '../events/index.js';
import {
  continueRound,
  type GameChoices,
  type GameResult,
  hashServerSeed,
  type Json,
  type RoundProof,
  startRound,
} from '../games/index.js';
import { GAME_NAMES, type GameSetup } from '../games/types.js';
import { assertAmount } from '../ledger/amounts.js';
import { derivedId, type NewTransfer } from '../ledger/normalize.js';
import type { OutboxEvent } from '../ledger/records.js';
import { readScope, type StateEffect, type StateRef, type StateRow } from '../stores/types.js';
import { webhookEvent } from '../webhooks/events.js';
import { type BoundKey, bindKey, runKeyed, spendKey } from './keyed.js';
import { commitTransfers, newTransfer } from './receipt.js';
import { freshSeeds, readSeed, rememberSeed, seedEffect, seedOf, seedRef } from './seeds.js';

const ESCROW = 'system:escrow';
const CLIENT_SEED = /^[A-Za-z0-9_-]{1,64}$/;

/** A round as stored: what the member saw, and (while unfinished) what only the server may know. */
interface RoundRecord {
  userId: string;
  game: GameName;
  bet: string;
  stake: string;
  finished: boolean;
  outcome: Json;
  payout: string;
  proof: RoundProof;
  /** Unfinished rounds only: the engine's state and the seed the round is committed to. */
  state?: Json;
  serverSeed?: string;
  expiresAt?: number;
  /** How many actions were taken. */
  actions: number;
}

/**
 * What `play`, `act` and `round` answer: the round (a union by `game`, so that checking `result.game`
 * narrows `result.outcome`), the stake it took and whether it is a replay.
 */
export type PlayResult<G extends GameName = GameName> = GameResult<G> & {
  /** The stake the round took from the member (bet, plus a double). */
  bet: bigint;
  /** True when this is the stored result of an earlier call with the same key. */
  replayed: boolean;
};

/**
 * `play`'s input for one game: the bet (minor units), an optional idempotency key, and the game's own
 * choices (`GameChoices`: `side` for coinflip, `target` and `direction` for dice, `on` for roulette).
 */
export type PlayInput<G extends GameName = GameName> = G extends GameName
  ? { bet: bigint; key?: string } & GameChoices[G]
  : never;

/** `play`'s input as the games check it at run time, whatever the caller's types said. */
export interface UncheckedPlayInput {
  bet: bigint;
  key?: string;
  [choice: string]: unknown;
}

/**
 * Plays a round of a built-in game. The bet (and payout, when the round ends at once) move in one
 * atomic, idempotent batch with the seed's nonce. A multi-step round (blackjack) holds the stake in
 * `system:escrow` until it ends; the member then continues with `act`.
 */
export async function play(
  ctx: TenantContext,
  game: string,
  userId: string,
  input: UncheckedPlayInput,
): Promise<PlayResult> {
  const account = memberAccount(userId);
  if (typeof input !== 'object' || input === null) throw invalidInput('input', 'must be { bet, ...choice }');
  assertAmount(input.bet, 'bet');
  const { bet, key: _key, ...choice } = input;
  const bound = bindKey('play', input.key, { game, userId, bet: bet.toString(), choice });
  const { key } = bound;
  return runKeyed(ctx, bound, {
    member: userId,
    // Every seed write guards its version, so a first attempt may start from the seeds this process
    // last committed; seeds changed elsewhere fail the commit and the retry reads them.
    guarded: () => [seedRef(userId)],
    attempt: async ({ config, now, state }) => {
      const setup = gameSetup(game, config.games);
      if (bet < BigInt(setup.config.minBet) || bet > BigInt(setup.config.maxBet)) {
        throw invalidInput('bet', `must be between ${setup.config.minBet} and ${setup.config.maxBet}`);
      }
      const seedRow = seedOf(ctx, state(STATE.seed, userId));
      const seeds = seedRow.seeds;
      const step = startRound(setup, choice, bet, seeds);
      const payout = step.finished
        ? boosted(step.payout, bet, activeMultiplierBps(config.events, { game }, now), setup.config.maxPayout)
        : 0n;
      const record: RoundRecord = {
        userId,
        game: setup.game,
        bet: bet.toString(),
        stake: bet.toString(),
        finished: step.finished,
        outcome: step.outcome,
        payout: payout.toString(),
        proof: step.proof,
        actions: 0,
        ...(!step.finished && {
          state: step.state ?? null,
          serverSeed: seeds.serverSeed,
          expiresAt: now.getTime() + timeoutMs(setup),
        }),
      };
      const nextSeeds = { ...seeds, nonce: seeds.nonce + 1 };
      const effects: StateEffect[] = [
        spendKey(bound),
        seedEffect(userId, nextSeeds, seedRow.version),
        roundEffect(key, record, 0n),
      ];
      // Multi-step games allow one unfinished round per member, checked even when this one ends at once.
      if (setup.game === 'blackjack') {
        effects.push(
          openRoundEffect(userId, step.finished ? 0n : BigInt(record.expiresAt!), step.finished ? null : key),
        );
      }
      const transfers = step.finished
        ? settleTransfers(key, account, setup.game, bet, payout, false)
        : [newTransfer(key, account, ESCROW, bet, `game.${setup.game}.stake`)];
      await commitTransfers(ctx, transfers, { effects, events: roundFinished(ctx.tenant, key, record, now) });
      rememberSeed(ctx, userId, nextSeeds, seedRow.version);
      return toResult(key, record, false);
    },
    replay: async () => toResult(key, await readRound(ctx, key), true),
  });
}

/** Who acts on a round, and the action's idempotency key. */
export interface ActOptions {
  /** The member acting: only the round's player may (FORBIDDEN otherwise). */
  userId: string;
  key?: string;
}

/**
 * The next action of an unfinished round (`hit`, `stand`, `double`) by its player; an expired round
 * stands. Anyone may know a round id (it is shown with every round), so the caller must say who acts.
 */
export async function act(
  ctx: TenantContext,
  roundId: string,
  action: string,
  o: ActOptions,
): Promise<PlayResult> {
  if (typeof o !== 'object' || o === null) throw invalidInput('userId', 'must say which member acts');
  memberAccount(o.userId);
  if (typeof roundId !== 'string' || roundId.length === 0)
    throw invalidInput('roundId', 'must be a round id');
  if (typeof action !== 'string') throw invalidInput('action', 'must be hit, stand or double');
  const bound = bindKey('act', o.key, { roundId, action, userId: o.userId });
  return runKeyed(ctx, bound, {
    member: o.userId,
    reads: () => [roundRef(roundId)],
    attempt: async ({ config, now, state }) => {
      const { record, version } = roundRowOf(roundId, state(STATE.round, roundId));
      // Only the player may act on a round, and learns nothing from another's.
      if (record.userId !== o.userId) {
        throw new GuildmintError(ErrorCode.FORBIDDEN, `round ${roundId} is not yours to play`);
      }
      if (record.finished) throw invalidInput('roundId', 'this round is already over');
      return applyAction(ctx, config, now, roundId, record, version, action, bound);
    },
    // An action already applied answers with the round as it stands: never twice.
    replay: async () => toResult(roundId, await readRound(ctx, roundId), true),
  });
}

/** Stands every round whose member walked away (past the game's timeout). Returns how many. */
export async function settleExpiredRounds(ctx: TenantContext): Promise<number> {
  const now = ctx.clock.now().getTime();
  const open = await ctx.store.scanState(ctx.tenant, STATE.openRound, '');
  let settled = 0;
  for (const row of open) {
    if (row.value === 0n || row.value > BigInt(now) || row.json === null) continue;
    try {
      // The open-round slot is keyed by the member: the sweeper stands in for the round's own player.
      await act(ctx, JSON.parse(row.json) as string, 'stand', { userId: row.key });
      settled++;
    } catch (error) {
      // Finished meanwhile (by the member, or another sweeper): nothing to do.
      if (!(error instanceof GuildmintError)) throw error;
    }
  }
  return settled;
}

async function applyAction(
  ctx: TenantContext,
  config: EconomyConfig,
  now: Date,
  roundId: string,
  record: RoundRecord,
  version: bigint,
  requested: string,
  bound: BoundKey,
): Promise<PlayResult> {
  const expired = record.expiresAt !== undefined && now.getTime() >= record.expiresAt;
  const action = expired ? 'stand' : requested;
  const step = continueRound({
    game: record.game,
    proof: record.proof,
    state: record.state,
    action,
    serverSeed: record.serverSeed!,
  });
  const account = memberAccount(record.userId);
  const n = record.actions + 1;
  const transfers: NewTransfer[] = [];
  let stake = BigInt(record.stake);
  if (step.extraStake !== undefined && step.extraStake > 0n) {
    transfers.push(
      newTransfer(
        derivedId(roundId, `a${n}`, 'stake'),
        account,
        ESCROW,
        step.extraStake,
        `game.${record.game}.stake`,
      ),
    );
    stake += step.extraStake;
  }
  const maxPayout = (record.proof.params.config as { maxPayout?: number | null }).maxPayout ?? null;
  const payout = step.finished
    ? boosted(step.payout, stake, activeMultiplierBps(config.events, { game: record.game }, now), maxPayout)
    : 0n;
  if (step.finished) transfers.push(...settleTransfers(roundId, account, record.game, stake, payout, true));
  const { state: _state, serverSeed, expiresAt, ...kept } = record;
  const next: RoundRecord = {
    ...kept,
    stake: stake.toString(),
    finished: step.finished,
    outcome: step.outcome,
    payout: payout.toString(),
    proof: step.proof,
    actions: n,
    // Once finished, the round forgets its hidden state and seed; the proof is all that remains.
    ...(!step.finished && { state: step.state ?? null, serverSeed: serverSeed!, expiresAt: expiresAt! }),
  };
  const effects: StateEffect[] = [spendKey(bound), roundEffect(roundId, next, version)];
  if (step.finished) effects.push(closeRoundEffect(record.userId));
  const events = roundFinished(ctx.tenant, roundId, next, now);
  if (transfers.length > 0) await commitTransfers(ctx, transfers, { effects, events });
  else await ctx.submit({ transfers: [], batchId: null, effects, events });
  return toResult(roundId, next, false);
}

/** Money of a finished round: the stake to the house (from escrow when it was held), the payout back. */
function settleTransfers(
  id: string,
  account: string,
  game: GameName,
  stake: bigint,
  payout: bigint,
  escrowed: boolean,
): NewTransfer[] {
  const house = `house:${game}`;
  const transfers = [
    escrowed
      ? newTransfer(derivedId(id, 'settle'), ESCROW, house, stake, `game.${game}.settle`)
      : newTransfer(id, account, house, stake, `game.${game}.bet`),
  ];
  if (payout > 0n)
    transfers.push(newTransfer(derivedId(id, 'payout'), house, account, payout, `game.${game}.payout`));
  return transfers;
}

/**
 * An event multiplies winnings (what the round pays beyond the stake), flooring; losses are untouched.
 * The game's `maxPayout` still caps the result: an event never lifts the bankroll limit.
 */
function boosted(payout: bigint, stake: bigint, multiplierBps: number, maxPayout: number | null): bigint {
  const total = payout > stake ? stake + applyMultiplier(payout - stake, multiplierBps) : payout;
  return maxPayout !== null && total > BigInt(maxPayout) ? BigInt(maxPayout) : total;
}

function gameSetup(game: string, games: Record<string, unknown>): GameSetup {
  const config = GAME_NAMES.includes(game as GameName) ? games[game] : undefined;
  if (!config || !(config as { enabled: boolean }).enabled) {
    throw new GuildmintError(ErrorCode.NOT_FOUND, `there is no game called "${game}" here`);
  }
  return { game, config } as GameSetup;
}

function timeoutMs(setup: GameSetup): number {
  return setup.game === 'blackjack' ? setup.config.timeoutSeconds * 1000 : 0;
}

/** The `game.round.finished` event of a round that this commit finishes (none while it goes on). */
function roundFinished(tenant: string, roundId: string, record: RoundRecord, now: Date): OutboxEvent[] {
  if (!record.finished) return [];
  return [
    webhookEvent(tenant, 'game.round.finished', now, {
      roundId,
      userId: record.userId,
      game: record.game,
      bet: record.stake,
      payout: record.payout,
      outcome: record.outcome,
    }),
  ];
}

function toResult(roundId: string, record: RoundRecord, replayed: boolean): PlayResult {
  // The record's outcome was written by the game it names (`GameOutcomes[game]`).
  return {
    roundId,
    game: record.game,
    outcome: record.outcome,
    payout: BigInt(record.payout),
    finished: record.finished,
    proof: record.proof,
    bet: BigInt(record.stake),
    replayed,
  } as PlayResult;
}

/** Opens (expiresAt > 0) or just checks (0) the member's round slot: only when no round is open. */
function openRoundEffect(userId: string, expiresAt: bigint, roundId: string | null): StateEffect {
  return {
    kind: 'set',
    scope: STATE.openRound,
    key: userId,
    value: expiresAt,
    json: roundId === null ? null : JSON.stringify(roundId),
    atMost: 0n,
    fail: { code: ErrorCode.LIMIT_REACHED, message: 'finish your current round first' },
  };
}

function closeRoundEffect(userId: string): StateEffect {
  return {
    kind: 'set',
    scope: STATE.openRound,
    key: userId,
    value: 0n,
    json: null,
    fail: { code: ErrorCode.CONCURRENT_UPDATE, message: 'could not close the round' },
  };
}

function roundEffect(roundId: string, record: RoundRecord, version: bigint): StateEffect {
  return {
    kind: 'set',
    scope: STATE.round,
    key: roundId,
    value: record.finished ? 1n : 0n,
    json: JSON.stringify(record),
    version,
    fail: { code: ErrorCode.CONCURRENT_UPDATE, message: 'this round changed meanwhile; try again' },
  };
}

function roundRef(roundId: string): StateRef {
  return { scope: STATE.round, key: roundId };
}

function roundRowOf(roundId: string, row: StateRow | undefined): { record: RoundRecord; version: bigint } {
  if (!row?.json) throw new GuildmintError(ErrorCode.NOT_FOUND, `there is no round ${roundId}`);
  return { record: JSON.parse(row.json) as RoundRecord, version: row.version };
}

async function readRound(ctx: TenantContext, roundId: string): Promise<RoundRecord> {
  const row = (await readScope(ctx.store, ctx.tenant, STATE.round, [roundId])).get(roundId);
  return roundRowOf(roundId, row).record;
}

/** A round as its player saw it last (NOT_FOUND if there is none): to show or verify it later. */
export async function round(ctx: TenantContext, roundId: string): Promise<PlayResult & { userId: string }> {
  if (typeof roundId !== 'string' || roundId.length === 0)
    throw invalidInput('roundId', 'must be a round id');
  const record = await readRound(ctx, roundId);
  return { ...toResult(roundId, record, false), userId: record.userId };
}

/** What a member may know about their seeds now: the committed hash, never the seed. */
export async function fairness(
  ctx: TenantContext,
  userId: string,
): Promise<{ serverSeedHash: string; clientSeed: string; nonce: number }> {
  memberAccount(userId);
  let { seeds, version } = await readSeed(ctx, userId);
  if (version === 0n) {
    // Commit the seed now, so the hash shown before the first round is the one that round uses.
    await ctx
      .submit({ transfers: [], batchId: null, effects: [seedEffect(userId, seeds, 0n)] })
      .catch(async (error) => {
        if (!(error instanceof GuildmintError && error.code === ErrorCode.CONCURRENT_UPDATE)) throw error;
      });
    ({ seeds, version } = await readSeed(ctx, userId));
  }
  return {
    serverSeedHash: hashServerSeed(seeds.serverSeed),
    clientSeed: seeds.clientSeed,
    nonce: seeds.nonce,
  };
}

/** Reveals the current server seed (so past rounds can be verified) and commits to a new one. */
export async function rotateSeed(
  ctx: TenantContext,
  userId: string,
  o: { clientSeed?: string } = {},
): Promise<{
  revealedServerSeed: string;
  next: { serverSeedHash: string; clientSeed: string; nonce: number };
}> {
  memberAccount(userId);
  if (o.clientSeed !== undefined && (typeof o.clientSeed !== 'string' || !CLIENT_SEED.test(o.clientSeed))) {
    throw invalidInput('clientSeed', 'must be 1-64 characters from A-Z a-z 0-9 _ -');
  }
  await fairness(ctx, userId);
  for (let attempt = 1; ; attempt++) {
    const { seeds, version } = await readSeed(ctx, userId);
    const next = freshSeeds(ctx, o.clientSeed ?? seeds.clientSeed);
    try {
      await ctx.submit({
        transfers: [],
        batchId: null,
        effects: [
          // Revealing the seed of an open round would give away its next cards.
          {
            ...openRoundEffect(userId, 0n, null),
            fail: {
              code: ErrorCode.LIMIT_REACHED,
              message: 'finish your current round before rotating seeds',
            },
          },
          seedEffect(userId, next, version),
        ],
      });
      rememberSeed(ctx, userId, next, version);
      return {
        revealedServerSeed: seeds.serverSeed,
        next: {
          serverSeedHash: hashServerSeed(next.serverSeed),
          clientSeed: next.clientSeed,
          nonce: next.nonce,
        },
      };
    } catch (error) {
      if (!(error instanceof GuildmintError && error.code === ErrorCode.CONCURRENT_UPDATE) || attempt >= 8)
        throw error;
    }
  }
}
