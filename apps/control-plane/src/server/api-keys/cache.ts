import type { ApiKeyRecord, ApiKeyStore } from './store';

/** How long a looked-up key is trusted: another process's revocation reaches this one within it. */
export const KEY_CACHE_MS = 1_000;

/** The most hashes one look-up asks for (a bound on its statement's parameters). */
const MAX_HASHES_PER_READ = 500;

/** One read of key hashes, and the hashes it carries (more join it until it starts, at the end of the tick). */
interface Batch {
  hashes: string[];
  read: Promise<Map<string, ApiKeyRecord>>;
}

/**
 * The store with key look-ups by hash cached in this process for `ttlMs` (a look-up costs more CPU than
 * the economy operation it guards: ≈0.6 ms against ≈0.06 ms for a balance, measured by bench:api). This
 * process's own revocations and rotations drop the cache at once; another process's (the CLI, another
 * server) take effect within `ttlMs` of the read that found the key. Unknown hashes are not cached, so a
 * new key works at once.
 *
 * Look-ups are batched: the requests that find their entries lapsed in one tick share one read, and that
 * read also renews every entry in use that would lapse within the next half `ttlMs`. Without it, keys first
 * used together lapse together: 100 keys meant 100 reads in a burst once a second, each on the server's
 * thread, and that burst was bench:api's p99 over 100 keys. With it, a steady set of keys is renewed by
 * about one read per `ttlMs`, whatever its size.
 */
export function withKeyCache(
  store: ApiKeyStore,
  o: { ttlMs?: number; now?: () => number } = {},
): ApiKeyStore {
  const ttl = o.ttlMs ?? KEY_CACHE_MS;
  const now = o.now ?? Date.now;
  /** Each key read, until when it is trusted, and whether a request has used it since it was read. */
  const cached = new Map<string, { key: ApiKeyRecord; until: number; used: boolean }>();
  /** Hashes being read (or about to be), each with the read that will answer it. */
  const reading = new Map<string, Promise<Map<string, ApiKeyRecord>>>();
  /** The read that has not started yet: hashes asked for in this tick join it. */
  let forming: Batch | undefined;
  /** Bumped by this process's revocations and rotations: a read begun before one is not kept. */
  let generation = 0;

  const read = async (hashes: readonly string[]): Promise<Map<string, ApiKeyRecord>> => {
    const started = now();
    const startedIn = generation;
    try {
      const found = new Map<string, ApiKeyRecord>();
      for (let i = 0; i < hashes.length; i += MAX_HASHES_PER_READ)
        for (const key of await store.byHashes(hashes.slice(i, i + MAX_HASHES_PER_READ)))
          found.set(key.hash, key);
      if (startedIn === generation)
        for (const hash of hashes) {
          const key = found.get(hash);
          if (key) cached.set(hash, { key, until: started + ttl, used: false });
          else cached.delete(hash);
        }
      return found;
    } finally {
      if (startedIn === generation) for (const hash of hashes) reading.delete(hash);
    }
  };

  /**
   * This tick's read, begun with the entries in use that lapse soon: renewed now, they need no read of their
   * own later. An entry no request used since its read is not renewed, and is dropped once lapsed.
   */
  const formBatch = (): Batch => {
    const at = now();
    const hashes: string[] = [];
    for (const [hash, entry] of cached) {
      if (entry.until > at + ttl / 2 || reading.has(hash)) continue;
      if (entry.used) hashes.push(hash);
      else if (entry.until <= at) cached.delete(hash);
    }
    const batch: Batch = {
      hashes,
      read: Promise.resolve().then(() => {
        if (forming === batch) forming = undefined;
        return read(batch.hashes);
      }),
    };
    for (const h of hashes) reading.set(h, batch.read);
    return batch;
  };

  /** The read that will answer `hash`: one already on its way, or this tick's, which it joins. */
  const readFor = (hash: string): Promise<Map<string, ApiKeyRecord>> => {
    const under = reading.get(hash);
    if (under) return under;
    forming ??= formBatch();
    // The batch may carry it already: a lapsed entry is among those lapsing soon.
    if (!reading.has(hash)) {
      forming.hashes.push(hash);
      reading.set(hash, forming.read);
    }
    return forming.read;
  };

  const forget = () => {
    generation++;
    cached.clear();
    reading.clear();
    forming = undefined;
  };

  /** A revocation or rotation: what was read before it ends is not kept (a read may overtake the write). */
  const forgetting = async <T>(write: () => Promise<T>): Promise<T> => {
    forget();
    try {
      return await write();
    } finally {
      forget();
    }
  };

  return {
    insert: (key) => store.insert(key),
    byHash(hash) {
      const hit = cached.get(hash);
      if (hit && hit.until > now()) {
        hit.used = true;
        return Promise.resolve(hit.key);
      }
      return readFor(hash).then((found) => found.get(hash) ?? null);
    },
    byHashes: (hashes) => store.byHashes(hashes),
    byPrefix: (prefix) => store.byPrefix(prefix),
    list: (tenantId) => store.list(tenantId),
    revoke: (tenantId, id, at) => forgetting(() => store.revoke(tenantId, id, at)),
    rotate: (tenantId, id, replacement, at) => forgetting(() => store.rotate(tenantId, id, replacement, at)),
    async touch(id, at, staleBefore) {
      await store.touch(id, at, staleBefore);
      // The cached copy learns of the use too, or it would ask the store to record it on every request.
      for (const entry of cached.values())
        if (entry.key.id === id) entry.key = { ...entry.key, lastUsedAt: at };
    },
    close: () => store.close(),
  };
}
