import { invalidInput } from '../errors.js';

// Cursors are opaque to callers: a position in commit order, base64url-encoded.
const PREFIX = 'gm1.';

export function encodeCursor(seq: bigint): string {
  return PREFIX + Buffer.from(seq.toString(), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: unknown): bigint {
  if (typeof cursor !== 'string' || !cursor.startsWith(PREFIX) || cursor.length > 64) {
    throw invalidInput('cursor', 'is not a cursor returned by transfers()');
  }
  const text = Buffer.from(cursor.slice(PREFIX.length), 'base64url').toString('utf8');
  if (!/^[1-9][0-9]{0,18}$/.test(text))
    throw invalidInput('cursor', 'is not a cursor returned by transfers()');
  return BigInt(text);
}
