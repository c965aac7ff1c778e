import { describe, expect, it } from 'vitest';
import { coinflipSchema } from '../config/schema.js';
import { coinflip } from './coinflip.js';
import { createDraws } from './fairness.js';
import { expectCode, expectInvalidInput } from './test-support.js';

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

  it('pays floor(bet × (20000 − 2 × edge) / 10000) on a win and 0 on a loss', () => {
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
    // 33 × 19600 / 10000 = 64.68 → 64 (floor).
    expect(coinflip.start(draws(0), config, { side: 'heads' }, 33n).payout).toBe(64n);
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
