import { describe, expect, it } from 'vitest';
import { coinflipSchema } from '../config/schema.js';
import { coinflip } from './coinflip.js';
import { createDraws } from './fairness.js';
import { everyDraw, expectCode, expectInvalidInput, sum } from './test-support.js';

// Seeds picked by hand: with this server seed and client seed 'tests', nonce 0 lands heads and nonce 1 tails.
const SEED = 'guildmint-test-server-seed';
const draws = (nonce: number) => createDraws(SEED, 'tests', nonce);
const config = coinflipSchema.parse({});

describe('coinflip', () => {
  it('validates the side', () => {
    expect(coinflip.parseInput({ side: 'tails', bet: 100n, key: 'k' })).toEqual({ side: 'tails' });
    expectInvalidInput(() => coinflip.parseInput({}), 'side');
    expectInvalidInput(() => coinflip.parseInput({ side: 'edge' }), 'side');
    expectInvalidInput(() => coinflip.parseInput({ side: 1 }), 'side');
  });

  it('pays bet × (20000 − 2 × edge) / 10000 on a win, rounded without bias, and 0 on a loss', () => {
    const win = coinflip.start(draws(0), config, { side: 'heads' }, 100n);
    expect(win).toEqual({
      outcome: { side: 'heads', landed: 'heads', win: true, payout: '196' },
      payout: 196n,
      finished: true,
    });
    const loss = coinflip.start(draws(1), config, { side: 'heads' }, 100n);
    expect(loss.outcome).toEqual({ side: 'heads', landed: 'tails', win: false, payout: '0' });
    expect(loss.payout).toBe(0n);
    expect(coinflip.start(draws(1), config, { side: 'tails' }, 100n).payout).toBe(196n);
    // 33 × 19600 / 10000 = 64.68: the draw after the flip pays 65 for 6800 of its 10000 values, 64 for
    // the rest, so the payout's expected value is 64.68 exactly (floored, it was 64 every time).
    const paid = everyDraw(
      () => draws(0),
      1,
      (d) => coinflip.start(d, config, { side: 'heads' }, 33n).payout,
    );
    expect(paid).toHaveLength(10_000);
    expect(new Set(paid)).toEqual(new Set([64n, 65n]));
    expect(sum(paid)).toBe(33n * 19_600n);
    // A whole payout takes no further draw.
    const whole = draws(0);
    coinflip.start(whole, config, { side: 'heads' }, 100n);
    expect(whole.position).toBe(1);
    expect(coinflip.start(draws(0), { ...config, houseEdgeBps: 0 }, { side: 'heads' }, 100n).payout).toBe(
      200n,
    );
  });

  it('caps the payout at maxPayout', () => {
    expect(coinflip.start(draws(0), { ...config, maxPayout: 150 }, { side: 'heads' }, 100n).payout).toBe(
      150n,
    );
  });

  it('refuses a bet that is not a positive bigint', () => {
    expectCode(() => coinflip.start(draws(0), config, { side: 'heads' }, 0n), 'INVALID_AMOUNT');
    expectCode(() => coinflip.start(draws(0), config, { side: 'heads' }, 2n ** 63n), 'AMOUNT_OVERFLOW');
  });
});
