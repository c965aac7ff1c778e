import type { Redis } from 'ioredis';
import { createRateLimiter, type MemberRateLimiter } from './abuse/rate-limit.js';
import { lazily, loadDriver } from './drivers.js';
import { ErrorCode, GuildmintError } from './errors.js';

/**
 * Shared, disposable state next to the store: never the source of truth. Today it holds the per-member
 * rate-limit counters; in-process by default, Redis (`redis://…`) to share them across processes.
 */
export interface Cache {
  readonly kind: 'memory' | 'redis';
  readonly rateLimiter: MemberRateLimiter;
  close(): Promise<void>;
}

export function memoryCache(): Cache {
  return { kind: 'memory', rateLimiter: createRateLimiter(), close: async () => {} };
}

/**
 * A Redis-backed cache. ioredis loads, and the client is made, when the first command is counted;
 * the client is closed with the economy.
 */
export function redisCache(url: string): Cache {
  let client: Redis | undefined;
  const limiter = lazily(async () => {
    const { Redis } = await loadDriver('ioredis', 'A redis:// cache', () => import('ioredis'));
    client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    // Outages degrade to in-process counting (see createRateLimiter); report, never crash.
    client.on('error', () => {});
    return createRateLimiter({ redis: client });
  });
  return {
    kind: 'redis',
    rateLimiter: {
      consume: async (tenant, userId, perMinute) => (await limiter.get()).consume(tenant, userId, perMinute),
      refund: async (tenant, userId) => (await limiter.get()).refund?.(tenant, userId),
    },
    async close() {
      // A client still being made is closed once it exists.
      await limiter.loaded();
      client?.disconnect();
    },
  };
}

export function openCache(cache: string | Cache | undefined): Cache {
  if (cache === undefined || cache === 'memory') return memoryCache();
  if (typeof cache === 'object') return cache;
  if (/^rediss?:\/\//.test(cache)) return redisCache(cache);
  throw new GuildmintError(ErrorCode.INVALID_INPUT, 'cache must be a redis:// URL or a Cache');
}
