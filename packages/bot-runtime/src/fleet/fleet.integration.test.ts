import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_URL, redisAvailable } from '../../test/support/services.js';
import { ShardFleet, type ShardHost } from './fleet.js';
import { RedisIdentifyThrottler } from './identify-throttle.js';
import { FleetStore } from './store.js';

// The fleet's Redis side on a real Redis: leases and their fencing, the fair share, the shared identify bucket.

const up = await redisAvailable();
const log = pino({ level: 'silent' });
const session = {
  sessionId: 's1',
  sequence: 7,
  shardId: 0,
  shardCount: 2,
  resumeURL: 'ws://127.0.0.1:1/gateway',
};

describe.skipIf(!up)('fleet state in Redis', () => {
  let redis: Redis;
  let store: FleetStore;
  const prefix = `test:fleet-unit:${randomBytes(6).toString('hex')}:`;

  beforeAll(() => {
    redis = new Redis(REDIS_URL);
    store = new FleetStore(redis, prefix);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('agrees on one shard count: the first proposal wins', async () => {
    expect(await store.sharedShardCount(6)).toBe(6);
    expect(await store.sharedShardCount(9)).toBe(6);
  });

  it('leases a shard to one token; only that token renews it or writes its session', async () => {
    expect(await store.acquire(0, 'a', 5_000)).toBe(true);
    expect(await store.acquire(0, 'b', 5_000)).toBe(false);
    expect(await store.saveSession(0, 'a', session)).toBe(true);
    expect(await store.renew(0, 'b', 5_000)).toBe(false);
    // A stale holder can neither overwrite nor erase the session.
    expect(await store.saveSession(0, 'b', { ...session, sequence: 1 })).toBe(false);
    expect(await store.saveSession(0, 'b', null)).toBe(false);
    expect(await store.loadSession(0)).toEqual(session);

    await store.release(0, 'b'); // not b's: nothing happens
    expect(await store.acquire(0, 'b', 5_000)).toBe(false);
    await store.release(0, 'a');
    expect(await store.acquire(0, 'b', 5_000)).toBe(true);
    expect(await store.renew(0, 'a', 5_000)).toBe(false);
    expect(await store.loadSession(0)).toEqual(session); // left for b to resume
  });

  it('ignores a malformed stored session', async () => {
    await redis.set(`${prefix}session:1`, '{"sessionId":42}');
    expect(await store.loadSession(1)).toBeNull();
  });

  it('never grants a bucket twice in the last millisecond of its window (PTTL reads 0 there)', async () => {
    // A window about to end: every call in that millisecond found the key but read its time left as 0, which meant
    // "taken". Two processes then identified 5 ms apart and Discord refused one (bench:fleet saw it most rounds).
    const bucket = 7;
    await redis.set(`${prefix}identify:${bucket}`, '1', 'PX', 3);
    const answers: number[] = [];
    const until = performance.now() + 15;
    while (performance.now() < until) answers.push(await store.takeIdentifySlot(bucket, 60_000));
    expect(answers.filter((wait) => wait === 0)).toHaveLength(1);
  });

  it('asks Redis again when it fails, rather than letting @discordjs/ws identify unthrottled', async () => {
    let calls = 0;
    const failingOnce = {
      takeIdentifySlot: async () => {
        calls += 1;
        if (calls === 1) throw new Error('Redis went away');
        return 0;
      },
    } as unknown as FleetStore;
    const errors: unknown[] = [];
    const throttler = new RedisIdentifyThrottler(failingOnce, 1, 400, (error) => errors.push(error));
    await throttler.waitForIdentify(0, new AbortController().signal);
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
  });

  it('spends an identify bucket once per window, across throttlers (processes)', async () => {
    const one = new RedisIdentifyThrottler(store, 2, 400);
    const two = new RedisIdentifyThrottler(store, 2, 400);
    const signal = new AbortController().signal;
    const started = performance.now();
    await one.waitForIdentify(0, signal); // bucket 0
    await two.waitForIdentify(1, signal); // bucket 1: no wait
    const afterTwoBuckets = performance.now() - started;
    await two.waitForIdentify(2, signal); // bucket 0 again: waits out the window
    const afterSameBucket = performance.now() - started;
    expect(afterTwoBuckets).toBeLessThan(400);
    expect(afterSameBucket).toBeGreaterThanOrEqual(390);

    const aborted = new AbortController();
    const waiting = one.waitForIdentify(4, aborted.signal); // bucket 0, just spent
    aborted.abort();
    await expect(waiting).rejects.toThrow();
  });

  it('splits shards fairly and moves a dead process’s shards to the living, dropping a lost lease at once', async () => {
    const fleetStore = new FleetStore(redis, `${prefix}share:`);
    const served = new Map<string, Set<number>>();
    const lost: number[] = [];
    const watchers = new Set<() => void>();
    /** Resolves once `done()` holds, checked whenever a fleet serves or drops a shard. */
    const until = (done: () => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!done()) return;
          watchers.delete(check);
          resolve();
        };
        watchers.add(check);
        check();
      });
    const changed = () => {
      for (const check of [...watchers]) check();
    };
    const host = (name: string): ShardHost => {
      served.set(name, new Set());
      return {
        serve: async (shard) => {
          served.get(name)!.add(shard);
          changed();
        },
        drop: async (shard, why) => {
          served.get(name)!.delete(shard);
          if (why === 'lost') lost.push(shard);
          changed();
        },
      };
    };
    const options = { store: fleetStore, shardCount: 4, leaseMs: 600, log };
    const a = new ShardFleet({ ...options, host: host('a'), processId: 'a' });
    const b = new ShardFleet({ ...options, host: host('b'), processId: 'b' });
    await Promise.all([a.start(), b.start()]);
    expect([a.held().length, b.held().length]).toEqual([2, 2]);
    expect([...a.held(), ...b.held()].sort()).toEqual([0, 1, 2, 3]);

    // Someone else takes one of a's shards (as after a pause longer than the lease): a drops it on its next tick.
    const stolen = a.held()[0]!;
    await redis.set(`${prefix}share:lease:${stolen}`, 'intruder', 'PX', 60_000);
    await until(() => lost.includes(stolen));
    expect(a.held()).not.toContain(stolen);
    expect(served.get('a')!.has(stolen)).toBe(false);
    await redis.del(`${prefix}share:lease:${stolen}`);

    // a leaves (hands its shards on): b, alone now, takes every shard, the stolen one included once free.
    await a.stop();
    await until(() => served.get('b')!.size === 4);
    expect(b.held()).toEqual([0, 1, 2, 3]);
    await b.stop();
    expect(await redis.exists(`${prefix}share:lease:0`)).toBe(0);
  });
});
