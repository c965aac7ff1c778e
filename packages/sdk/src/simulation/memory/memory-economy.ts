import type { BlackjackConfig, EconomyConfig, FaucetConfig, GameName } from '../../config/schema.js';
import type { MemberContext } from '../../context/member-account.js';
import { ErrorCode, GuildmintError, invalidInput, RetryLaterError } from '../../errors.js';
import { activeMultiplierBps, applyMultiplier, BPS_ONE, combineMultipliers } from '../../events/index.js';
import { type BlackjackState, blackjack } from '../../games/blackjack.js';
import { createDraws, type SeedSource } from '../../games/fairness.js';
import { type Seeds, startRound } from '../../games/round.js';
import { GAME_NAMES, type GameAction, type GameSetup, type Json } from '../../games/types.js';
import { userAccount } from '../../ledger/accounts.js';
import { nextFaucetMultiplier } from '../../policy/autobalance.js';
import { buildStats } from '../../policy/stats.js';
import type { RandomSource } from '../../random.js';
import type { Clock } from '../../stores/clock.js';
import {
  addFreezes,
  advanceStreak,
  dayNumber,
  initialStreak,
  type StreakState,
} from '../../streaks/index.js';
import type { DaySnapshot, MemberActions, RoundView, SimulatedEconomy } from '../simulated-economy.js';
import { Books, type Line } from './books.js';

const ESCROW = 'system:escrow';
const MAX_QUANTITY = 100;

export interface MemoryEconomyOptions {
  /** As `defineEconomy` returns it. */
  config: EconomyConfig;
  clock: Clock;
  /** Ranged faucet rewards draw from it, as a Tenant's `random` does. */
  random: RandomSource;
  /** New game seed pairs, as a simulation's private Tenant draws them. */
  seeds: SeedSource;
}

/** A blackjack round waiting for its member's next action. */
interface OpenRound {
  userId: string;
  config: BlackjackConfig;
  stake: bigint;
  state: BlackjackState;
  seeds: Seeds;
  expiresAt: number;
}

/**
 * One economy's rules applied in memory, for the simulation: what `Tenant.claim`, `play`, `act`, `buy`,
 * `use` and `pay` (and the daily auto-balancer and round sweeper) do to money and state, without keys,
 * SQL or transfer history. It decides with the SDK's own pure rules — multipliers and events, streaks,
 * game rounds (`startRound`, blackjack's `act`), the auto-balancer's step, `buildStats` — and composes them
 * in the order `economy/*.ts` does, refusing with the same codes in the same order (money checks before
 * state guards, as `planGroup` applies an op). Draws come from the same sources in the same order, so a
 * run equals one through a real Tenant with one session at a time: `agreement.test.ts` holds it to that.
 */
export class MemoryEconomy implements SimulatedEconomy, MemberActions {
  readonly actions: MemberActions = this;
  /** Members act one after another: there is no write path to batch for. */
  readonly concurrency = 1;
  private readonly books = new Books();
  private readonly config: EconomyConfig;
  private readonly clock: Clock;
  private readonly random: RandomSource;
  private readonly seeds: SeedSource;
  /** `<faucet>:<user>` → the last claim (ms). */
  private readonly lastClaims = new Map<string, number>();
  /** `<faucet>:<user>` → claims on one local day (a new day starts from 0). */
  private readonly claimsOnDay = new Map<string, { day: number; count: number }>();
  /** Local day → minted by faucets (the daily emission budget). */
  private readonly emitted = new Map<number, bigint>();
  /** `<streak>:<user>` → streak state. */
  private readonly streaks = new Map<string, StreakState>();
  /** Item → units sold. */
  private readonly sold = new Map<string, number>();
  /** `<user>:<item>` → units bought ever, and units held. */
  private readonly bought = new Map<string, number>();
  private readonly held = new Map<string, number>();
  /** Committed seed pairs, by member: a pair is committed with the first round played on it. */
  private readonly seedsOf = new Map<string, Seeds>();
  private readonly openRounds = new Map<string, OpenRound>();
  /** Member → the member's unfinished blackjack round. */
  private readonly roundOf = new Map<string, string>();
  private rounds = 0;
  /** The auto-balancer's faucet multiplier, and the day it last judged. */
  private policy: { bps: number; judged: string | null } = { bps: BPS_ONE, judged: null };
  /** `dayNumber` of the last `now` asked about: the clock moves once per simulated hour. */
  private localDay: { at: Date; day: number } | undefined;

