import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { REDIS_URL, redisAvailable } from '../../test/support/services';
import { createLimiter } from './rate-limit';

// Two processes of the control plane, each with its own Redis connection: one budget between them.
describe.skipIf(!(await redisAvailable()))('limits shared through Redis', () => {
  const prefix = `cp-test:${randomUUID()}`;
  const clients = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
  afterAll(async () => {
    const keys = await clients[0]!.keys(`${prefix}*`);
    if (keys.length > 0) await clients[0]!.del(...keys);
    await Promise.all(clients.map((c) => c.quit()));
  });

  it('counts one user and tenant across processes, and others apart', async () => {
    // Until a connection is ready each process counts alone (by design): wait for both.
    await Promise.all(clients.map((c) => (c.status === 'ready' ? undefined : once(c, 'ready'))));
    const [a, b] = clients.map((redis) =>
      createLimiter({ points: 10, perSeconds: 60, keyPrefix: prefix, redis }),
    );
    expect(await a!.consume('user-1:guild-1', 6)).toMatchObject({ ok: true, remaining: 4 });
    expect(await b!.consume('user-1:guild-1', 4)).toMatchObject({ ok: true, remaining: 0 });
    // The other process spent the rest of the budget.
    expect(await a!.consume('user-1:guild-1', 1)).toMatchObject({
      ok: false,
      retryAfterMs: expect.any(Number),
    });
    expect(await b!.consume('user-1:guild-2', 1)).toMatchObject({ ok: true });
    expect(await b!.consume('user-2:guild-1', 1)).toMatchObject({ ok: true });
  });
});
