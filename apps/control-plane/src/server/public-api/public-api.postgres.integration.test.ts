import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresAvailable, REDIS_URL, redisAvailable } from '../../../test/support/services';
import { publicApiSuite } from './public-api.suite';
import { createApiRateLimit } from './rate-limit';

// The same API suite with the platform tables and the economy on PostgreSQL; and the per-key limit shared
// by two processes through Redis. Without a server (and outside CI) each is skipped with a loud line.
describe.skipIf(!(await postgresAvailable()))('API v1 on PostgreSQL', () => {
  publicApiSuite('postgres');
});

describe.skipIf(!(await redisAvailable()))('API v1 rate limits shared through Redis', () => {
  const keyPrefix = `test-api-redis:${randomUUID()}`;
  const clients = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
  afterAll(async () => {
    const keys = await clients[0]!.keys(`${keyPrefix}*`);
    if (keys.length > 0) await clients[0]!.del(...keys);
    await Promise.all(clients.map((c) => c.quit()));
  });

  it('two processes count one key together, and other keys apart', async () => {
    await Promise.all(clients.map((c) => (c.status === 'ready' ? undefined : once(c, 'ready'))));
    const [a, b] = clients.map((redis) =>
      createApiRateLimit({ requestsPerMinute: async () => 4, redis, keyPrefix }),
    );
    expect(await a!.consume('key-1', 't')).toMatchObject({ ok: true, limit: 4, remaining: 3 });
    expect(await b!.consume('key-1', 't')).toMatchObject({ ok: true, remaining: 2 });
    expect(await a!.consume('key-1', 't')).toMatchObject({ ok: true, remaining: 1 });
    expect(await b!.consume('key-1', 't')).toMatchObject({ ok: true, remaining: 0 });
    const refused = await a!.consume('key-1', 't');
    expect(refused).toMatchObject({ ok: false, limit: 4, remaining: 0 });
    expect(refused.resetMs).toBeGreaterThan(0);
    expect(await b!.consume('key-2', 't')).toMatchObject({ ok: true, remaining: 3 });
  });
});