  constructor(o: MemoryEconomyOptions) {
    this.config = o.config;
    this.clock = o.clock;
    this.random = o.random;
    this.seeds = o.seeds;
  }

  // --- the day ------------------------------------------------------------------------------------

  /** `runAutoBalancer`: judges yesterday and moves the multiplier at most one step, once per day. */
  async startDay(): Promise<void> {
    const settings = this.config.policy.autoBalance;
    if (!settings.enabled) return;
    const judged = this.stats().daily.at(-2)!;
    if (this.policy.judged === judged.day) return;
    const decision = nextFaucetMultiplier(
      { netEmission: judged.netEmission, supply: judged.supply },
      settings,
      this.policy.bps,
    );
    // Like the real balancer, it records only a change (with the day judged), never an unchanged step.
    if (decision.nextBps !== this.policy.bps) this.policy = { bps: decision.nextBps, judged: judged.day };
  }

  async startHour(): Promise<void> {}

  async endDay(): Promise<DaySnapshot> {
    this.settleExpiredRounds();
    const houses = new Map<string, bigint>();
    for (const game of GAME_NAMES) {
      if (this.config.games[game]?.enabled) houses.set(game, this.books.balance(`house:${game}`));
    }
    return { stats: this.stats(), houses, escrow: this.books.balance(ESCROW) };
  }

  async verify(): Promise<void> {
    const problems = this.books.problems();
    if (problems.length > 0) {
      throw new Error(`the simulated books do not balance: ${problems.slice(0, 5).join('; ')}`);
    }
  }

  async close(): Promise<void> {}

  // --- what members do ----------------------------------------------------------------------------

  balance(userId: string): bigint {
    return this.books.balance(userAccount(userId));
  }

  /** `economy/faucets.ts`: eligibility, cooldown, daily cap, reward × (event, policy, streak), bonus, budget. */
  claim(name: string, userId: string, o: { member: MemberContext }): { amount: bigint } {
    const faucet = Object.hasOwn(this.config.faucets, name) ? this.config.faucets[name] : undefined;
    if (!faucet?.enabled)
      throw new GuildmintError(ErrorCode.NOT_FOUND, `there is no faucet called "${name}"`);
    const now = this.clock.now();
    checkEligibility(faucet, o.member, now);
    const day = this.dayOf(now);
    const slot = `${name}:${userId}`;
    const cooldownMs = faucet.cooldownSeconds * 1000;
    const last = this.lastClaims.get(slot);
    if (last !== undefined && now.getTime() < last + cooldownMs) {
      const retryAt = new Date(last + cooldownMs);
      throw new RetryLaterError(
        ErrorCode.COOLDOWN,
        `"${name}" is on cooldown until ${retryAt.toISOString()}`,
        retryAt,
      );
    }
    const today = this.claimsOnDay.get(slot);
    const claimsToday = today?.day === day ? today.count : 0;
    if (faucet.dailyCap !== undefined && claimsToday >= faucet.dailyCap) {
      throw new GuildmintError(
        ErrorCode.LIMIT_REACHED,
        `you have claimed "${name}" ${faucet.dailyCap} times today`,
      );
    }

    const base =
      'fixed' in faucet.reward
        ? BigInt(faucet.reward.fixed)
        : BigInt(faucet.reward.min + this.random.int(faucet.reward.max - faucet.reward.min + 1));
    let multiplierBps = combineMultipliers([
      activeMultiplierBps(this.config.events, { faucet: name }, now),
      this.config.policy.autoBalance.enabled ? this.policy.bps : BPS_ONE,
    ]);
    let bonus = 0n;
    const streakKey = faucet.streak ? `${faucet.streak}:${userId}` : undefined;
    let streak: StreakState | undefined;
    if (faucet.streak && streakKey) {
      const advance = advanceStreak(
        this.streaks.get(streakKey) ?? initialStreak(),
        this.config.streaks[faucet.streak]!,
        now,
        this.config.timeZone,
      );
      multiplierBps = combineMultipliers([multiplierBps, advance.multiplierBps]);
      bonus = advance.milestoneBonus;
      if (advance.counted) streak = advance.state;
    }
    // At least one minor unit, as a real claim pays.
    const reward = maxBigint(1n, applyMultiplier(base, multiplierBps));
    const total = reward + bonus;
    const budget = this.config.policy.dailyEmissionBudget;
    const emitted = this.emitted.get(day) ?? 0n;
    if (budget !== null && emitted + total > BigInt(budget)) {
      throw new GuildmintError(ErrorCode.BUDGET_EXHAUSTED, "today's coin budget for this server is spent");
    }

    const account = userAccount(userId);
    const lines: Line[] = [{ from: `faucet:${name}`, to: account, amount: reward }];
    if (bonus > 0n) lines.push({ from: `faucet:${name}`, to: account, amount: bonus });
    this.post(lines);
    if (cooldownMs > 0) this.lastClaims.set(slot, now.getTime());
    this.claimsOnDay.set(slot, { day, count: claimsToday + 1 });
    if (streakKey && streak) this.streaks.set(streakKey, streak);
    if (budget !== null) this.emitted.set(day, emitted + total);
    return { amount: total };
  }

