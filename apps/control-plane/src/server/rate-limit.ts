import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Caps how often one caller may do something, so a stuck button or a script cannot flood the ledger or
 * the CPU: `points` per `perSeconds` window for each key.
 */
export interface Limiter {
  /**
   * Counts a use for `key` (worth `points`, default 1): what is left of the window and when it resets, or
   * `retryAfterMs` when the key is over the limit.
   */
  consume(
    key: string,
    points?: number,
  ): Promise<{ ok: true; remaining: number; resetMs: number } | { ok: false; retryAfterMs: number }>;
}

export interface LimiterOptions {
  points: number;
  perSeconds: number;
  /** Names these counters apart from others in the same Redis. */
  keyPrefix: string;
  /**
   * Shares the counters between every process through Redis. While Redis is unreachable, each process
   * counts on its own (the same limit, per process) rather than refusing everyone or letting all through.
   */
  redis?: Redis;
}

export function createLimiter(o: LimiterOptions): Limiter {
  const base = { points: o.points, duration: o.perSeconds, keyPrefix: o.keyPrefix };
  const memory = new RateLimiterMemory(base);
  const limiter = o.redis
    ? new RateLimiterRedis({
        ...base,
        storeClient: o.redis,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      })
    : memory;
  return {
    async consume(key, points = 1) {
      try {
        const used = await limiter.consume(key, points);
        return { ok: true, remaining: used.remainingPoints, resetMs: used.msBeforeNext };
      } catch (error) {
        if (error instanceof RateLimiterRes) return { ok: false, retryAfterMs: error.msBeforeNext };
        throw error;
      }
    },
  };
}
