import { Redis } from 'ioredis';
import { createRateLimiter, type MemberRateLimiter } from './abuse/rate-limit.js';
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

/** A Redis-backed cache; the client is created lazily and closed with the economy. */
export function redisCache(url: string): Cache {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  // Outages degrade to in-process counting (see createRateLimiter); report, never crash.
  redis.on('error', () => {});
  return {
    kind: 'redis',
    rateLimiter: createRateLimiter({ redis }),
    async close() {
      redis.disconnect();
    },
  };
}

export function openCache(cache: string | Cache | undefined): Cache {
  if (cache === undefined || cache === 'memory') return memoryCache();
  if (typeof cache === 'object') return cache;
  if (/^rediss?:\/\//.test(cache)) return redisCache(cache);
  throw new GuildmintError(ErrorCode.INVALID_INPUT, 'cache must be a redis:// URL or a Cache');
}
