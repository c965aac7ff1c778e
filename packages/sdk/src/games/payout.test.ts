import { describe, expect, it } from 'vitest';
import type { Draws } from './fairness.js';
import { capPayout, mulDivRounded } from './payout.js';

/** A draw source whose next nextInt answers `value` (checked against n), and that counts its draws. */
function fixed(value: number): Draws & { taken: number } {
  return {
    taken: 0,
    position: 0,
    nextInt(n) {
      if (value >= n) throw new RangeError(`nextInt(${n}) cannot answer ${value}`);
      this.taken++;
      return value;
    },
    advanceTo: () => {},
  };
}

describe('mulDivRounded', () => {
  it('is exact in expectation: over every value of its draw the payouts add up to amount × numerator', () => {
    // Small bets at the rates the games use (coinflip and slots per 10000, dice per winning roll).
    const cases: Array<[amount: bigint, numerator: number, denominator: number]> = [
      [1n, 19_600, 10_000],
      [10n, 19_600, 10_000],
      [33n, 19_600, 10_000],
      [1n, 15_000, 10_000],
      [3n, 7_500, 10_000],
      [10n, 9_850, 5_000],
      [7n, 9_900, 4_999],
      [1n, 9_900, 9_999],
      [2n ** 62n, 9_900, 4_999],
    ];
    for (const [amount, numerator, denominator] of cases) {
      let paid = 0n;
      let roundedUp = 0n;
      let other = 0;
      const floor = (amount * BigInt(numerator)) / BigInt(denominator);
      for (let value = 0; value < denominator; value++) {
        const payout = mulDivRounded(fixed(value), amount, numerator, denominator);
        if (payout === floor + 1n) roundedUp++;
        else if (payout !== floor) other++;
        paid += payout;
      }
      expect(other).toBe(0);
      expect(paid).toBe(amount * BigInt(numerator));
      // Rounded up for exactly the remainder's share of the draws.
      expect(roundedUp).toBe((amount * BigInt(numerator)) % BigInt(denominator));
    }
  });

  it('takes no draw when the payout is whole', () => {
    const draws = fixed(0);
    expect(mulDivRounded(draws, 100n, 19_600, 10_000)).toBe(196n);
    expect(mulDivRounded(draws, 5n, 0, 10_000)).toBe(0n);
    expect(draws.taken).toBe(0);
    expect(mulDivRounded(draws, 10n, 19_600, 10_000)).toBe(20n);
    expect(draws.taken).toBe(1);
  });

  it('coinflip at the classic minimum bet: a win on 10 pays 19.6 on average, not 19', () => {
    const paid = Array.from({ length: 10_000 }, (_, v) => mulDivRounded(fixed(v), 10n, 19_600, 10_000));
    expect(paid.filter((p) => p === 20n)).toHaveLength(6_000);
    expect(paid.filter((p) => p === 19n)).toHaveLength(4_000);
  });
});

describe('capPayout', () => {
  it('caps at maxPayout; null is no cap', () => {
    expect(capPayout(300n, 200)).toBe(200n);
    expect(capPayout(150n, 200)).toBe(150n);
    expect(capPayout(10n ** 15n, null)).toBe(10n ** 15n);
  });
});
