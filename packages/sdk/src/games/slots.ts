import { z } from 'zod';
import type { SlotsConfig } from '../config/schema.js';
import { parseChoice } from './input.js';
import { assertBet, capPayout, mulDivRounded } from './payout.js';
import type { GameDefinition } from './types.js';

/*
 * Slots. Draws: nextInt(reels[0].length), nextInt(reels[1].length), nextInt(reels[2].length), in that
 * order: the stop of each reel. The first paytable line whose symbols match the three stopped symbols
 * ('*' matches any symbol) pays bet × multiplierBps / 10000 in total, rounded without bias (when it has a
 * fraction, one more draw: payout.ts, denominator 10000); no matching line pays 0.
 */

export type SlotsChoice = Record<string, never>;
export type SlotsOutcome = {
  stops: number[];
  symbols: string[];
  /** Index of the paytable line that matched, or null. */
  line: number | null;
  multiplierBps: number;
  payout: string;
};

const choiceSchema = z.object({});

/** Index of the first paytable line matching `symbols`, or -1. */
export function matchLine(paytable: SlotsConfig['paytable'], symbols: readonly string[]): number {
  return paytable.findIndex((line) =>
    line.symbols.every((symbol, i) => symbol === '*' || symbol === symbols[i]),
  );
}

export const slots = {
  name: 'slots',
  parseInput(input: Record<string, unknown>): SlotsChoice {
    parseChoice(choiceSchema, input);
    return {};
  },
  start(draws, config, _choice, bet) {
    assertBet(bet);
    const stops = config.reels.map((reel) => draws.nextInt(reel.length));
    const symbols = config.reels.map((reel, i) => reel[stops[i]!]!);
    const index = matchLine(config.paytable, symbols);
    const multiplierBps = index < 0 ? 0 : config.paytable[index]!.multiplierBps;
    const payout = capPayout(mulDivRounded(draws, bet, multiplierBps, 10_000), config.maxPayout);
    return {
      outcome: { stops, symbols, line: index < 0 ? null : index, multiplierBps, payout: payout.toString() },
      payout,
      finished: true,
    };
  },
} satisfies GameDefinition<SlotsConfig, SlotsChoice, SlotsOutcome>;