  /** `economy/pay.ts`: the amount to the payee, the tax (floored) and the fee to their sinks. */
  pay(input: { from: string; to: string; amount: bigint }): { amount: bigint; tax: bigint; fee: bigint } {
    const { from, to, amount } = input;
    if (from === to) throw new GuildmintError(ErrorCode.INVALID_TRANSFER, 'you cannot pay yourself');
    const sinks = this.config.sinks;
    if (amount < BigInt(sinks.minTransfer)) {
      throw new GuildmintError(ErrorCode.INVALID_AMOUNT, `the smallest payment here is ${sinks.minTransfer}`);
    }
    const tax = (amount * BigInt(sinks.transferTaxBps)) / 10_000n;
    const fee = BigInt(sinks.transferFee);
    const payer = userAccount(from);
    const lines: Line[] = [{ from: payer, to: userAccount(to), amount }];
    if (tax > 0n) lines.push({ from: payer, to: 'sink:tax', amount: tax });
    if (fee > 0n) lines.push({ from: payer, to: 'sink:fees', amount: fee });
    this.post(lines);
    return { amount, tax, fee };
  }

  /** `economy/shop.ts`: freezes the member can hold, the payment, stock, the member's limit, inventory. */
  buy(userId: string, itemName: string, o: { quantity?: number } = {}): { amount: bigint } {
    const quantity = o.quantity ?? 1;
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
      throw invalidInput('quantity', `must be a whole number from 1 to ${MAX_QUANTITY}`);
    }
    const item = Object.hasOwn(this.config.shop.items, itemName)
      ? this.config.shop.items[itemName]
      : undefined;
    if (!item?.enabled) throw new GuildmintError(ErrorCode.NOT_FOUND, `the shop has no item "${itemName}"`);
    const streaks = new Map<string, StreakState>();
    for (const effect of item.effects) {
      if (effect.type !== 'streakFreeze') continue;
      const streakConfig = this.config.streaks[effect.streak];
      if (!streakConfig) continue;
      const key = `${effect.streak}:${userId}`;
      const wanted = effect.count * quantity;
      const { state, added } = addFreezes(this.streaks.get(key) ?? initialStreak(), streakConfig, wanted);
      if (added < wanted) {
        throw new GuildmintError(
          ErrorCode.LIMIT_REACHED,
          `you can hold ${added} more freeze(s), not ${wanted}`,
        );
      }
      streaks.set(key, state);
    }
    const amount = BigInt(item.price) * BigInt(quantity);
    const mine = `${userId}:${itemName}`;
    const sold = (this.sold.get(itemName) ?? 0) + quantity;
    const bought = (this.bought.get(mine) ?? 0) + quantity;
    this.post([{ from: userAccount(userId), to: 'sink:shop', amount }], () => {
      if (item.stock !== null && sold > item.stock) {
        return new GuildmintError(ErrorCode.OUT_OF_STOCK, `"${item.name}" is sold out`);
      }
      if (item.perMemberLimit !== null && bought > item.perMemberLimit) {
        return new GuildmintError(
          ErrorCode.LIMIT_REACHED,
          `you may own at most ${item.perMemberLimit} of "${item.name}"`,
        );
      }
      return undefined;
    });
    this.held.set(mine, (this.held.get(mine) ?? 0) + quantity);
    if (item.stock !== null) this.sold.set(itemName, sold);
    if (item.perMemberLimit !== null) this.bought.set(mine, bought);
    for (const [key, state] of streaks) this.streaks.set(key, state);
    return { amount };
  }

  /** `useItem`: one unit of a consumable the member holds. */
  use(userId: string, itemName: string): { remaining: number } {
    const item = Object.hasOwn(this.config.shop.items, itemName)
      ? this.config.shop.items[itemName]
      : undefined;
    if (!item) throw new GuildmintError(ErrorCode.NOT_FOUND, `the shop has no item "${itemName}"`);
    if (!item.consumable) throw invalidInput('item', `"${item.name}" is not something you can use up`);
    const key = `${userId}:${itemName}`;
    const held = this.held.get(key) ?? 0;
    if (held < 1) throw new GuildmintError(ErrorCode.NOT_FOUND, `you have no "${item.name}" left`);
    this.held.set(key, held - 1);
    return { remaining: held - 1 };
  }

  /** `economy/games.ts` `play`: the member's seeds, the round's first step, its money (or the stake held). */
  play(game: GameName, userId: string, input: { bet: bigint; [choice: string]: Json | bigint }): RoundView {
    const { bet, ...choice } = input;
    const setup = this.gameSetup(game);
    if (bet < BigInt(setup.config.minBet) || bet > BigInt(setup.config.maxBet)) {
      throw invalidInput('bet', `must be between ${setup.config.minBet} and ${setup.config.maxBet}`);
    }
    const now = this.clock.now();
    // Drawn afresh for every attempt until a round commits them, as a Tenant's `readSeed` does.
    const seeds = this.seedsOf.get(userId) ?? {
      serverSeed: this.seeds.serverSeed(),
      clientSeed: this.seeds.clientSeed(),
      nonce: 0,
    };
    const step = startRound(setup, choice, bet, seeds);
    const account = userAccount(userId);
    const roundId = `round-${++this.rounds}`;
    const payout = step.finished
      ? boosted(
          step.payout,
          bet,
          activeMultiplierBps(this.config.events, { game }, now),
          setup.config.maxPayout,
        )
      : 0n;
    const lines = step.finished
      ? settleLines(account, game, bet, payout, false)
      : [{ from: account, to: ESCROW, amount: bet }];
    this.post(lines, () =>
      // One unfinished blackjack round per member, checked even when this one ends at once.
      setup.game === 'blackjack' && this.roundOf.has(userId)
        ? new GuildmintError(ErrorCode.LIMIT_REACHED, 'finish your current round first')
        : undefined,
    );
    this.seedsOf.set(userId, { ...seeds, nonce: seeds.nonce + 1 });
    if (!step.finished) {
      if (setup.game !== 'blackjack') throw new Error(`a ${game} round did not finish at once`);
      this.openRounds.set(roundId, {
        userId,
        config: setup.config,
        stake: bet,
        state: step.state as BlackjackState,
        seeds,
        expiresAt: now.getTime() + setup.config.timeoutSeconds * 1000,
      });
      this.roundOf.set(userId, roundId);
    }
    return { roundId, bet, payout, finished: step.finished, outcome: step.outcome };
  }

  /** `act`: the next step of an open round by its player; a round past its timeout stands. */
  act(roundId: string, requested: GameAction, o: { userId: string }): RoundView {
    return this.step(roundId, requested, o.userId);
  }

  // --- helpers ------------------------------------------------------------------------------------

  private step(roundId: string, requested: GameAction, userId: string): RoundView {
    const round = this.openRounds.get(roundId);
    if (!round) throw new GuildmintError(ErrorCode.NOT_FOUND, `there is no open round ${roundId}`);
    if (round.userId !== userId)
      throw new GuildmintError(ErrorCode.FORBIDDEN, `round ${roundId} is not yours`);
    const now = this.clock.now();
    const action = now.getTime() >= round.expiresAt ? 'stand' : requested;
    // `continueRound` without its checks of what a store hands back (the seed against the proof's hash,
    // the config and state parsed again): this round never left memory. The game's rule is the same.
    const { serverSeed, clientSeed, nonce } = round.seeds;
    const step = blackjack.act(createDraws(serverSeed, clientSeed, nonce), round.config, round.state, action);
    const account = userAccount(round.userId);
    const lines: Line[] = [];
    let stake = round.stake;
    if (step.extraStake !== undefined && step.extraStake > 0n) {
      lines.push({ from: account, to: ESCROW, amount: step.extraStake });
      stake += step.extraStake;
    }
    const payout = step.finished
      ? boosted(
          step.payout,
          stake,
          activeMultiplierBps(this.config.events, { game: 'blackjack' }, now),
          round.config.maxPayout,
        )
      : 0n;
    if (step.finished) lines.push(...settleLines(account, 'blackjack', stake, payout, true));
    if (lines.length > 0) this.post(lines);
    if (step.finished) {
      this.openRounds.delete(roundId);
      this.roundOf.delete(round.userId);
    } else {
      round.stake = stake;
      round.state = step.state as BlackjackState;
    }
    return { roundId, bet: stake, payout, finished: step.finished, outcome: step.outcome };
  }

  /** `settleExpiredRounds`: every round past its timeout stands, its member's in key order. */
  private settleExpiredRounds(): void {
    const now = this.clock.now().getTime();
    const due = [...this.roundOf].filter(([, id]) => this.openRounds.get(id)!.expiresAt <= now);
    due.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [userId, roundId] of due) this.step(roundId, 'stand', userId);
  }

  /** Posts an op's lines if they and then its state guard (`refuse`) allow, as `planGroup` checks an op. */
  private post(lines: readonly Line[], refuse?: () => GuildmintError | undefined): void {
    const refusal = this.books.refusal(lines) ?? refuse?.();
    if (refusal) throw refusal;
    this.books.apply(lines, this.clock.now());
  }

  private stats() {
    const flows = this.books.flowRows();
    return buildStats({ flows, balances: this.books.userBalances(), asOf: this.clock.now() });
  }

  private gameSetup(game: GameName): GameSetup {
    const config = GAME_NAMES.includes(game) ? this.config.games[game] : undefined;
    if (!config?.enabled)
      throw new GuildmintError(ErrorCode.NOT_FOUND, `there is no game called "${game}" here`);
    return { game, config } as GameSetup;
  }

  private dayOf(now: Date): number {
    if (this.localDay?.at !== now) this.localDay = { at: now, day: dayNumber(now, this.config.timeZone) };
    return this.localDay.day;
  }
}

