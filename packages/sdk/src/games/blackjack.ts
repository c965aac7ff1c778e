import { z } from 'zod';
import type { BlackjackConfig } from '../config/schema.js';
import { invalidInput } from '../errors.js';
import type { Draws } from './fairness.js';
import { parseChoice } from './input.js';
import { assertBet, capPayout, mulDivRounded } from './payout.js';
import { type GameAction, type GameDefinition, type GameStep, isGameAction } from './types.js';

/*
 * Blackjack with an infinite deck: every card is one nextInt(13) from the round's stream, in the order
 * dealt (0 = A, 1–8 = 2–9, 9 = 10, 10 = J, 11 = Q, 12 = K).
 *
 * Start: four cards in this order — player, dealer up card, player, dealer hole card. The dealer peeks:
 * a dealer natural ends the round at once (a player natural against it pushes; anything else loses the
 * bet only). A player natural otherwise pays bet + bet × blackjackPayoutBps / 10000, rounded without bias
 * (when it has a fraction, one more draw after the four cards: payout.ts, denominator 10000).
 * Then the player acts, each action drawing the next cards of the same stream:
 *   hit    one card; over 21 loses at once (the dealer draws nothing); exactly 21 stands by itself.
 *   stand  the dealer plays.
 *   double only on the first two cards: the stake doubles (`extraStake` = bet), one card, then stand.
 * The dealer draws below 17, and on soft 17 only when dealerHitsSoft17. Settlement on the stake s:
 * dealer bust or a higher player total → 2s, equal totals → s (push), lower → 0. No split, no insurance,
 * no surrender. maxPayout caps the total payout.
 */

export const CARDS = ['A', '2', '3', '4', '5', '6', '7', '8', '9', '10', 'J', 'Q', 'K'] as const;
export type Card = (typeof CARDS)[number];

export type BlackjackChoice = Record<string, never>;
export type BlackjackResult = 'win' | 'lose' | 'push';
export type BlackjackReason =
  | 'blackjack'
  | 'dealer-blackjack'
  | 'both-blackjack'
  | 'bust'
  | 'dealer-bust'
  | 'higher'
  | 'lower'
  | 'equal';
export type BlackjackHand = { cards: Card[]; total: number; soft: boolean };
export type BlackjackOutcome = {
  player: BlackjackHand;
  /** Only the up card until the round finishes. */
  dealer: BlackjackHand;
  /** Amount at stake, decimal minor units (twice the bet after a double). */
  stake: string;
  doubled: boolean;
  /** null while unfinished. */
  result: BlackjackResult | null;
  reason: BlackjackReason | null;
  /** Actions the player may take now (empty once finished). */
  options: GameAction[];
  payout: string;
};
/** An unfinished round. Holds the hole card: keep it server-side. */
export type BlackjackState = {
  bet: string;
  player: Card[];
  dealer: Card[];
  /** Draw-stream position where the next card comes from. */
  position: number;
};

const choiceSchema = z.object({});
const card = z.enum(CARDS);
const stateSchema = z.strictObject({
  bet: z.string().regex(/^[1-9]\d{0,18}$/, 'must be a positive whole number of minor units'),
  player: z.array(card).min(2).max(21),
  dealer: z.array(card).length(2),
  position: z.number().int().min(4),
});

export function cardValue(c: Card): number {
  return c === 'A' ? 1 : Math.min(CARDS.indexOf(c) + 1, 10);
}

/** Best total of a hand: one ace counts 11 when that does not bust it (then the hand is soft). */
export function handValue(cards: readonly Card[]): { total: number; soft: boolean } {
  let hard = 0;
  let ace = false;
  for (const c of cards) {
    hard += cardValue(c);
    if (c === 'A') ace = true;
  }
  const soft = ace && hard + 10 <= 21;
  return { total: soft ? hard + 10 : hard, soft };
}

export function isNatural(cards: readonly Card[]): boolean {
  return cards.length === 2 && handValue(cards).total === 21;
}

function dealerHits(cards: readonly Card[], hitsSoft17: boolean): boolean {
  const { total, soft } = handValue(cards);
  return total < 17 || (total === 17 && soft && hitsSoft17);
}

function deal(draws: Draws): Card {
  return CARDS[draws.nextInt(CARDS.length)]!;
}

type Table = { bet: bigint; player: Card[]; dealer: Card[]; doubled: boolean };
type BlackjackStep = GameStep<BlackjackOutcome, BlackjackState>;

