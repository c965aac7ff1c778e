import { randomFillSync } from 'node:crypto';
import { ErrorCode, GuildmintError, invalidInput } from '../errors.js';
import { assertStorableText } from '../text.js';
import { parseAccount } from './accounts.js';
import { assertAmount } from './amounts.js';
import type { TransferInput } from './types.js';

/** A validated transfer, ready for the store; `metadata` is canonical JSON so replays compare exactly. */
export interface NewTransfer {
  id: string;
  from: string;
  to: string;
  amount: bigint;
  code: string;
  metadata: string | null;
  reverses: string | null;
  /** A forced reversal may leave a user account below zero. */
  forced: boolean;
}

export const MAX_METADATA_BYTES = 4096;
/** The code of mirror transfers written by `reverse`; callers cannot use it. */
export const REVERSAL_CODE = 'reversal';
/**
 * Separates an id the SDK derives from a key (`<key>#tax`, `<round>#a2#stake`) from that key. Ids and
 * keys chosen by callers may not contain it, so no caller can ever claim (or collide with) a derived id.
 */
const DERIVED_SEPARATOR = '#';
/** Printable ASCII without spaces and without the separator. */
const CALLER_ID_PATTERN = /^[\x21\x22\x24-\x7e]{1,128}$/;
/** Any id the ledger may hold: a caller's, or one derived from it. */
const STORED_ID_PATTERN = /^[\x21-\x7e]{1,256}$/;
const CODE_PATTERN = /^[a-z][a-z0-9_.:-]{0,63}$/i;

/** A new id or key chosen by a caller (a transfer id, an operation key). */
export function assertTransferId(id: unknown, path = 'id'): asserts id is string {
  if (typeof id !== 'string' || !CALLER_ID_PATTERN.test(id)) {
    throw invalidInput(
      path,
      `must be 1-128 printable ASCII characters without spaces or "${DERIVED_SEPARATOR}" (kept for ids the SDK derives)`,
    );
  }
}

/** An id that names something stored (to look up or reverse): a caller's id, or one the SDK derived. */
export function assertStoredId(id: unknown, path = 'id'): asserts id is string {
  if (typeof id !== 'string' || !STORED_ID_PATTERN.test(id)) {
    throw invalidInput(path, 'must be an id of 1-256 printable ASCII characters without spaces');
  }
}

/** The id of a line the SDK adds to an operation keyed `base` (its tax, fee, payout, bonus, …). */
export function derivedId(base: string, ...parts: string[]): string {
  return [base, ...parts].join(DERIVED_SEPARATOR);
}

/** True for `base` itself and for every id `derivedId(base, …)` makes. */
export function isDerivedFrom(id: string, base: string): boolean {
  return id === base || (id.startsWith(base) && id[base.length] === DERIVED_SEPARATOR);
}

/**
 * A UUIDv7: 48 bits of milliseconds, then random bits. Ids that grow with time land at the right end of
 * the (tenant_id, id) index instead of all over it, which measurably cuts the pages each commit writes.
 */
export function newTransferId(): string {
  const bytes = randomId();
  bytes.writeUIntBE(Date.now(), 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// Random bytes drawn 4 KiB at a time (one call into the CSPRNG per 256 ids, not one each); every byte
// is handed out once.
const randomPool = Buffer.alloc(4096);
let randomOffset = randomPool.length;

function randomId(): Buffer {
  if (randomOffset === randomPool.length) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  const bytes = Buffer.from(randomPool.subarray(randomOffset, randomOffset + 16));
  randomOffset += 16;
  return bytes;
}

/** Validates one caller-supplied transfer. Throws a typed error; never partially accepts. */
export function normalizeTransfer(input: unknown, path = 'transfer'): NewTransfer {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalidInput(path, 'must be an object with from, to, amount and code');
  }
  const t = input as Partial<Record<keyof TransferInput, unknown>>;
  const id = t.id === undefined ? newTransferId() : t.id;
  assertTransferId(id, `${path}.id`);
  parseAccount(t.from, `${path}.from`);
  parseAccount(t.to, `${path}.to`);
  assertAmount(t.amount, `${path}.amount`);
  if (t.from === t.to) {
    throw new GuildmintError(
      ErrorCode.INVALID_TRANSFER,
      `${path}: from and to are the same account (${t.from})`,
    );
  }
  if (typeof t.code !== 'string' || !CODE_PATTERN.test(t.code)) {
    throw invalidInput(
      `${path}.code`,
      'must be 1-64 characters, a letter first, then letters, digits, _ . : -',
    );
  }
  if (t.code === REVERSAL_CODE) {
    throw invalidInput(`${path}.code`, `"${REVERSAL_CODE}" is reserved for ledger.reverse()`);
  }
  return {
    id,
    from: t.from as string,
    to: t.to as string,
    amount: t.amount,
    code: t.code,
    metadata: t.metadata === undefined ? null : canonicalMetadata(t.metadata, `${path}.metadata`),
    reverses: null,
    forced: false,
  };
}

/** JSON with sorted keys: two equal objects give the same string. Rejects what JSON cannot carry. */
export function canonicalMetadata(metadata: unknown, path = 'metadata'): string {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw invalidInput(path, 'must be a plain object');
  }
  const text = canonicalJson(metadata, path);
  if (Buffer.byteLength(text, 'utf8') > MAX_METADATA_BYTES) {
    throw invalidInput(path, `is larger than ${MAX_METADATA_BYTES} bytes of JSON`);
  }
  return text;
}

/** Canonical JSON of any JSON value (sorted keys, no size limit): equal values, equal strings. */
export function canonicalJson(value: unknown, path = 'value'): string {
  return JSON.stringify(canonicalize(value, path));
}

function canonicalize(value: unknown, path: string, depth = 0): unknown {
  if (depth > 16) throw invalidInput(path, 'is nested too deeply (more than 16 levels)');
  if (typeof value === 'string') {
    assertStorableText(value, path);
    return value;
  }
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalidInput(path, 'numbers must be finite');
    return value;
  }
  if (Array.isArray(value)) return value.map((item, i) => canonicalize(item, `${path}[${i}]`, depth + 1));
  if (typeof value === 'object' && isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      assertStorableText(key, `${path} key ${JSON.stringify(key)}`);
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) out[key] = canonicalize(item, `${path}.${key}`, depth + 1);
    }
    return out;
  }
  throw invalidInput(
    path,
    `cannot hold a ${typeof value} (only JSON values: use strings for bigint amounts)`,
  );
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function sameContent(a: NewTransfer, b: NewTransfer): boolean {
  return (
    a.from === b.from &&
    a.to === b.to &&
    a.amount === b.amount &&
    a.code === b.code &&
    a.metadata === b.metadata &&
    a.reverses === b.reverses &&
    a.forced === b.forced
  );
}
