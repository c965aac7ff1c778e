import { z } from 'zod';
import type { DiceConfig } from '../config/schema.js';
import { invalidInput } from '../errors.js';
import { parseChoice } from './input.js';
import { assertBet, capPayout, mulDivRounded } from './payout.js';
import type { GameDefinition } from './types.js';

/*
 * Dice. Draws: one nextInt(10000) = the roll in hundredths, shown as 0.00–99.99; on a win whose payout
 * has a fraction, one more draw rounds it (payout.ts, denominator = the winning rolls).
 * With T = target × 100 (targets have at most two decimals):
 *   under wins when roll < T  → T winning rolls of 10000;
 *   over  wins when roll > T  → 9999 − T winning rolls (strictly over, so "over 50" wins 4999 rolls
 *                               and "under 50" 5000: the target is a threshold, never a winning roll).
 * A win pays bet × (10000 − houseEdgeBps) / winningRolls in total, rounded without bias, so every target,
 * direction and bet returns (10000 − houseEdgeBps) / 10000. A loss pays 0.
 */

export const DICE_OUTCOMES = 10_000;

export type DiceDirection = 'over' | 'under';
export type DiceChoice = { target: number; direction: DiceDirection };
export type DiceOutcome = {
  target: number;
  direction: DiceDirection;
  /** 0.00–99.99. */
  roll: number;
  win: boolean;
  payout: string;
};

const choiceSchema = z.object({
  target: z
    .number({ error: 'must be a number' })
    .refine((t) => Number.isFinite(t) && Math.round(t * 100) / 100 === t, 'must have at most two decimals'),
  direction: z.enum(['over', 'under'], { error: 'must be "over" or "under"' }),
});

/** How many of the 10000 rolls win for a target in hundredths. */
export function diceWinningRolls(hundredths: number, direction: DiceDirection): number {
  return direction === 'under' ? hundredths : DICE_OUTCOMES - 1 - hundredths;
}

export const dice = {
  name: 'dice',
  parseInput(input, config) {
    const choice = parseChoice(choiceSchema, input);
    if (choice.target < config.minTarget || choice.target > config.maxTarget) {
      throw invalidInput('target', `must be between ${config.minTarget} and ${config.maxTarget}`);
    }
    if (diceWinningRolls(Math.round(choice.target * 100), choice.direction) < 1) {
      throw invalidInput('target', `leaves no winning roll ${choice.direction} ${choice.target}`);
    }
    return { target: choice.target, direction: choice.direction };
  },
  start(draws, config, choice, bet) {
    assertBet(bet);
    const threshold = Math.round(choice.target * 100);
    const roll = draws.nextInt(DICE_OUTCOMES);
    const win = choice.direction === 'under' ? roll < threshold : roll > threshold;
    const payout = win
      ? capPayout(
          mulDivRounded(
            draws,
            bet,
            10_000 - config.houseEdgeBps,
            diceWinningRolls(threshold, choice.direction),
          ),
          config.maxPayout,
        )
      : 0n;
    return {
      outcome: {
        target: choice.target,
        direction: choice.direction,
        roll: roll / 100,
        win,
        payout: payout.toString(),
      },
      payout,
      finished: true,
    };
  },
} satisfies GameDefinition<DiceConfig, DiceChoice, DiceOutcome>;