function hand(cards: Card[]): BlackjackHand {
  return { cards, ...handValue(cards) };
}

function playing(table: Table, position: number): BlackjackStep {
  const { bet, player, dealer } = table;
  return {
    outcome: {
      player: hand(player),
      dealer: hand(dealer.slice(0, 1)),
      stake: bet.toString(),
      doubled: false,
      result: null,
      reason: null,
      options: player.length === 2 ? ['hit', 'stand', 'double'] : ['hit', 'stand'],
      payout: '0',
    },
    payout: 0n,
    finished: false,
    state: { bet: bet.toString(), player: [...player], dealer: [...dealer], position },
  };
}

function finished(
  table: Table,
  config: BlackjackConfig,
  draws: Draws,
  result: BlackjackResult,
  reason: BlackjackReason,
): BlackjackStep {
  const stake = table.doubled ? table.bet * 2n : table.bet;
  const owed =
    reason === 'blackjack'
      ? stake + mulDivRounded(draws, stake, config.blackjackPayoutBps, 10_000)
      : result === 'win'
        ? stake * 2n
        : result === 'push'
          ? stake
          : 0n;
  const payout = capPayout(owed, config.maxPayout);
  return {
    outcome: {
      player: hand(table.player),
      dealer: hand(table.dealer),
      stake: stake.toString(),
      doubled: table.doubled,
      result,
      reason,
      options: [],
      payout: payout.toString(),
    },
    payout,
    finished: true,
  };
}

function settle(table: Table, config: BlackjackConfig, draws: Draws): BlackjackStep {
  const player = handValue(table.player).total;
  if (player > 21) return finished(table, config, draws, 'lose', 'bust');
  while (dealerHits(table.dealer, config.dealerHitsSoft17)) table.dealer.push(deal(draws));
  const dealer = handValue(table.dealer).total;
  if (dealer > 21) return finished(table, config, draws, 'win', 'dealer-bust');
  if (player > dealer) return finished(table, config, draws, 'win', 'higher');
  if (player < dealer) return finished(table, config, draws, 'lose', 'lower');
  return finished(table, config, draws, 'push', 'equal');
}

function parseAction(action: unknown): GameAction {
  if (!isGameAction(action)) throw invalidInput('action', 'must be "hit", "stand" or "double"');
  return action;
}

export const blackjack = {
  name: 'blackjack',
  parseInput(input: Record<string, unknown>): BlackjackChoice {
    parseChoice(choiceSchema, input);
    return {};
  },
  start(draws, config, _choice, bet) {
    assertBet(bet);
    const p1 = deal(draws);
    const up = deal(draws);
    const p2 = deal(draws);
    const hole = deal(draws);
    const table: Table = { bet, player: [p1, p2], dealer: [up, hole], doubled: false };
    // The peek: only an ace or ten-card up card can make a dealer natural, and it ends the round now.
    if (isNatural(table.dealer)) {
      return isNatural(table.player)
        ? finished(table, config, draws, 'push', 'both-blackjack')
        : finished(table, config, draws, 'lose', 'dealer-blackjack');
    }
    if (isNatural(table.player)) return finished(table, config, draws, 'win', 'blackjack');
    return playing(table, draws.position);
  },
  act(draws, config, state, action) {
    const move = parseAction(action);
    if (draws.position > state.position) {
      throw invalidInput(
        'state',
        'is behind the draw source: pass the round’s draws fresh or where the last step left them',
      );
    }
    if (move === 'double' && state.player.length !== 2) {
      throw invalidInput('action', 'double is only allowed on the first two cards');
    }
    draws.advanceTo(state.position);
    const table: Table = {
      bet: BigInt(state.bet),
      player: [...state.player],
      dealer: [...state.dealer],
      doubled: move === 'double',
    };
    if (move !== 'stand') table.player.push(deal(draws));
    const step =
      move === 'hit' && handValue(table.player).total < 21
        ? playing(table, draws.position)
        : settle(table, config, draws);
    return move === 'double' ? { ...step, extraStake: table.bet } : step;
  },
  parseState(value: unknown): BlackjackState {
    const state = parseChoice(stateSchema, value, 'state');
    if (handValue(state.player).total >= 21)
      throw invalidInput('state.player', 'is not a hand still in play');
    return state;
  },
} satisfies GameDefinition<BlackjackConfig, BlackjackChoice, BlackjackOutcome, BlackjackState>;
