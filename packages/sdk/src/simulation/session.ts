import type { EconomyConfig, GameName } from '../config/schema.js';
import type { MemberContext } from '../context/member-account.js';
import { ErrorCode, isGuildmintError } from '../errors.js';
import { blackjackStrategy } from '../games/rtp.js';
import { type Agent, type AgentMemory, allowedAction, betFor, blackjackView, gameChoice } from './agents.js';
import type { Dice } from './rng.js';
import type { Answer, MemberActions, RoundView } from './simulated-economy.js';

/** What the agents can do in one economy, read once from its config. */
export interface EconomyPlan {
  /** Faucets anyone may claim (ones that need roles are left out: simulated members hold none). */
  faucets: Array<{ name: string; oncePerDay: boolean; action: string }>;
  games: Array<{ name: GameName; minBet: bigint; maxBet: bigint }>;
  /** Shop items by what members buy them for. */
  consumables: Array<{ name: string; price: bigint }>;
  freezes: Array<{ name: string; price: bigint }>;
  keepsakes: Array<{ name: string; price: bigint }>;
  minTransfer: bigint;
  taxBps: bigint;
  fee: bigint;
  /** The reserve a fully thrifty member keeps: ten rounds of claiming every faucet once. */
  reserve: bigint;
  blackjack: ReturnType<typeof blackjackStrategy> | undefined;
}

/** Cooldowns this long are treated as once a day: members retry them later that day, not every session. */
const ONCE_A_DAY_SECONDS = 12 * 3600;

export function planFor(config: EconomyConfig): EconomyPlan {
  const faucets = Object.entries(config.faucets).filter(
    ([, f]) => f.enabled && f.eligibility.roles.length === 0,
  );
  const games: EconomyPlan['games'] = [];
  for (const name of ['coinflip', 'dice', 'slots', 'roulette', 'blackjack'] as const) {
    const game = config.games[name];
    if (game?.enabled) games.push({ name, minBet: BigInt(game.minBet), maxBet: BigInt(game.maxBet) });
  }
  const items = Object.entries(config.shop.items)
    .filter(([, item]) => item.enabled)
    .map(([name, item]) => ({ name, price: BigInt(item.price), item }));
  const meanReward = faucets.reduce(
    (sum, [, f]) => sum + ('fixed' in f.reward ? f.reward.fixed : (f.reward.min + f.reward.max) / 2),
    0,
  );
  const blackjack = config.games.blackjack;
  return {
    faucets: faucets.map(([name, f]) => ({
      name,
      oncePerDay: f.cooldownSeconds >= ONCE_A_DAY_SECONDS,
      action: `claim:${name}`,
    })),
    games,
    consumables: items.filter((i) => i.item.consumable).map(({ name, price }) => ({ name, price })),
    freezes: items
      .filter((i) => !i.item.consumable && i.item.effects.some((e) => e.type === 'streakFreeze'))
      .map(({ name, price }) => ({ name, price })),
    keepsakes: items
      .filter((i) => !i.item.consumable && !i.item.effects.some((e) => e.type === 'streakFreeze'))
      .map(({ name, price }) => ({ name, price })),
    minTransfer: BigInt(config.sinks.minTransfer),
    taxBps: BigInt(config.sinks.transferTaxBps),
    fee: BigInt(config.sinks.transferFee),
    reserve: BigInt(Math.round(meanReward * 10)),
    blackjack: blackjack?.enabled ? blackjackStrategy(blackjack) : undefined,
  };
}

/** Outcomes of the SDK calls: `ok` or the error code, per action. */
export class Tally {
  operations = 0;
  readonly outcomes: Record<string, Record<string, number>> = {};

  count(action: string, outcome: string): void {
    const byOutcome = this.outcomes[action] ?? {};
    byOutcome[outcome] = (byOutcome[outcome] ?? 0) + 1;
    this.outcomes[action] = byOutcome;
  }
}

/**
 * Refusals a real member meets all the time; they are counted, not thrown. Anything else (INVALID_INPUT,
 * STORE_UNAVAILABLE, …) means the simulation or the SDK is wrong, and stops the run.
 */
