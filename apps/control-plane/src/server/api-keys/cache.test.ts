import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlatformStore } from '../db';
import { withKeyCache } from './cache';
import { openUncachedApiKeyStore } from './drizzle-store';
import { createKey } from './keys';
import type { ApiKeyStore } from './store';
import { parseKey } from './token';

/** The one-second key cache: this process's revocations act at once, another's within the second. */
describe('API key cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'guildmint-keycache-'));
  const url = `file:${join(dir, 'platform.db')}`;
  let clock = 1_000_000;
  let cached: ApiKeyStore;
  let elsewhere: ApiKeyStore; // another process: the CLI, another server

  beforeAll(async () => {
    const platform = openPlatformStore(url);
    await platform.migrate();
    await platform.upsertUser({ id: 'u', name: 'U', image: null });
    await platform.createTenant(
      { id: 't1', guildId: 't1', name: 'T', ownerUserId: 'u', preset: 'classic' },
      { userId: 'u', role: 'owner' },
      new Date(),
    );
    await platform.close();
    cached = withKeyCache(openUncachedApiKeyStore(url), { ttlMs: 1_000, now: () => clock });
    elsewhere = openUncachedApiKeyStore(url);
  });
  afterAll(async () => {
    await cached.close();
    await elsewhere.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const newKey = () =>
    createKey(
      cached,
      { tenantId: 't1', name: 'k', mode: 'live', scopes: ['read'], expiresAt: null, createdBy: 'u' },
      new Date(),
    );
  const hashOf = (secret: string) => parseKey(secret)?.hash ?? '';

  it('sees another process’s revocation once its second is up, and its own at once', async () => {
    const a = await newKey();
    expect((await cached.byHash(hashOf(a.secret)))?.revokedAt).toBeNull();
    await elsewhere.revoke('t1', a.key.id, new Date());
    expect((await cached.byHash(hashOf(a.secret)))?.revokedAt).toBeNull(); // still within the second
    clock += 1_000;
    expect((await cached.byHash(hashOf(a.secret)))?.revokedAt).toBeInstanceOf(Date);

    const b = await newKey();
    expect((await cached.byHash(hashOf(b.secret)))?.revokedAt).toBeNull();
    expect(await cached.revoke('t1', b.key.id, new Date())).toBe(true);
    expect((await cached.byHash(hashOf(b.secret)))?.revokedAt).toBeInstanceOf(Date);
  });

  it('finds a key made elsewhere at once (misses are not cached), and keeps the last use it recorded', async () => {
    const c = await createKey(
      elsewhere,
      { tenantId: 't1', name: 'late', mode: 'test', scopes: ['read'], expiresAt: null, createdBy: 'u' },
      new Date(),
    );
    const hash = hashOf(c.secret);
    expect((await cached.byHash(hash))?.id).toBe(c.key.id);
    const at = new Date(5_000);
    await cached.touch(c.key.id, at, new Date(4_000));
    expect((await cached.byHash(hash))?.lastUsedAt).toEqual(at);
    expect(await cached.byHash('0'.repeat(64))).toBeNull();
  });

  /** `elsewhere` with its reads counted (one per byHashes call, whatever its size). */
  const countingReads = () => {
    const counter = { reads: 0, hashes: 0 };
    const counting: ApiKeyStore = Object.create(elsewhere);
    counting.byHashes = (hashes) => {
      counter.reads++;
      counter.hashes += hashes.length;
      return elsewhere.byHashes(hashes);
    };
    return { counter, store: withKeyCache(counting, { ttlMs: 1_000, now: () => clock }) };
  };

  it('reads a lapsed key once for all the requests that want it meanwhile, and forgets that read on a revocation', async () => {
    const d = await newKey();
    const hash = hashOf(d.secret);
    const { counter, store: shared } = countingReads();
    const found = await Promise.all(Array.from({ length: 20 }, () => shared.byHash(hash)));
    expect(found.map((k) => k?.id)).toEqual(Array(20).fill(d.key.id));
    expect(counter.reads).toBe(1);
    expect((await shared.byHash(hash))?.id).toBe(d.key.id); // cached now
    expect(counter.reads).toBe(1);

    // A revocation while a read is under way: that read's answer is not kept, the next request reads again.
    clock += 1_000;
    const before = shared.byHash(hash);
    expect(await shared.revoke('t1', d.key.id, new Date())).toBe(true);
    await before;
    expect((await shared.byHash(hash))?.revokedAt).toBeInstanceOf(Date);
    expect(counter.reads).toBe(3);
  });

  it('renews many keys that lapse together with one read, and only those lapsing within half a second', async () => {
    const keys = await Promise.all(Array.from({ length: 120 }, () => newKey()));
    const hashes = keys.map((k) => hashOf(k.secret));
    const { counter, store: shared } = countingReads();
    // 120 keys first used in one tick: one read.
    const first = await Promise.all(hashes.map((h) => shared.byHash(h)));
    expect(first.map((k) => k?.id)).toEqual(keys.map((k) => k.key.id));
    expect(counter).toEqual({ reads: 1, hashes: 120 });

    // A key first read 0.4 s later lapses 0.4 s after the others: too late to ride along when it is read.
    const late = await newKey();
    clock += 400;
    expect((await shared.byHash(hashOf(late.secret)))?.id).toBe(late.key.id);
    expect(counter).toEqual({ reads: 2, hashes: 121 });
    // All in use (an entry nobody used since its read is not renewed).
    await Promise.all([...hashes, hashOf(late.secret)].map((h) => shared.byHash(h)));
    expect(counter.reads).toBe(2);

    // When the 120 lapse, the first request to find its key lapsed renews them in one read, and the late
    // key with them (it would lapse within half a second); every other request is a hit.
    clock += 600;
    expect((await shared.byHash(hashes[7]!))?.id).toBe(keys[7]!.key.id);
    expect(counter).toEqual({ reads: 3, hashes: 242 });
    await Promise.all([...hashes, hashOf(late.secret)].map((h) => shared.byHash(h)));
    expect(counter.reads).toBe(3);

    // Revoked elsewhere: the next renewal sees it (within a second of the read that found the key live).
    await elsewhere.revoke('t1', keys[3]!.key.id, new Date());
    expect((await shared.byHash(hashes[3]!))?.revokedAt).toBeNull();
    clock += 1_000;
    const again = await Promise.all(hashes.map((h) => shared.byHash(h)));
    expect(again[3]?.revokedAt).toBeInstanceOf(Date);
    expect(again.filter((k) => k?.revokedAt === null)).toHaveLength(119);
    expect(counter).toEqual({ reads: 4, hashes: 363 });

    // Keys left unused are not renewed: a second on, only the one asked for is read.
    clock += 1_000;
    await shared.byHash(hashes[0]!);
    expect(counter).toEqual({ reads: 5, hashes: 364 });
  });

  it('keeps nothing from a read that this process’s revocation overtook', async () => {
    const e = await newKey();
    const hash = hashOf(e.secret);
    let read!: () => void;
    const wasRead = new Promise<void>((resolve) => (read = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let hold = false;
    // A read that finds the key live, then answers only after the revocation has been written.
    const slow: ApiKeyStore = Object.create(elsewhere);
    slow.byHashes = async (hashes) => {
      const keys = await elsewhere.byHashes(hashes);
      if (hold) {
        read();
        await released;
      }
      return keys;
    };
    const shared = withKeyCache(slow, { ttlMs: 1_000, now: () => clock });
    expect((await shared.byHash(hash))?.revokedAt).toBeNull();
    clock += 1_000;
    hold = true;
    const before = shared.byHash(hash);
    await wasRead;
    expect(await shared.revoke('t1', e.key.id, new Date())).toBe(true);
    hold = false;
    release();
    expect((await before)?.revokedAt).toBeNull(); // asked before the revocation
    expect((await shared.byHash(hash))?.revokedAt).toBeInstanceOf(Date);
  });

  it('answers unknown hashes in a shared read with null and keeps no entry for them', async () => {
    const k = await newKey();
    const { counter, store: shared } = countingReads();
    const [known, unknown] = await Promise.all([
      shared.byHash(hashOf(k.secret)),
      shared.byHash('1'.repeat(64)),
    ]);
    expect(known?.id).toBe(k.key.id);
    expect(unknown).toBeNull();
    expect(counter.reads).toBe(1);
    expect(await shared.byHash('1'.repeat(64))).toBeNull();
    expect(counter.reads).toBe(2);
  });
});
