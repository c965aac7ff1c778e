import { describe, expect, it } from 'vitest';
import { slotsSchema } from '../config/schema.js';
import { createDraws } from './fairness.js';
import { slots } from './slots.js';
import { everyDraw, expectInvalidInput, sum } from './test-support.js';

// Seeds picked by hand (client seed 'tests'), stops on three 4-symbol reels: nonce 0 → 0,3,0;
// nonce 6 → 0,0,2; nonce 7 → 1,1,0.
const SEED = 'guildmint-test-server-seed';
const draws = (nonce: number) => createDraws(SEED, 'tests', nonce);
const reel = ['7', 'bar', 'cherry', 'cherry'];
const config = slotsSchema.parse({
  reels: [reel, reel, reel],
  paytable: [
    { symbols: ['7', '7', '7'], multiplierBps: 500_000 },
    { symbols: ['7', '7', '*'], multiplierBps: 50_000 },
    { symbols: ['*', '*', 'cherry'], multiplierBps: 15_000 },
    { symbols: ['bar', 'bar', '*'], multiplierBps: 25_000 },
  ],
});

describe('slots', () => {
  it('takes no choice', () => {
    expect(slots.parseInput({ bet: 10n })).toEqual({});
    expectInvalidInput(() => slots.parseInput(null as unknown as Record<string, unknown>), '');
  });

  it('pays the first matching line: bet × multiplierBps / 10000, rounded without bias', () => {
    // 7 7 cherry matches line 1 (7 7 *) before line 2 (* * cherry).
    expect(slots.start(draws(6), config, {}, 100n)).toEqual({
      outcome: {
        stops: [0, 0, 2],
        symbols: ['7', '7', 'cherry'],
        line: 1,
        multiplierBps: 50_000,
        payout: '500',
      },
      payout: 500n,
      finished: true,
    });
    expect(slots.start(draws(7), config, {}, 100n).outcome).toMatchObject({
      symbols: ['bar', 'bar', '7'],
      line: 3,
    });
    // 7 × 25000 / 10000 = 17.5: the draw after the three stops pays 18 for half its values, 17 otherwise.
    const paid = everyDraw(
      () => draws(7),
      3,
      (d) => slots.start(d, config, {}, 7n).payout,
    );
    expect(new Set(paid)).toEqual(new Set([17n, 18n]));
    expect(sum(paid)).toBe((7n * 25_000n * BigInt(paid.length)) / 10_000n);
  });

  it('pays 0 when no line matches', () => {
    expect(slots.start(draws(0), config, {}, 100n).outcome).toEqual({
      stops: [0, 3, 0],
      symbols: ['7', 'cherry', '7'],
      line: null,
      multiplierBps: 0,
      payout: '0',
    });
  });

  it('caps the payout at maxPayout', () => {
    expect(slots.start(draws(6), { ...config, maxPayout: 300 }, {}, 100n).payout).toBe(300n);
  });
});
