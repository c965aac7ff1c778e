import { z } from 'zod';
import type { RouletteConfig } from '../config/schema.js';
import { parseChoice } from './input.js';
import { assertBet, capPayout } from './payout.js';
import type { GameDefinition } from './types.js';

/*
 * European roulette, single zero. Draws: one nextInt(37) = the pocket 0–36.
 * Even-money bets (red, black, odd, even, low 1–18, high 19–36) pay 2 × bet in total; a single number
 * pays 36 × bet. Zero is green, neither odd nor even, low nor high: every outside bet loses on it.
 * Every bet returns 36/37 of the stake on average. Payouts are whole multiples of the bet: nothing to round.
 */

export const ROULETTE_POCKETS = 37;
const RED = new Set([1, 3, 5, 7, 9, 12, 14, 16, 18, 19, 21, 23, 25, 27, 30, 32, 34, 36]);
const OUTSIDE_BETS = ['red', 'black', 'odd', 'even', 'low', 'high'] as const;

export type RouletteOutsideBet = (typeof OUTSIDE_BETS)[number];
export type RouletteBet = RouletteOutsideBet | number;
export type RouletteColor = 'green' | 'red' | 'black';
export type RouletteChoice = { on: RouletteBet };
export type RouletteOutcome = {
  on: RouletteBet;
  number: number;
  color: RouletteColor;
  win: boolean;
  payout: string;
};

const choiceSchema = z.object({
  on: z.union([z.enum(OUTSIDE_BETS), z.number().int().min(0).max(36)], {
    error: 'must be red, black, odd, even, low, high or a number 0-36',
  }),
});

export function rouletteColor(pocket: number): RouletteColor {
  if (pocket === 0) return 'green';
  return RED.has(pocket) ? 'red' : 'black';
}

/** Whether `on` wins when the ball lands in `pocket`. */
export function rouletteWins(on: RouletteBet, pocket: number): boolean {
  if (typeof on === 'number') return on === pocket;
  if (pocket === 0) return false;
  switch (on) {
    case 'red':
    case 'black':
      return rouletteColor(pocket) === on;
    case 'odd':
      return pocket % 2 === 1;
    case 'even':
      return pocket % 2 === 0;
    case 'low':
      return pocket <= 18;
    case 'high':
      return pocket >= 19;
  }
}

export const roulette = {
  name: 'roulette',
  parseInput(input: Record<string, unknown>): RouletteChoice {
    return parseChoice(choiceSchema, input);
  },
  start(draws, config, choice, bet) {
    assertBet(bet);
    const pocket = draws.nextInt(ROULETTE_POCKETS);
    const win = rouletteWins(choice.on, pocket);
    const payout = win ? capPayout(bet * (typeof choice.on === 'number' ? 36n : 2n), config.maxPayout) : 0n;
    return {
      outcome: {
        on: choice.on,
        number: pocket,
        color: rouletteColor(pocket),
        win,
        payout: payout.toString(),
      },
      payout,
      finished: true,
    };
  },
} satisfies GameDefinition<RouletteConfig, RouletteChoice, RouletteOutcome>;
