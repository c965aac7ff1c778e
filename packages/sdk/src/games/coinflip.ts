import { z } from 'zod';
import type { CoinflipConfig } from '../config/schema.js';
import { parseChoice } from './input.js';
import { assertBet, capPayout, mulDivRounded } from './payout.js';
import type { GameDefinition } from './types.js';

/*
 * Coinflip. Draws: one nextInt(2); 0 = heads, 1 = tails; on a win whose payout has a fraction, one
 * more draw rounds it (payout.ts, denominator 10000).
 * A win pays bet × (20000 − 2 × houseEdgeBps) / 10000 in total (stake included), rounded without bias,
 * so the return to player is (10000 − houseEdgeBps) / 10000 at every bet. A loss pays 0.
 */

export type CoinSide = 'heads' | 'tails';
export type CoinflipChoice = { side: CoinSide };
export type CoinflipOutcome = { side: CoinSide; landed: CoinSide; win: boolean; payout: string };

const choiceSchema = z.object({ side: z.enum(['heads', 'tails'], { error: 'must be "heads" or "tails"' }) });

export const coinflip = {
  name: 'coinflip',
  parseInput(input: Record<string, unknown>): CoinflipChoice {
    return parseChoice(choiceSchema, input);
  },
  start(draws, config, choice, bet) {
    assertBet(bet);
    const landed: CoinSide = draws.nextInt(2) === 0 ? 'heads' : 'tails';
    const win = landed === choice.side;
    const payout = win
      ? capPayout(mulDivRounded(draws, bet, 20_000 - 2 * config.houseEdgeBps, 10_000), config.maxPayout)
      : 0n;
    return { outcome: { side: choice.side, landed, win, payout: payout.toString() }, payout, finished: true };
  },
} satisfies GameDefinition<CoinflipConfig, CoinflipChoice, CoinflipOutcome>;