/** A finished round's money (`settleTransfers`): the stake to the house (from escrow if held), the payout back. */
function settleLines(
  account: string,
  game: GameName,
  stake: bigint,
  payout: bigint,
  escrowed: boolean,
): Line[] {
  const house = `house:${game}`;
  const lines: Line[] = [{ from: escrowed ? ESCROW : account, to: house, amount: stake }];
  if (payout > 0n) lines.push({ from: house, to: account, amount: payout });
  return lines;
}

/** An event multiplies winnings beyond the stake (floored); `maxPayout` still caps the total (`boosted`). */
function boosted(payout: bigint, stake: bigint, multiplierBps: number, maxPayout: number | null): bigint {
  const total = payout > stake ? stake + applyMultiplier(payout - stake, multiplierBps) : payout;
  return maxPayout !== null && total > BigInt(maxPayout) ? BigInt(maxPayout) : total;
}

/** `checkEligibility` of `economy/faucets.ts`: roles, and how long the member has been in the guild. */
function checkEligibility(faucet: FaucetConfig, member: MemberContext, now: Date): void {
  const { roles, minMemberAgeDays } = faucet.eligibility;
  if (roles.length > 0 && !member.roles?.some((role) => roles.includes(role))) {
    throw new GuildmintError(ErrorCode.NOT_ELIGIBLE, 'this reward is for members with a specific role');
  }
  if (minMemberAgeDays > 0) {
    const joined = member.joinedAt?.getTime();
    if (joined === undefined || now.getTime() - joined < minMemberAgeDays * 86_400_000) {
      throw new GuildmintError(
        ErrorCode.NOT_ELIGIBLE,
        `this reward is for members who joined ${minMemberAgeDays}+ days ago`,
      );
    }
  }
}

function maxBigint(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
