import type { Redis } from 'ioredis';
import { createLimiter, type Limiter } from '../rate-limit';

/** Where a key stands in its window, as the RateLimit-* headers say it. */
export interface RateVerdict {
  ok: boolean;
  /** Requests per window for this key (its tenant's plan). */
  limit: number;
  remaining: number;
  /** Until the window resets (ok), or until the next request is admitted (refused). */
  resetMs: number;
}

export interface ApiRateLimit {
  consume(keyId: string, tenantId: string): Promise<RateVerdict>;
}

export const WINDOW_SECONDS = 60;

/**
 * Per-key request limits over a one-minute window, shared through Redis when given (each process counts
 * alone while it is unreachable). The number comes from the tenant's plan through `requestsPerMinute`,
 * so an upgrade lifts it at the next request; keys on the same number share one limiter.
 */
export function createApiRateLimit(o: {
  requestsPerMinute(tenantId: string): Promise<number>;
  redis?: Redis;
  keyPrefix?: string;
}): ApiRateLimit {
  const limiters = new Map<number, Limiter>();
  const limiterFor = (points: number) => {
    let limiter = limiters.get(points);
    if (!limiter) {
      limiter = createLimiter({
        points,
        perSeconds: WINDOW_SECONDS,
        keyPrefix: `${o.keyPrefix ?? 'api:v1'}:${points}`,
        ...(o.redis && { redis: o.redis }),
      });
      limiters.set(points, limiter);
    }
    return limiter;
  };
  return {
    async consume(keyId, tenantId) {
      const limit = await o.requestsPerMinute(tenantId);
      const verdict = await limiterFor(limit).consume(keyId);
      return verdict.ok
        ? { ok: true, limit, remaining: verdict.remaining, resetMs: verdict.resetMs }
        : { ok: false, limit, remaining: 0, resetMs: verdict.retryAfterMs };
    },
  };
}

/** The standard headers (IETF draft "RateLimit header fields for HTTP"), plus Retry-After when refused. */
export function rateLimitHeaders(v: RateVerdict): Record<string, string> {
  const reset = String(Math.max(1, Math.ceil(v.resetMs / 1000)));
  return {
    'RateLimit-Limit': String(v.limit),
    'RateLimit-Remaining': String(v.remaining),
    'RateLimit-Reset': reset,
    'RateLimit-Policy': `${v.limit};w=${WINDOW_SECONDS}`,
    ...(!v.ok && { 'Retry-After': reset }),
  };
}
