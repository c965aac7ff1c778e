import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holdingBucket, holdingRange } from '../ledger/rollups.js';
import { gini } from '../policy/measures.js';
import { distribution } from './holdings.js';

/** Top-10 % share and Lorenz points from every holding, sorted: the exact figures the histogram estimates. */
function exactShares(holdings: readonly bigint[]): { top: number; lorenz: number[] } {
  const held = holdings.map((b) => (b > 0n ? b : 0n)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const n = held.length;
  const prefix = [0n];
  for (const x of held) prefix.push(prefix.at(-1)! + x);
  const total = Number(prefix[n]!);
  const share = (part: bigint) => (total > 0 ? (Number(part) * 10_000) / total : 0);
  return {
    top: share(prefix[n]! - prefix[n - Math.ceil(n / 10)]!),
    lorenz: Array.from({ length: 9 }, (_, k) => share(prefix[Math.floor(((k + 1) * n) / 10)]!)),
  };
}

const SEED = 20_261_206;

describe('holding buckets', () => {
  it('are exact below 256, then 128 per power of two, each at most 1/128 of its lowest holding wide', () => {
    expect([0n, 1n, 255n].map(holdingBucket)).toEqual([0, 1, 255]);
    expect(holdingBucket(-5n)).toBe(-1);
    expect(holdingRange(300)).toEqual({ low: 344n, width: 1n }); // shift 1: 1·128 + 172, holdings 172 << 1 and one more
    const max = (1n << 63n) - 1n;
    expect(holdingBucket(max)).toBe(57 * 128 - 1);
    console.log(`holding buckets seed ${SEED}`);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max }), (h) => {
        const { low, width } = holdingRange(holdingBucket(h));
        expect(h >= low && h <= low + width).toBe(true);
        expect(width * 128n <= low).toBe(true);
        // Buckets grow with the holding.
        if (h > 0n) expect(holdingBucket(h - 1n) <= holdingBucket(h)).toBe(true);
      }),
      { seed: SEED, numRuns: 2_000 },
    );
  });
});

describe('wealth distribution from the holdings histogram', () => {
  it('Gini, top-10 % share and the Lorenz curve of 100, 300, 400 (hand-computed, exact buckets)', () => {
    const d = distribution([300n, 100n, 400n]);
    // Sorted 100, 300, 400: G = 2·(1·100 + 2·300 + 3·400) / (3·800) − 4/3 = 3800/2400 − 4/3 = 0.25
    expect(d.gini).toBe(0.25);
    expect(d.top10ShareBps).toBe(5_000n); // the richest tenth, rounded up, is one member: 400 of 800
    expect(d.lorenz[4]).toBe(1_250n); // 40 % of 3 members is the first one (floor): 100 of 800
    expect([d.giniBound, d.shareBoundBps]).toEqual([0, 0n]);
  });

  it('is within its stated bounds of the exact figures, and the bounds within 1/1024 and 1/256', () => {
    console.log(`distribution bounds seed ${SEED}`);
    const holding = fc.oneof(
      fc.bigInt({ min: -1_000n, max: 300n }),
      fc.bigInt({ min: 0n, max: 10_000_000n }),
      fc.bigInt({ min: 0n, max: 1n << 62n }),
    );
    fc.assert(
      fc.property(fc.array(holding, { minLength: 1, maxLength: 400 }), (holdings) => {
        const d = distribution(holdings);
        const exact = exactShares(holdings);
        expect(d.members).toBe(holdings.length);
        expect(d.supply).toBe(holdings.reduce((a, b) => a + b, 0n));
        // Rounding to 4 decimals (gini) and truncation to whole bps (shares) come on top of the bounds.
        expect(Math.abs(d.gini - gini(holdings))).toBeLessThanOrEqual(d.giniBound + 1e-4 + 1e-9);
        expect(d.giniBound).toBeLessThanOrEqual(1 / 1024);
        const slack = Number(d.shareBoundBps) + 1;
        expect(Math.abs(Number(d.top10ShareBps) - exact.top)).toBeLessThanOrEqual(slack);
        d.lorenz.slice(1, 10).forEach((point, k) => {
          expect(Math.abs(Number(point) - exact.lorenz[k]!)).toBeLessThanOrEqual(slack);
        });
        if (holdings.every((h) => h < 256n)) expect([d.giniBound, d.shareBoundBps]).toEqual([0, 0n]);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('counts debts as holding nothing and in the supply', () => {
    expect(distribution([0n, 0n, 0n, 10n]).gini).toBe(0.75);
    const withDebt = distribution([-50n, 0n, 0n, 10n]);
    expect(withDebt.gini).toBe(0.75);
    expect(withDebt.supply).toBe(-40n);
    expect(distribution([]).gini).toBe(0);
    expect(distribution([5n, 5n]).gini).toBe(0);
  });
});