const NORMAL_REFUSALS: ReadonlySet<string> = new Set([
  ErrorCode.COOLDOWN,
  ErrorCode.LIMIT_REACHED,
  ErrorCode.INSUFFICIENT_FUNDS,
  ErrorCode.OUT_OF_STOCK,
  ErrorCode.BUDGET_EXHAUSTED,
  ErrorCode.NOT_ELIGIBLE,
  ErrorCode.CONCURRENT_UPDATE,
]);

export interface SessionEnv {
  actions: MemberActions;
  /** What Discord would tell about each member (by agent index): no roles, the join date. */
  members: readonly MemberContext[];
  config: EconomyConfig;
  plan: EconomyPlan;
  agents: readonly Agent[];
  tally: Tally;
}

/**
 * One visit of one member, through the calls a Tenant offers (`MemberActions`): claim what is due, maybe gamble, shop
 * with part of what is spare, maybe tip a friend. The member's balance is read once and then followed
 * from the receipts: only the member's own calls take money from it, so the estimate never runs high.
 */
export async function runSession(
  env: SessionEnv,
  agent: Agent,
  memory: AgentMemory,
  rng: Dice,
  day: number,
): Promise<void> {
  const { actions, plan } = env;
  env.tally.operations++;
  let balance = await actions.balance(agent.id);
  const call = <T>(action: string, op: () => Answer<T>) => attempt(env.tally, action, op);

  const member = env.members[agent.index]!;
  for (const faucet of plan.faucets) {
    if (faucet.oncePerDay && memory.claimedOn.get(faucet.name) === day) continue;
    const claimed = await call(faucet.action, () => actions.claim(faucet.name, agent.id, { member }));
    if (!claimed) continue;
    balance += claimed.amount;
    memory.claimedOn.set(faucet.name, day);
  }

  if (plan.games.length > 0 && rng.chance(agent.gambling)) {
    const rounds = 1 + rng.int(1 + Math.floor(agent.gambling * 8));
    for (let i = 0; i < rounds; i++) {
      const game = rng.weighted(plan.games, (g) => agent.taste[g.name]) ?? plan.games[0]!;
      const bet = betFor(balance, agent.risk, game);
      if (bet === undefined) break;
      balance += await playRound(env, game.name, agent.id, bet, balance, rng);
    }
  }

  balance = await shop(env, agent, memory, rng, day, balance);

  const friend = agent.friends[rng.int(agent.friends.length)];
  if (friend !== undefined && rng.chance(agent.sociability)) {
    const share = rng.between(0.01, 0.05);
    let amount = (balance * BigInt(Math.round(share * 10_000))) / 10_000n;
    if (amount < plan.minTransfer) amount = plan.minTransfer;
    const cost = amount + (amount * plan.taxBps) / 10_000n + plan.fee;
    const to = env.agents[friend]!.id;
    const paid =
      cost <= balance ? await call('pay', () => actions.pay({ from: agent.id, to, amount })) : undefined;
    if (paid) balance -= paid.amount + paid.tax + paid.fee;
  }
}

/** Plays one round to its end; returns the member's net result (payout − stake). */
async function playRound(
  env: SessionEnv,
  game: GameName,
  userId: string,
  bet: bigint,
  balance: bigint,
  rng: Dice,
): Promise<bigint> {
  const { actions, plan } = env;
  let result: RoundView | undefined = await attempt(env.tally, `play:${game}`, () =>
    actions.play(game, userId, { bet, ...gameChoice(game, env.config, rng) }),
  );
  if (!result) return 0n;
  let staked = result.bet;
  while (!result.finished) {
    const view = blackjackView(result.outcome);
    const upcard = view.dealer.cards[0];
    if (!plan.blackjack || !upcard) throw new Error(`cannot continue a ${game} round: ${result.roundId}`);
    const hand = {
      total: view.player.total,
      soft: view.player.soft,
      firstTwo: view.player.cards.length === 2,
    };
    let action = plan.blackjack.decide(hand, upcard);
    // A double takes the bet again: without the money, play the best hit-or-stand instead.
    if (action === 'double' && balance - staked < bet) {
      action = plan.blackjack.decide({ ...hand, firstTwo: false }, upcard);
    }
    action = allowedAction(action, view.options, 'hit');
    const roundId: string = result.roundId;
    const next: RoundView | undefined = await attempt(env.tally, 'act', () =>
      actions.act(roundId, action, { userId }),
    );
    if (!next) {
      // Left open: the round times out and stands by itself (settleExpiredRounds at the day's end).
      return -staked;
    }
    result = next;
    staked = result.bet;
  }
  return result.payout - staked;
}

