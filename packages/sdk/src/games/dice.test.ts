import { describe, expect, it } from 'vitest';
import { diceSchema } from '../config/schema.js';
import { dice } from './dice.js';
import { createDraws } from './fairness.js';
import { everyDraw, expectInvalidInput, sum } from './test-support.js';

// Seeds picked by hand (client seed 'tests'): nonce 0 rolls 68.36, nonce 8 rolls 4.14.
const SEED = 'guildmint-test-server-seed';
const draws = (nonce: number) => createDraws(SEED, 'tests', nonce);
const config = diceSchema.parse({});

describe('dice', () => {
  it('validates target and direction', () => {
    expect(dice.parseInput({ target: 12.29, direction: 'over', bet: 10n }, config)).toEqual({
      target: 12.29,
      direction: 'over',
    });
    expectInvalidInput(() => dice.parseInput({ target: 50.555, direction: 'over' }, config), 'target');
    expectInvalidInput(() => dice.parseInput({ target: '50', direction: 'over' }, config), 'target');
    expectInvalidInput(() => dice.parseInput({ target: Number.NaN, direction: 'over' }, config), 'target');
    expectInvalidInput(() => dice.parseInput({ target: 1.99, direction: 'under' }, config), 'target');
    expectInvalidInput(() => dice.parseInput({ target: 98.01, direction: 'under' }, config), 'target');
    expectInvalidInput(() => dice.parseInput({ target: 50, direction: 'sideways' }, config), 'direction');
    expectInvalidInput(() => dice.parseInput({ target: 50 }, config), 'direction');
    expect(dice.parseInput({ target: 99, direction: 'under' }, { ...config, maxTarget: 99 })).toEqual({
      target: 99,
      direction: 'under',
    });
  });

  it('pays bet × (10000 − edge) / winning rolls, rounded without bias', () => {
    // over 50 wins rolls 50.01–99.99: 4999 of them; 100 × 9900 / 4999 = 198.04, and this round's
    // rounding draw (its second) kept it at 198.
    expect(dice.start(draws(0), config, { target: 50, direction: 'over' }, 100n)).toEqual({
      outcome: { target: 50, direction: 'over', roll: 68.36, win: true, payout: '198' },
      payout: 198n,
      finished: true,
    });
    expect(dice.start(draws(0), config, { target: 50, direction: 'under' }, 100n).payout).toBe(0n);
    // under 5 wins 500 rolls: 1000 × 9900 / 500 = 19800.
    expect(dice.start(draws(8), config, { target: 5, direction: 'under' }, 1000n).outcome).toEqual({
      target: 5,
      direction: 'under',
      roll: 4.14,
      win: true,
      payout: '19800',
    });
    // Over every value of the rounding draw, nextInt(4999), the payouts add up to exactly 100 × 9900.
    const paid = everyDraw(
      () => draws(0),
      1,
      (d) => dice.start(d, config, { target: 50, direction: 'over' }, 100n).payout,
    );
    expect(paid).toHaveLength(4_999);
    expect(new Set(paid)).toEqual(new Set([198n, 199n]));
    expect(sum(paid)).toBe(100n * 9_900n);
  });

  it('treats the target as a threshold that never wins', () => {
    expect(dice.start(draws(0), config, { target: 68.36, direction: 'over' }, 100n).payout).toBe(0n);
    expect(dice.start(draws(0), config, { target: 68.36, direction: 'under' }, 100n).payout).toBe(0n);
    // over 68.35: 9999 − 6835 = 3164 winning rolls, 990000 / 3164 = 312.9: 312 or 313.
    expect([312n, 313n]).toContain(
      dice.start(draws(0), config, { target: 68.35, direction: 'over' }, 100n).payout,
    );
    // under 68.37: 6837 winning rolls, 990000 / 6837 = 144.8: 144 or 145.
    expect([144n, 145n]).toContain(
      dice.start(draws(0), config, { target: 68.37, direction: 'under' }, 100n).payout,
    );
  });

  it('caps the payout at maxPayout', () => {
    expect(
      dice.start(draws(8), { ...config, maxPayout: 5000 }, { target: 5, direction: 'under' }, 1000n).payout,
    ).toBe(5000n);
  });
});
