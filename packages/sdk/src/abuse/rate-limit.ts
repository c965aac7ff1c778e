import type { Redis } from 'ioredis';
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { memberAccount } from '../context/member-account.js';
import { lazily, loadDriver } from '../drivers.js';
import { ErrorCode, invalidInput, RetryLaterError } from '../errors.js';

/** The most `policy.rateLimit.perMemberPerMinute` may be (see `config/schema.ts`). */
export const MAX_PER_MINUTE = 600;
const WINDOW_SECONDS = 60;

export interface RateLimiterOptions {
  /**
   * Share counters across processes through Redis; default: in this process only. Commands go to Redis
   * only while the client is ready (in between, counting falls back to this process); a `lazyConnect`
   * client that has not connected yet is connected here.
   */
  redis?: Redis;
  /** Prefix of the counters' keys (Redis keys are `<prefix>:<tenant>:<userId>`). Default `gm:rl`. */
  keyPrefix?: string;
}

export interface MemberRateLimiter {
  /**
   * Counts one money-moving command by a member; throws `RATE_LIMITED` (a `RetryLaterError` with
   * `retryAt`) once more than `perMinute` fall in the member's current one-minute window.
   */
  consume(tenant: string, userId: string, perMinute: number): Promise<void>;
  /**
   * Gives back one command that `consume` counted (refused or not): the request turned out to be the
   * replay of one already answered, which is no new command. A limiter without it counts such replays.
   */
  refund?(tenant: string, userId: string): Promise<void>;
}

/**
 * A per-member, per-tenant limiter for money-moving commands: a fixed one-minute window that opens at
 * the member's first command. One counter per member whatever the configured limit (the limiter allows
 * the schema's maximum, and the tenant's own limit is checked here), so a config change applies at once
 * and the memory and Redis flavours behave alike. With Redis, counters are shared by every process; if
 * Redis fails, the limiter falls back to in-process counters rather than blocking members or letting
 * everything through. Windows follow the real clock (the library reads `Date.now()`), not the economy's.
 */
export function createRateLimiter(options: RateLimiterOptions = {}): MemberRateLimiter {
  const keyPrefix = options.keyPrefix ?? 'gm:rl';
  const base = { keyPrefix, points: MAX_PER_MINUTE, duration: WINDOW_SECONDS };
  // A failed connection is reported through the client's own 'error' event.
  if (options.redis?.status === 'wait') options.redis.connect().catch(() => {});
  // The library loads with the first command counted, not with the SDK.
  const library = lazily(async () => {
    const lib = await loadDriver(
      'rate-limiter-flexible',
      'Rate limiting',
      () => import('rate-limiter-flexible'),
    );
    const memory = new lib.RateLimiterMemory(base);
    const limiter: RateLimiterAbstract = options.redis
      ? new lib.RateLimiterRedis({
          ...base,
          storeClient: options.redis,
          rejectIfRedisNotReady: true,
          insuranceLimiter: memory,
        })
      : memory;
    return {
      limiter,
      isResult: (value: unknown): value is RateLimiterRes => value instanceof lib.RateLimiterRes,
    };
  });

  return {
    async consume(tenant: string, userId: string, perMinute: number): Promise<void> {
      if (typeof tenant !== 'string' || tenant.length === 0) {
        throw invalidInput('tenant', 'must be a tenant id');
      }
      memberAccount(userId);
      if (!Number.isInteger(perMinute) || perMinute < 1 || perMinute > MAX_PER_MINUTE) {
        throw invalidInput('perMinute', `must be a whole number from 1 to ${MAX_PER_MINUTE}`);
      }
      const { limiter, isResult } = await library.get();
      let result: RateLimiterRes;
      try {
        result = await limiter.consume(counterKey(tenant, userId));
      } catch (rejection) {
        // The library rejects with its result past its own (schema-maximum) limit, or with an Error.
        if (!isResult(rejection)) throw rejection;
        result = rejection;
      }
      if (result.consumedPoints > perMinute) throw limited(result.msBeforeNext);
    },
    async refund(tenant: string, userId: string): Promise<void> {
      const { limiter } = await library.get();
      await limiter.reward(counterKey(tenant, userId), 1);
    },
  };
}

/** A member id cannot contain ':', so `<tenant>:<user>` names one member of one tenant. */
function counterKey(tenant: string, userId: string): string {
  return `${tenant}:${userId}`;
}

function limited(msBeforeNext: number): RetryLaterError {
  const waitMs = Math.max(msBeforeNext, 0);
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new RetryLaterError(
    ErrorCode.RATE_LIMITED,
    `slow down: try again in ${seconds} second${seconds === 1 ? '' : 's'}`,
    new Date(Date.now() + waitMs),
  );
}
