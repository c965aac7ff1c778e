import { createHash, createHmac, randomBytes } from 'node:crypto';
import { invalidInput } from '../errors.js';

/*
 * Provably fair draws. The exact algorithm, so that anyone can write their own verifier:
 *
 * 1. Commitment. Before play the server shows serverSeedHash = hex(SHA-256(UTF-8 bytes of serverSeed)).
 *    Seeds made by `newServerSeed` are 64 lowercase hex characters; it is those characters that are
 *    hashed and used as the key below, not the 32 bytes they spell.
 * 2. Blocks. Block c (c = 0, 1, 2, …) of a round is
 *      HMAC-SHA256(key = UTF-8 bytes of serverSeed, message = UTF-8 bytes of `${clientSeed}:${nonce}:${c}`)
 *    with nonce and c written in decimal, no sign, no leading zeros.
 * 3. Words. Each 32-byte block is read as 8 unsigned 32-bit big-endian integers. Words are taken in
 *    order — block 0 words 0..7, then block 1 words 0..7, … — and each word is used at most once.
 *    `position` counts the words taken so far.
 * 4. Integers. nextInt(n), for 1 ≤ n ≤ 2^32: let limit = 2^32 − (2^32 mod n). Take the next word w.
 *    If w < limit the result is w mod n; otherwise discard w and take the next word (rejection
 *    sampling), so each of 0..n−1 is exactly equally likely.
 * 5. Games. Each game file says which nextInt calls it makes, in which order.
 * 6. Rounding. A payout of amount × n / d minor units (q whole units and a remainder r of d) is q when
 *    r = 0; otherwise the next draw x = nextInt(d), after the game's own, makes it q + 1 when x < r and q
 *    when not: the fraction r/d is paid with probability r/d, so no bet loses to rounding (payout.ts).
 */

const WORDS_PER_BLOCK = 8;
const TWO_POW_32 = 2 ** 32;

/** A round's deterministic stream of unbiased integers. */
export interface Draws {
  /** Words taken so far (rejected words included). */
  readonly position: number;
  /** A uniformly distributed integer in 0..n−1 (n an integer, 1 ≤ n ≤ 2^32). */
  nextInt(n: number): number;
  /** Skips unread words up to `position`; never moves backwards. */
  advanceTo(position: number): void;
}

/** hex(SHA-256(serverSeed)): the commitment shown before play. */
export function hashServerSeed(serverSeed: string): string {
  return createHash('sha256').update(serverSeed, 'utf8').digest('hex');
}

/**
 * A fresh server seed: 32 bytes from node:crypto as 64 lowercase hex characters. The only way the SDK
 * makes one: never from an injectable random source, which a test or simulation may have seeded.
 */
export function newServerSeed(): string {
  return randomBytes(32).toString('hex');
}

/** A default client seed: 8 bytes from node:crypto as 16 lowercase hex characters. */
export function newClientSeed(): string {
  return randomBytes(8).toString('hex');
}

/** Where new seed pairs come from: `cryptoSeeds` for every economy a caller can open. */
export interface SeedSource {
  serverSeed(): string;
  clientSeed(): string;
}

/** Seeds from node:crypto, whatever `random` an economy was given: no caller can make them predictable. */
export const cryptoSeeds: SeedSource = { serverSeed: newServerSeed, clientSeed: newClientSeed };

/** The draw source of one round, exactly as described above; INVALID_INPUT for a malformed seed or nonce. */
export function createDraws(serverSeed: string, clientSeed: string, nonce: number): Draws {
  if (typeof serverSeed !== 'string' || serverSeed.length === 0) {
    throw invalidInput('serverSeed', 'must be a non-empty string');
  }
  if (typeof clientSeed !== 'string') throw invalidInput('clientSeed', 'must be a string');
  if (!Number.isSafeInteger(nonce) || nonce < 0) throw invalidInput('nonce', 'must be a whole number ≥ 0');
  return new HmacDraws(serverSeed, `${clientSeed}:${nonce}:`);
}

class HmacDraws implements Draws {
  position = 0;
  private blockIndex = -1;
  private block: Buffer | undefined;

  constructor(
    private readonly serverSeed: string,
    /** `${clientSeed}:${nonce}:`, to which the block index is appended. */
    private readonly prefix: string,
  ) {}

  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32)
      throw new RangeError(`nextInt(${n}): n must be 1..2^32`);
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const word = this.nextWord();
      if (word < limit) return word % n;
    }
  }

  advanceTo(target: number): void {
    if (!Number.isSafeInteger(target) || target < this.position) {
      throw new RangeError(`advanceTo(${target}): the stream is at ${this.position} and only moves forward`);
    }
    this.position = target;
  }

  private nextWord(): number {
    const index = Math.floor(this.position / WORDS_PER_BLOCK);
    if (index !== this.blockIndex || this.block === undefined) {
      this.block = createHmac('sha256', this.serverSeed).update(`${this.prefix}${index}`, 'utf8').digest();
      this.blockIndex = index;
    }
    const word = this.block.readUInt32BE((this.position % WORDS_PER_BLOCK) * 4);
    this.position += 1;
    return word;
  }
}
