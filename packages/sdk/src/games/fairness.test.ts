import { describe, expect, it } from 'vitest';
import { createDraws, hashServerSeed, newServerSeed } from './fairness.js';
import { expectInvalidInput } from './test-support.js';

// Test vector, computed independently with Python's hmac/hashlib/struct from the algorithm in
// fairness.ts: key = b"guildmint-test-server-seed", messages b"player-1:7:0", b"player-1:7:1".
const SEED = 'guildmint-test-server-seed';
const SEED_HASH = '48bee8169ccf2105fc38f05143eb691a8cb65091e10453599a4f4f91375b995c';
// HMAC block 0 = 5ad239c8 f4ecb594 f1c1cbb1 1c64792a 683dee7f 33dbccc7 0374c5cd fee1cb1c
const WORDS = [
  1523726792, 4109153684, 4056009649, 476346666, 1748889215, 870042823, 57984461, 4276210460, 2816119870,
  2314732224,
];

/** Pearson's chi-square statistic of observed counts against equal expected counts. */
function chiSquare(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
}

describe('fairness', () => {
  it('commits to a server seed with SHA-256 hex', () => {
    expect(hashServerSeed(SEED)).toBe(SEED_HASH);
    const seed = newServerSeed();
    expect(seed).toMatch(/^[0-9a-f]{64}$/);
    expect(newServerSeed()).not.toBe(seed);
  });

  it('reads HMAC blocks as big-endian words, block after block (test vector)', () => {
    const draws = createDraws(SEED, 'player-1', 7);
    // nextInt(2^32) never rejects, so it returns the raw words in order, across the block boundary.
    expect(WORDS.map(() => draws.nextInt(2 ** 32))).toEqual(WORDS);
    expect(draws.position).toBe(10);
  });

  it('draws games take from the vector', () => {
    const draws = createDraws(SEED, 'player-1', 7);
    expect([2, 10_000, 37, 13, 13, 13, 13, 6].map((n) => draws.nextInt(n))).toEqual([
      0, 3684, 15, 3, 8, 0, 2, 2,
    ]);
    expect(draws.position).toBe(8);
  });

  it('rejects words at or above the largest multiple of n (test vector)', () => {
    // n = 3·2^30: limit = 2^32 − (2^32 mod n) = 3·2^30, so words 2, 3 and 8 of the vector are skipped.
    const draws = createDraws(SEED, 'player-1', 7);
    const n = 3 * 2 ** 30;
    const taken = Array.from({ length: 6 }, () => [draws.nextInt(n), draws.position]);
    expect(taken).toEqual([
      [1523726792, 1],
      [476346666, 4],
      [1748889215, 5],
      [870042823, 6],
      [57984461, 7],
      [2816119870, 9],
    ]);
  });

  it('is deterministic in (serverSeed, clientSeed, nonce) and changes with each', () => {
    const sample = (server: string, client: string, nonce: number) => {
      const draws = createDraws(server, client, nonce);
      return Array.from({ length: 20 }, () => draws.nextInt(1_000_000));
    };
    const base = sample(SEED, 'c', 1);
    expect(sample(SEED, 'c', 1)).toEqual(base);
    expect(sample(`${SEED}x`, 'c', 1)).not.toEqual(base);
    expect(sample(SEED, 'd', 1)).not.toEqual(base);
    expect(sample(SEED, 'c', 2)).not.toEqual(base);
  });

  it('advances only forward', () => {
    const a = createDraws(SEED, 'player-1', 7);
    a.advanceTo(8);
    expect(a.nextInt(2 ** 32)).toBe(WORDS[8]);
    expect(() => a.advanceTo(3)).toThrow(RangeError);
  });

  it('rejects malformed seeds, nonces and ranges', () => {
    expectInvalidInput(() => createDraws('', 'c', 0), 'serverSeed');
    for (const nonce of [-1, 1.5, Number.MAX_SAFE_INTEGER + 1]) {
      expectInvalidInput(() => createDraws(SEED, 'c', nonce), 'nonce');
    }
    const draws = createDraws(SEED, 'c', 0);
    for (const n of [0, 1.5, 2 ** 32 + 1, Number.NaN]) expect(() => draws.nextInt(n)).toThrow(RangeError);
    expect(draws.nextInt(1)).toBe(0);
  });

  // Chi-square critical values at p = 0.001: 5 degrees of freedom 20.52, 36 → 67.99, 2 → 13.82.
  it('nextInt is uniform (chi-square)', () => {
    const six = new Array<number>(6).fill(0);
    const pockets = new Array<number>(37).fill(0);
    const draws = createDraws(SEED, 'chi-square', 0);
    for (let i = 0; i < 60_000; i++) six[draws.nextInt(6)]! += 1;
    for (let i = 0; i < 74_000; i++) pockets[draws.nextInt(37)]! += 1;
    expect(chiSquare(six)).toBeLessThan(20.52);
    expect(chiSquare(pockets)).toBeLessThan(67.99);
  });

  it('nextInt has no modulo bias where a plain `word mod n` would have a large one', () => {
    // For n = 3·2^30, `word mod n` would land in the lowest third twice as often as in the others.
    const n = 3 * 2 ** 30;
    const thirds = [0, 0, 0];
    const draws = createDraws(SEED, 'bias', 0);
    for (let i = 0; i < 30_000; i++) thirds[Math.floor(draws.nextInt(n) / 2 ** 30)]! += 1;
    expect(chiSquare(thirds)).toBeLessThan(13.82);
  });
});
