import { randomUUID } from 'node:crypto';
import { canonicalScopes, type Scope } from './scopes';
import type { ApiKeyRecord, ApiKeyStore } from './store';
import { generateKey, type KeyMode, parseKey } from './token';

/** How stale `lastUsedAt` may get: a key used all day costs one write a minute, not one per request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export interface NewKeyInput {
  tenantId: string;
  name: string;
  mode: KeyMode;
  scopes: readonly Scope[];
  expiresAt: Date | null;
  createdBy: string;
}

/** What a key's owner sees: everything but the hash. */
export type ApiKeyView = Omit<ApiKeyRecord, 'hash'>;

export const viewOf = ({ hash: _hash, ...view }: ApiKeyRecord): ApiKeyView => view;

function newRecord(input: NewKeyInput, at: Date): { secret: string; record: ApiKeyRecord } {
  const { secret, prefix, hash } = generateKey(input.mode);
  return {
    secret,
    record: {
      id: randomUUID(),
      tenantId: input.tenantId,
      name: input.name,
      mode: input.mode,
      prefix,
      hash,
      scopes: canonicalScopes(input.scopes),
      createdBy: input.createdBy,
      createdAt: at,
      expiresAt: input.expiresAt,
      lastUsedAt: null,
      revokedAt: null,
      replacedBy: null,
    },
  };
}

/** Creates a key; `secret` is the only time the key exists outside its holder's hands. */
export async function createKey(
  store: ApiKeyStore,
  input: NewKeyInput,
  at: Date,
): Promise<{ secret: string; key: ApiKeyView }> {
  const { secret, record } = newRecord(input, at);
  await store.insert(record);
  return { secret, key: viewOf(record) };
}

/**
 * Replaces a live key of the tenant with a new one (same name, scopes, mode and expiry), revoking the old
 * one in the same transaction; null when there is no such live key.
 */
export async function rotateKey(
  store: ApiKeyStore,
  tenantId: string,
  id: string,
  o: { by: string; at: Date },
): Promise<{ secret: string; key: ApiKeyView } | null> {
  const old = (await store.list(tenantId)).find((k) => k.id === id && k.revokedAt === null);
  if (!old) return null;
  const { secret, record } = newRecord(
    {
      tenantId,
      name: old.name,
      mode: old.mode,
      scopes: old.scopes,
      expiresAt: old.expiresAt,
      createdBy: o.by,
    },
    o.at,
  );
  return (await store.rotate(tenantId, id, record, o.at)) ? { secret, key: viewOf(record) } : null;
}

/** Why a presented key is refused (each becomes a 401 with this reason). */
export type KeyRefusal = 'missing' | 'malformed' | 'unknown' | 'revoked' | 'expired';

/**
 * The stored key a request presents, or why it is refused. A malformed key (bad shape or checksum) is
 * refused without a database look-up. Records the use (at most once a minute per key).
 */
export async function authenticate(
  store: ApiKeyStore,
  presented: string | null,
  now: Date,
): Promise<{ ok: true; key: ApiKeyRecord } | { ok: false; refusal: KeyRefusal }> {
  if (!presented) return { ok: false, refusal: 'missing' };
  const parsed = parseKey(presented);
  if (!parsed) return { ok: false, refusal: 'malformed' };
  const key = await store.byHash(parsed.hash);
  if (!key) return { ok: false, refusal: 'unknown' };
  if (key.revokedAt !== null && key.revokedAt <= now) return { ok: false, refusal: 'revoked' };
  if (key.expiresAt !== null && key.expiresAt <= now) return { ok: false, refusal: 'expired' };
  const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  if (key.lastUsedAt === null || key.lastUsedAt < staleBefore) await store.touch(key.id, now, staleBefore);
  return { ok: true, key };
}
