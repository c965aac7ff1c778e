import { describe, expect, it } from 'vitest';
import { rouletteSchema } from '../config/schema.js';
import { createDraws } from './fairness.js';
import { type RouletteBet, roulette, rouletteColor } from './roulette.js';
import { expectInvalidInput } from './test-support.js';

// Seeds picked by hand (client seed 'tests'): nonce 0 lands on 9, nonce 4 on 32, nonce 10 on 0.
const SEED = 'guildmint-test-server-seed';
const draws = (nonce: number) => createDraws(SEED, 'tests', nonce);
const config = rouletteSchema.parse({});
const payout = (nonce: number, on: RouletteBet) => roulette.start(draws(nonce), config, { on }, 100n).payout;

describe('roulette', () => {
  it('validates the bet', () => {
    expect(roulette.parseInput({ on: 'red', bet: 100n })).toEqual({ on: 'red' });
    expect(roulette.parseInput({ on: 0 })).toEqual({ on: 0 });
    for (const on of [37, -1, 1.5, 'green', '7', null])
      expectInvalidInput(() => roulette.parseInput({ on }), 'on');
    expectInvalidInput(() => roulette.parseInput({}), 'on');
  });

  it('colours the wheel', () => {
    const reds = Array.from({ length: 37 }, (_, n) => n).filter((n) => rouletteColor(n) === 'red');
    expect(reds).toEqual([1, 3, 5, 7, 9, 12, 14, 16, 18, 19, 21, 23, 25, 27, 30, 32, 34, 36]);
    expect(rouletteColor(0)).toBe('green');
  });

  it('pays 2× on even-money bets and 36× on a number', () => {
    expect(roulette.start(draws(0), config, { on: 'red' }, 100n)).toEqual({
      outcome: { on: 'red', number: 9, color: 'red', win: true, payout: '200' },
      payout: 200n,
      finished: true,
    });
    const nine: Array<[RouletteBet, bigint]> = [
      ['black', 0n],
      ['odd', 200n],
      ['even', 0n],
      ['low', 200n],
      ['high', 0n],
      [9, 3600n],
      [10, 0n],
    ];
    for (const [on, paid] of nine) expect(payout(0, on)).toBe(paid);
    const thirtyTwo: Array<[RouletteBet, bigint]> = [
      ['red', 200n],
      ['even', 200n],
      ['high', 200n],
      ['low', 0n],
      ['odd', 0n],
    ];
    for (const [on, paid] of thirtyTwo) expect(payout(4, on)).toBe(paid);
  });

  it('zero loses every outside bet and pays a bet on 0', () => {
    for (const on of ['red', 'black', 'odd', 'even', 'low', 'high'] as const) expect(payout(10, on)).toBe(0n);
    expect(roulette.start(draws(10), config, { on: 0 }, 100n).outcome).toEqual({
      on: 0,
      number: 0,
      color: 'green',
      win: true,
      payout: '3600',
    });
  });

  it('caps the payout at maxPayout', () => {
    expect(roulette.start(draws(0), { ...config, maxPayout: 1000 }, { on: 9 }, 100n).payout).toBe(1000n);
  });
});
