import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * The API key format, in the style of GitHub's and Stripe's tokens so secret scanners recognise it:
 * `gm_live_` or `gm_test_`, 30 random base62 characters (≈178 bits), then 6 base62 characters of the
 * CRC-32 of everything before them. A scanner (or this server) can tell a key from random text without a
 * database look-up; the checksum is not a secret and proves nothing about validity.
 */

export type KeyMode = 'live' | 'test';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_LENGTH = 30;
const CHECKSUM_LENGTH = 6;
/** How much of the random part the display prefix shows (enough to tell keys apart, useless to guess). */
const PREFIX_RANDOM_LENGTH = 8;

export const KEY_PATTERN = /^gm_(live|test)_([0-9A-Za-z]{30})([0-9A-Za-z]{6})$/;

export interface ParsedKey {
  mode: KeyMode;
  /** What lists show and the CLI's revoke names, e.g. `gm_live_AbC12xYz`. */
  prefix: string;
  /** SHA-256 of the whole key, hex: what is stored and looked up. */
  hash: string;
}

/** A new key: the secret (shown once) and what is stored of it. */
export function generateKey(mode: KeyMode): ParsedKey & { secret: string } {
  const body = `gm_${mode}_${randomBase62(RANDOM_LENGTH)}`;
  const secret = body + checksum(body);
  return { secret, ...(parseKey(secret) as ParsedKey) };
}

/** The key's parts, or null when it is not a well-formed key (wrong shape or checksum). */
export function parseKey(secret: string): ParsedKey | null {
  const match = KEY_PATTERN.exec(secret);
  if (!match) return null;
  const body = secret.slice(0, -CHECKSUM_LENGTH);
  if (checksum(body) !== match[3]) return null;
  return {
    mode: match[1] as KeyMode,
    prefix: `gm_${match[1]}_${(match[2] as string).slice(0, PREFIX_RANDOM_LENGTH)}`,
    hash: hashKey(secret),
  };
}

/** Keys carry ≈178 random bits, so a plain SHA-256 (no salt, no stretching) cannot be reversed by guessing. */
export function hashKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Unbiased: bytes ≥ 248 (the largest multiple of 62 below 256) are dropped and drawn again. */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

function checksum(text: string): string {
  let value = crc32(text);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}
