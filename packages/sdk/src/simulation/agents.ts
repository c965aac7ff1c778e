import type { EconomyConfig, GameName } from '../config/schema.js';
import type { BlackjackOutcome } from '../games/blackjack.js';
import type { GameAction, Json } from '../games/types.js';
import { seededRandom } from '../random.js';
import { type Dice, dice } from './rng.js';

/**
 * A simulated member's character: fixed for the whole run, drawn from the seed. The mix is a guess at
 * a Discord community (a small core that shows up daily, regulars, and many who drop by now and then),
 * not a measurement; it is the same for every config, so configs can be compared.
 */
export interface Agent {
  index: number;
  id: string;
  /** Chance of showing up on a given day. */
  activity: number;
  /** Most sessions on a day the member shows up (at least one). */
  maxSessions: number;
  /** First hour (UTC) of the member's day; sessions fall between it and midnight. */
  wakeHour: number;
  /** 0 spends freely … 1 hoards: sets the reserve kept and the share of the rest spent per session. */
  thrift: number;
  /** Chance of gambling in a session (0 for members who never do). */
  gambling: number;
  /** Share of the balance staked per round. */
  risk: number;
  /** Chance of paying a friend in a session. */
  sociability: number;
  /** Relative liking of each game, by name; only the games a config enables are played. */
  taste: Record<GameName, number>;
  /** Indexes of the members this one pays. */
  friends: number[];
  /** Days the member had been in the guild when the run began (for membership-age rules). */
  ageDays: number;
}

/** What a member remembers between sessions. */
export interface AgentMemory {
  /** The simulated day each once-a-day faucet last paid out. */
  claimedOn: Map<string, number>;
  /** Consumables held, by item. */
  held: Map<string, number>;
  /** Items the shop refused for good (sold out, member limit reached): not tried again. */
  refused: Set<string>;
  /** No streak freeze is tried before this day (the member's freezes were full). */
  freezesFullUntil: number;
}

const SEGMENTS = [
  { share: 0.15, activity: [0.75, 0.98], sessions: [3, 6] },
  { share: 0.35, activity: [0.3, 0.7], sessions: [2, 3] },
  { share: 0.5, activity: [0.03, 0.2], sessions: [1, 2] },
] as const;

export function createPopulation(count: number, seed: number): Agent[] {
  const rng = dice(seededRandom(seed ^ 0x5eed_a9e7));
  const width = String(Math.max(0, count - 1)).length;
  const agents: Agent[] = [];
  for (let index = 0; index < count; index++) {
    const segment = rng.weighted(SEGMENTS, (s) => s.share) ?? SEGMENTS[2];
    const kind = rng.next();
    const gambler = kind >= 0.45;
    const highRoller = kind >= 0.9;
    agents.push({
      index,
      id: `m${String(index).padStart(width, '0')}`,
      activity: rng.between(segment.activity[0], segment.activity[1]),
      maxSessions: segment.sessions[0] + rng.int(segment.sessions[1] - segment.sessions[0] + 1),
      wakeHour: 6 + rng.int(6),
      thrift: rng.next(),
      gambling: !gambler ? 0 : highRoller ? rng.between(0.4, 0.9) : rng.between(0.05, 0.4),
      risk: highRoller ? rng.between(0.05, 0.2) : rng.between(0.01, 0.08),
      sociability: rng.between(0, 0.25),
      taste: {
        coinflip: rng.next() ** 2,
        dice: rng.next() ** 2,
        slots: rng.next() ** 2,
        roulette: rng.next() ** 2,
        blackjack: rng.next() ** 2,
      },
      friends: count < 2 ? [] : pickFriends(rng, index, count, 3 + rng.int(6)),
      ageDays: rng.int(720),
    });
  }
  return agents;
}

function pickFriends(rng: Dice, self: number, count: number, wanted: number): number[] {
  const friends = new Set<number>();
  for (let tries = 0; friends.size < Math.min(wanted, count - 1) && tries < wanted * 4; tries++) {
    const other = rng.int(count);
    if (other !== self) friends.add(other);
  }
  return [...friends];
}

export function newMemory(): AgentMemory {
  return { claimedOn: new Map(), held: new Map(), refused: new Set(), freezesFullUntil: 0 };
}

/** A session's hours (UTC, ascending, distinct) on a day the member shows up; none when it does not. */
export function sessionHours(agent: Agent, rng: Dice): number[] {
  if (!rng.chance(agent.activity)) return [];
  const count = 1 + rng.int(agent.maxSessions);
  const hours = new Set<number>();
  for (let i = 0; i < count; i++) hours.add(agent.wakeHour + rng.int(24 - agent.wakeHour));
  return [...hours].sort((a, b) => a - b);
}

/** A game's bet for a member: the share of the balance it risks, within the table's limits. */
export function betFor(
  balance: bigint,
  risk: number,
  limits: { minBet: bigint; maxBet: bigint },
): bigint | undefined {
  if (balance < limits.minBet) return undefined;
  let bet = (balance * BigInt(Math.round(risk * 10_000))) / 10_000n;
  if (bet < limits.minBet) bet = limits.minBet;
  if (bet > limits.maxBet) bet = limits.maxBet;
  return bet;
}

/** The choice a member makes at a game (side, target, pocket); slots and blackjack take none. */
export function gameChoice(game: GameName, config: EconomyConfig, rng: Dice): Record<string, Json> {
  switch (game) {
    case 'coinflip':
      return { side: rng.chance(0.5) ? 'heads' : 'tails' };
    case 'dice': {
      const limits = config.games.dice ?? { minTarget: 2, maxTarget: 98 };
      const wanted = [25, 50, 50, 75][rng.int(4)] ?? 50;
      const target = Math.min(limits.maxTarget, Math.max(limits.minTarget, wanted));
      return { target, direction: rng.chance(0.5) ? 'over' : 'under' };
    }
    case 'roulette': {
      if (rng.chance(0.15)) return { on: rng.int(37) };
      const outside = ['red', 'black', 'odd', 'even', 'low', 'high'] as const;
      return { on: outside[rng.int(outside.length)] ?? 'red' };
    }
    case 'slots':
    case 'blackjack':
      return {};
  }
}

/** Narrows a round's outcome to blackjack's shape (the SDK hands it out as plain JSON). */
export function blackjackView(outcome: Json): BlackjackOutcome {
  if (
    typeof outcome === 'object' &&
    outcome !== null &&
    !Array.isArray(outcome) &&
    isHand(outcome.player) &&
    isHand(outcome.dealer) &&
    Array.isArray(outcome.options)
  ) {
    return outcome as unknown as BlackjackOutcome;
  }
  throw new TypeError(`not a blackjack outcome: ${JSON.stringify(outcome)}`);
}

function isHand(hand: Json | undefined): boolean {
  return (
    typeof hand === 'object' &&
    hand !== null &&
    !Array.isArray(hand) &&
    Array.isArray(hand.cards) &&
    typeof hand.total === 'number' &&
    typeof hand.soft === 'boolean'
  );
}

/** `action`, unless it is not on offer (or a double the member cannot afford): then hit or stand. */
export function allowedAction(
  action: GameAction,
  options: readonly GameAction[],
  fallback: GameAction,
): GameAction {
  if (options.includes(action)) return action;
  return options.includes(fallback) ? fallback : 'stand';
}
