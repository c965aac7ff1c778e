import type { SessionInfo } from 'discord.js';
import type { Redis } from 'ioredis';
import { z } from 'zod';

// The fleet's shared state in Redis, under one prefix per bot application: the shard count, the live
// processes, a lease per shard, each shard's gateway session, and the identify buckets. Every write a
// lease holder makes is fenced by its lease token: a process that lost a shard can no longer change it.

/** Scripts run atomically in Redis. TIME inside a script is allowed since Redis 5 (effects replication). */
const SCRIPTS = {
  /** Registers (or refreshes) a process until `now + ttl`, forgets the expired ones, returns how many live. */
  heartbeat: `
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
    redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
    return redis.call('ZCARD', KEYS[1])`,
  /** Extends a lease held with this token. */
  renew: `
    if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
    return 0`,
  release: `
    if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
    return 0`,
  /** Writes (or with no value, deletes) the shard's session only while the lease is this token's. */
  fencedSession: `
    if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
    if ARGV[2] == '' then redis.call('DEL', KEYS[2]) else redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3]) end
    return 1`,
  /**
   * Spends an identify bucket for a window: 0 when taken, else the ms until it frees, at least 1: PTTL answers 0
   * in the last millisecond of a window, and 0 means "taken" (two processes then identified 5 ms apart).
   */
  identifySlot: `
    if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 0 end
    return math.max(1, redis.call('PTTL', KEYS[1]))`,
  /** The shard count every process uses: the first proposal wins. */
  shardCount: `
    redis.call('SET', KEYS[1], ARGV[1], 'NX')
    return redis.call('GET', KEYS[1])`,
} as const;

/** How long a stored session stays usable: Discord keeps a session resumable for minutes, not hours. */
const SESSION_TTL_MS = 10 * 60_000;

const sessionInfo = z.object({
  sessionId: z.string().min(1),
  sequence: z.number().int().min(0),
  shardId: z.number().int().min(0),
  shardCount: z.number().int().min(1),
  resumeURL: z.string().min(1),
});

export class FleetStore {
  constructor(
    private readonly redis: Redis,
    /** e.g. `guildmint:fleet:<applicationId>:` */
    private readonly prefix: string,
  ) {}

  private key(...parts: Array<string | number>): string {
    return this.prefix + parts.join(':');
  }

  private async run(script: keyof typeof SCRIPTS, keys: string[], args: Array<string | number>) {
    return this.redis.eval(SCRIPTS[script], keys.length, ...keys, ...args);
  }

  /** The fleet's shard count: `proposed` if no process set one before, else the one already set. */
  async sharedShardCount(proposed: number): Promise<number> {
    return Number(await this.run('shardCount', [this.key('shard-count')], [proposed]));
  }

  /** Keeps `processId` counted as live for `ttlMs`; returns the number of live processes (itself included). */
  async heartbeat(processId: string, ttlMs: number): Promise<number> {
    return Number(await this.run('heartbeat', [this.key('processes')], [processId, ttlMs]));
  }

  async leave(processId: string): Promise<void> {
    await this.redis.zrem(this.key('processes'), processId);
  }

  /** The shards nobody leases now (a hint: `acquire` decides). */
  async freeShards(shardCount: number): Promise<number[]> {
    const shards = Array.from({ length: shardCount }, (_, shard) => shard);
    const holders = await this.redis.mget(shards.map((shard) => this.key('lease', shard)));
    return shards.filter((shard) => holders[shard] === null);
  }

  /** True when the shard was free and is now leased to `token` for `ttlMs`. */
  async acquire(shard: number, token: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.key('lease', shard), token, 'PX', ttlMs, 'NX')) === 'OK';
  }

  /** True while the lease is still `token`'s (and now runs `ttlMs` more). */
  async renew(shard: number, token: string, ttlMs: number): Promise<boolean> {
    return Number(await this.run('renew', [this.key('lease', shard)], [token, ttlMs])) === 1;
  }

  async release(shard: number, token: string): Promise<void> {
    await this.run('release', [this.key('lease', shard)], [token]);
  }

  /** Stores the shard's session (null: forgets it) if `token` still holds the shard; false when it does not. */
  async saveSession(shard: number, token: string, info: SessionInfo | null): Promise<boolean> {
    const written = await this.run(
      'fencedSession',
      [this.key('lease', shard), this.key('session', shard)],
      [token, info ? JSON.stringify(info) : '', SESSION_TTL_MS],
    );
    return Number(written) === 1;
  }

  /** The session a previous holder left for the shard, if any and well-formed. */
  async loadSession(shard: number): Promise<SessionInfo | null> {
    const text = await this.redis.get(this.key('session', shard));
    if (text === null) return null;
    try {
      return sessionInfo.parse(JSON.parse(text));
    } catch {
      return null;
    }
  }

  /** 0 when this process may identify in `bucket` now (the window is then spent), else ms to wait. */
  async takeIdentifySlot(bucket: number, windowMs: number): Promise<number> {
    const wait = Number(await this.run('identifySlot', [this.key('identify', bucket)], [windowMs]));
    // -1/-2: the key vanished between the two calls; try again shortly.
    return wait < 0 ? 10 : wait;
  }
}
