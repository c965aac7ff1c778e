import { randomBytes } from 'node:crypto';
import { REDIS_URL, redisAvailable } from '@guildmint/test-support';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../errors.js';
import { retryLaterError } from '../policy/testing.js';
import { createRateLimiter } from './rate-limit.js';

/** A connected client when Redis is there (redisAvailable skips loudly, or fails under CI, otherwise). */
async function connect(): Promise<Redis | undefined> {
  if (!(await redisAvailable())) return undefined;
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  await client.connect();
  return client;
}

const redis = await connect();
// Each run its own key space, so parallel runs and leftovers never meet.
const prefix = `gm:rl:test:${randomBytes(4).toString('hex')}`;

afterAll(async () => {
  if (!redis) return;
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe.skipIf(!redis)('createRateLimiter on Redis', () => {
  const client = redis!;

  it('limits per member with a one-minute window kept in Redis', async () => {
    const limiter = createRateLimiter({ redis: client, keyPrefix: prefix });
    const before = Date.now();
    for (let i = 0; i < 3; i++) await limiter.consume('guild-1', '42', 3);
    const error = await retryLaterError(limiter.consume('guild-1', '42', 3));
    expect(error.code).toBe(ErrorCode.RATE_LIMITED);
    expect(error.retryAt.getTime()).toBeGreaterThan(Date.now());
    expect(error.retryAt.getTime()).toBeLessThanOrEqual(before + 60_000 + 1_000);
    expect(await client.get(`${prefix}:guild-1:42`)).toBe('4');
    const ttl = await client.pttl(`${prefix}:guild-1:42`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('gives a counted command back in Redis', async () => {
    const limiter = createRateLimiter({ redis: client, keyPrefix: prefix });
    await limiter.consume('guild-3', '42', 1);
    await limiter.refund!('guild-3', '42');
    expect(await client.get(`${prefix}:guild-3:42`)).toBe('0');
    await limiter.consume('guild-3', '42', 1);
    await retryLaterError(limiter.consume('guild-3', '42', 1));
  });

  it('shares counters between limiters (processes) on the same Redis', async () => {
    const a = createRateLimiter({ redis: client, keyPrefix: prefix });
    const other = client.duplicate();
    await other.connect();
    const b = createRateLimiter({ redis: other, keyPrefix: prefix });
    await a.consume('guild-2', '7', 2);
    await b.consume('guild-2', '7', 2);
    await retryLaterError(a.consume('guild-2', '7', 2));
    await retryLaterError(b.consume('guild-2', '7', 2));
    await a.consume('guild-2', '8', 2);
    other.disconnect();
  });

  it('connects a lazy client itself', async () => {
    const lazy = new Redis(REDIS_URL, { lazyConnect: true });
    const ready = new Promise((resolve) => lazy.once('ready', resolve));
    const limiter = createRateLimiter({ redis: lazy, keyPrefix: prefix });
    await ready;
    await limiter.consume('guild-4', '1', 5);
    expect(await client.get(`${prefix}:guild-4:1`)).toBe('1');
    lazy.disconnect();
  });

  it('falls back to counting in process when Redis is not ready, still limiting', async () => {
    // Nothing listens on port 1: the client never becomes ready.
    const offline = new Redis('redis://127.0.0.1:1', {
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    offline.on('error', () => {});
    const limiter = createRateLimiter({ redis: offline, keyPrefix: prefix });
    await limiter.consume('guild-3', '9', 2);
    await limiter.consume('guild-3', '9', 2);
    await retryLaterError(limiter.consume('guild-3', '9', 2));
    expect(await client.exists(`${prefix}:guild-3:9`)).toBe(0);
    offline.disconnect();
  });
});