async function shop(
  env: SessionEnv,
  agent: Agent,
  memory: AgentMemory,
  rng: Dice,
  day: number,
  balance: bigint,
): Promise<bigint> {
  const { actions, plan } = env;
  const call = <T>(action: string, op: () => Answer<T>) => attempt(env.tally, action, op);
  const thrift = agent.thrift;

  // Everyday spending grows with what is spare: that is what lets a shop keep pace with faucets.
  const reserve = (plan.reserve * BigInt(Math.round(thrift * 1000))) / 1000n;
  const spare = balance - reserve;
  const consumable = plan.consumables[rng.int(plan.consumables.length)];
  if (consumable && spare > 0n) {
    const rateBps = BigInt(Math.round((0.03 + 0.12 * (1 - thrift)) * 10_000));
    const budget = (spare * rateBps) / 10_000n;
    let quantity = budget / consumable.price;
    // Round the budget up or down at random so small budgets still buy sometimes, on average exactly.
    if (rng.chance(Number(budget % consumable.price) / Number(consumable.price))) quantity += 1n;
    if (quantity > 100n) quantity = 100n;
    while (quantity > 0n && quantity * consumable.price > balance) quantity -= 1n;
    if (quantity > 0n) {
      const bought = await call('buy', () =>
        actions.buy(agent.id, consumable.name, { quantity: Number(quantity) }),
      );
      if (bought) {
        balance -= bought.amount;
        memory.held.set(consumable.name, (memory.held.get(consumable.name) ?? 0) + Number(quantity));
      }
    }
  }
  // One of something held is used up per visit (no money moves; the purchase was the sink).
  let used: string | undefined;
  for (const [item, held] of memory.held) {
    if (held > 0) {
      used = item;
      break;
    }
  }
  if (used && (await attempt(env.tally, 'use', () => actions.use(agent.id, used), [ErrorCode.NOT_FOUND]))) {
    memory.held.set(used, (memory.held.get(used) ?? 1) - 1);
  }

  const freeze = plan.freezes[rng.int(plan.freezes.length)];
  if (freeze && memory.freezesFullUntil <= day && balance >= freeze.price * 3n && rng.chance(0.1)) {
    const bought = await attempt(
      env.tally,
      'buy',
      () => actions.buy(agent.id, freeze.name),
      [],
      (code) => {
        // The member's freezes are full: no point asking again for a week.
        if (code === ErrorCode.LIMIT_REACHED) memory.freezesFullUntil = day + 7;
      },
    );
    if (bought) balance -= bought.amount;
  }

  for (const keepsake of plan.keepsakes) {
    if (memory.refused.has(keepsake.name)) continue;
    const margin = BigInt(Math.round((1.5 + 2 * thrift) * 100));
    if (balance * 100n < keepsake.price * margin || !rng.chance(0.05 + 0.25 * (1 - thrift))) continue;
    const bought = await attempt(
      env.tally,
      'buy',
      () => actions.buy(agent.id, keepsake.name),
      [],
      (code) => {
        if (code === ErrorCode.OUT_OF_STOCK || code === ErrorCode.LIMIT_REACHED)
          memory.refused.add(keepsake.name);
      },
    );
    if (bought) balance -= bought.amount;
  }
  return balance;
}

/** Runs one SDK call and tallies it; a normal refusal yields undefined, anything else is thrown. */
async function attempt<T>(
  tally: Tally,
  action: string,
  op: () => Answer<T>,
  alsoNormal: readonly string[] = [],
  onRefusal?: (code: string) => void,
): Promise<T | undefined> {
  tally.operations++;
  try {
    const result = await op();
    tally.count(action, 'ok');
    return result;
  } catch (error) {
    if (isGuildmintError(error) && (NORMAL_REFUSALS.has(error.code) || alsoNormal.includes(error.code))) {
      tally.count(action, error.code);
      onRefusal?.(error.code);
      return undefined;
    }
    throw error;
  }
}
