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

  it('reads a lapsed key once for all the requests that want it meanwhile, and forgets that read on a revocation', async () => {
    const d = await newKey();
    const hash = hashOf(d.secret);
    let reads = 0;
    // The other store, its reads counted.
    const counting: ApiKeyStore = Object.create(elsewhere);
    counting.byHash = (h) => {
      reads++;
      return elsewhere.byHash(h);
    };
    const shared = withKeyCache(counting, { ttlMs: 1_000, now: () => clock });
    const found = await Promise.all(Array.from({ length: 20 }, () => shared.byHash(hash)));
    expect(found.map((k) => k?.id)).toEqual(Array(20).fill(d.key.id));
    expect(reads).toBe(1);
    expect((await shared.byHash(hash))?.id).toBe(d.key.id); // cached now
    expect(reads).toBe(1);

    // A revocation while a read is under way: that read's answer is not kept, the next request reads again.
    clock += 1_000;
    const before = shared.byHash(hash);
    expect(await shared.revoke('t1', d.key.id, new Date())).toBe(true);
    await before;
    expect((await shared.byHash(hash))?.revokedAt).toBeInstanceOf(Date);
    expect(reads).toBe(3);
  });
});
