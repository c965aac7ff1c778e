import { describe, expect, it } from 'vitest';
import { robberySchema } from '../config/schema.js';
import { hashServerSeed } from '../games/fairness.js';
import { robberyChanceBps, robberyFromSeeds, robberyParams, verifyRobbery } from './decide.js';

const rules = robberySchema.parse({
  enabled: true,
  minChanceBps: 1_000,
  maxChanceBps: 6_000,
  minStealBps: 1_000,
  maxStealBps: 3_000,
  maxSteal: 500,
  fineBps: 2_000,
  minFine: 50,
});
const SEED = 'a'.repeat(64);

describe('robbery decision', () => {
  it('moves the chance from min to max with the target’s share of both wallets, floored', () => {
    expect(robberyChanceBps(robberyParams(rules, 1_000n, 0n))).toBe(1_000);
    expect(robberyChanceBps(robberyParams(rules, 1_000n, 1_000n))).toBe(3_500);
    expect(robberyChanceBps(robberyParams(rules, 1n, 2n))).toBe(4_333); // 1000 + floor(5000 × 2 / 3)
    expect(robberyChanceBps(robberyParams(rules, 0n, 0n))).toBe(1_000);
    expect(robberyChanceBps(robberyParams(rules, 0n, 10n ** 18n))).toBe(6_000);
  });

  it('takes a drawn share of the target’s wallet, capped by maxSteal, at least 1; fines within the wallet', () => {
    const outcomes = Array.from({ length: 400 }, (_, nonce) =>
      robberyFromSeeds(SEED, 'client', nonce, robberyParams(rules, 1_000n, 3_000n)),
    );
    for (const o of outcomes) {
      if (o.success) {
        expect(o.stealBps).toBeGreaterThanOrEqual(1_000);
        expect(o.stealBps).toBeLessThanOrEqual(3_000);
        const share = (3_000n * BigInt(o.stealBps!)) / 10_000n;
        expect(o.amount).toBe(String(share > 500n ? 500n : share));
      } else {
        expect(o).toMatchObject({ stealBps: null, amount: '200' }); // 20 % of 1,000
      }
    }
    const rich = robberyFromSeeds(
      SEED,
      'client',
      0,
      robberyParams({ ...rules, minChanceBps: 10_000, maxChanceBps: 10_000 }, 100n, 10n ** 9n),
    );
    expect(rich.amount).toBe('500');
    const tiny = robberyFromSeeds(
      SEED,
      'client',
      0,
      robberyParams({ ...rules, minChanceBps: 10_000, maxChanceBps: 10_000 }, 100n, 1n),
    );
    expect(tiny.amount).toBe('1');
    const poor = robberyFromSeeds(
      SEED,
      'client',
      0,
      robberyParams({ ...rules, minChanceBps: 0, maxChanceBps: 0 }, 30n, 100n),
    );
    expect(poor).toMatchObject({ success: false, amount: '30' }); // minFine 50, but never more than the wallet
  });

  it('succeeds about as often as its chance says (fixed seed, 4,000 nonces)', () => {
    const params = robberyParams(rules, 1_000n, 1_000n); // 35 %
    let wins = 0;
    for (let nonce = 0; nonce < 4_000; nonce++)
      if (robberyFromSeeds(SEED, 'fixed', nonce, params).success) wins++;
    // 35 % ± 3 standard deviations (σ ≈ 0.75 %).
    expect(wins / 4_000).toBeGreaterThan(0.3275);
    expect(wins / 4_000).toBeLessThan(0.3725);
  });

  it('verifies exactly what the seeds produce, and nothing else', () => {
    const params = robberyParams(rules, 1_000n, 2_000n);
    const outcome = robberyFromSeeds(SEED, 'c', 7, params);
    const proof = { serverSeedHash: hashServerSeed(SEED), clientSeed: 'c', nonce: 7, params };
    expect(verifyRobbery({ outcome, proof }, SEED)).toBe(true);
    expect(verifyRobbery({ outcome, proof }, 'b'.repeat(64))).toBe(false);
    // Another wallet gives another chance: the proof no longer produces this outcome.
    const poorer = { ...proof, params: { ...params, targetWallet: '10' } };
    expect(verifyRobbery({ outcome, proof: poorer }, SEED)).toBe(false);
    expect(verifyRobbery({ outcome: { ...outcome, roll: outcome.roll + 1 }, proof }, SEED)).toBe(false);
    expect(verifyRobbery({ outcome: { ...outcome, success: !outcome.success }, proof }, SEED)).toBe(false);
    expect(verifyRobbery({ outcome, proof: { ...proof, params: null as never } }, SEED)).toBe(false);
  });
});
