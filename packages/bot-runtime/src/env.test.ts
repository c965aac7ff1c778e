import { describe, expect, it } from 'vitest';
import { EnvError, loadDevEnv, loadEnv, runtimeOptionsFromEnv, shardPlanOf } from './env.js';

const minimal = { DISCORD_TOKEN: 'token', DISCORD_APPLICATION_ID: '123456789012345678' };

function problems(source: Record<string, string | undefined>): string[] {
  try {
    loadEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('environment', () => {
  it('applies defaults: Discord API, embedded libSQL, metrics on 9090, info logs, auto shards', () => {
    const env = loadEnv(minimal);
    expect(env).toMatchObject({
      DISCORD_API_URL: 'https://discord.com/api',
      DATABASE_URL: 'file:guildmint.db',
      METRICS_PORT: 9090,
      LOG_LEVEL: 'info',
    });
    expect(env.REDIS_URL).toBeUndefined();
    expect(shardPlanOf(env)).toEqual({ kind: 'auto' });
  });

  it('maps to runtime options: PostgreSQL and Redis when their URLs are set', () => {
    const env = loadEnv({
      ...minimal,
      DISCORD_API_URL: 'http://127.0.0.1:5000/api',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/app',
      REDIS_URL: 'redis://127.0.0.1:6379',
      SHARD_IDS: '2,3',
      SHARD_COUNT: '4',
      METRICS_PORT: 'off',
      LOG_LEVEL: 'debug',
    });
    expect(runtimeOptionsFromEnv(env)).toEqual({
      token: 'token',
      applicationId: '123456789012345678',
      apiUrl: 'http://127.0.0.1:5000/api',
      storage: 'postgres://postgres@127.0.0.1:5432/app',
      cache: 'redis://127.0.0.1:6379',
      shards: { kind: 'ids', ids: [2, 3], count: 4 },
      metricsPort: 'off',
      metricsHost: '127.0.0.1',
      logLevel: 'debug',
      writerThread: true,
    });
  });

  it('opens tenants across the clusters of GUILDMINT_CLUSTERS instead of DATABASE_URL', () => {
    const clusters =
      'a=postgres://postgres@127.0.0.1:5432/a;b=postgres://h1:5432,h2:5433/b?target_session_attrs=read-write';
    expect(runtimeOptionsFromEnv(loadEnv({ ...minimal, GUILDMINT_CLUSTERS: clusters })).storage).toEqual({
      clusters: {
        a: 'postgres://postgres@127.0.0.1:5432/a',
        b: 'postgres://h1:5432,h2:5433/b?target_session_attrs=read-write',
      },
    });
    expect(problems({ ...minimal, GUILDMINT_CLUSTERS: 'a=file:x.db' })).toEqual([
      expect.stringMatching(/GUILDMINT_CLUSTERS/),
    ]);
  });

  it('holds guilds to their plans only when GUILDMINT_ENFORCE_PLANS=true', () => {
    expect(runtimeOptionsFromEnv(loadEnv(minimal)).enforcePlans).toBeUndefined();
    expect(runtimeOptionsFromEnv(loadEnv({ ...minimal, GUILDMINT_ENFORCE_PLANS: 'true' })).enforcePlans).toBe(
      true,
    );
    expect(problems({ ...minimal, GUILDMINT_ENFORCE_PLANS: 'yes' })).toEqual([
      expect.stringMatching(/GUILDMINT_ENFORCE_PLANS/),
    ]);
  });

  it("puts a file economy's writer on a thread of its own unless GUILDMINT_ECONOMY_WRITER_THREAD=0", () => {
    expect(runtimeOptionsFromEnv(loadEnv(minimal)).writerThread).toBe(true);
    expect(
      runtimeOptionsFromEnv(loadEnv({ ...minimal, GUILDMINT_ECONOMY_WRITER_THREAD: '0' })).writerThread,
    ).toBe(false);
    expect(problems({ ...minimal, GUILDMINT_ECONOMY_WRITER_THREAD: 'yes' })).toEqual([
      expect.stringMatching(/GUILDMINT_ECONOMY_WRITER_THREAD/),
    ]);
  });

  it('links /leaderboard to the public page only with GUILDMINT_PUBLIC_URL, an http(s) URL', () => {
    expect(runtimeOptionsFromEnv(loadEnv(minimal)).publicUrl).toBeUndefined();
    expect(
      runtimeOptionsFromEnv(loadEnv({ ...minimal, GUILDMINT_PUBLIC_URL: 'https://guildmint.example' }))
        .publicUrl,
    ).toBe('https://guildmint.example');
    expect(problems({ ...minimal, GUILDMINT_PUBLIC_URL: 'ftp://x.example' })).toEqual([
      expect.stringMatching(/GUILDMINT_PUBLIC_URL/),
    ]);
  });

  it('serves metrics and health on loopback unless METRICS_HOST says otherwise', () => {
    expect(runtimeOptionsFromEnv(loadEnv(minimal)).metricsHost).toBe('127.0.0.1');
    expect(runtimeOptionsFromEnv(loadEnv({ ...minimal, METRICS_HOST: '0.0.0.0' })).metricsHost).toBe(
      '0.0.0.0',
    );
    expect(problems({ ...minimal, METRICS_HOST: 'everywhere' })).toEqual([
      expect.stringMatching(/METRICS_HOST/),
    ]);
  });

  it('reads process index and count as a shard range request', () => {
    expect(
      shardPlanOf(loadEnv({ ...minimal, PROCESS_INDEX: '1', PROCESS_COUNT: '2', SHARD_COUNT: '4' })),
    ).toEqual({
      kind: 'process',
      index: 1,
      processes: 2,
      count: 4,
    });
    expect(shardPlanOf(loadEnv({ ...minimal, PROCESS_INDEX: '0', PROCESS_COUNT: '3' }))).toEqual({
      kind: 'process',
      index: 0,
      processes: 3,
    });
    expect(shardPlanOf(loadEnv({ ...minimal, SHARD_COUNT: '2' }))).toEqual({
      kind: 'ids',
      ids: [0, 1],
      count: 2,
    });
  });

  it('reads GUILDMINT_SHARDS=fleet as a fleet plan on REDIS_URL, with lease and identify timings', () => {
    const redis = { REDIS_URL: 'redis://127.0.0.1:6379' };
    expect(shardPlanOf(loadEnv({ ...minimal, ...redis, GUILDMINT_SHARDS: 'fleet' }))).toEqual({
      kind: 'fleet',
      redisUrl: 'redis://127.0.0.1:6379',
      leaseMs: 15_000,
      identifyWindowMs: 5_000,
    });
    expect(
      shardPlanOf(
        loadEnv({
          ...minimal,
          ...redis,
          GUILDMINT_SHARDS: 'fleet',
          SHARD_COUNT: '6',
          GUILDMINT_FLEET_LEASE_MS: '3000',
          GUILDMINT_IDENTIFY_WINDOW_MS: '1000',
          GUILDMINT_FLEET_PREFIX: 'test:fleet:',
        }),
      ),
    ).toEqual({
      kind: 'fleet',
      redisUrl: 'redis://127.0.0.1:6379',
      count: 6,
      leaseMs: 3_000,
      identifyWindowMs: 1_000,
      prefix: 'test:fleet:',
    });
    expect(problems({ ...minimal, GUILDMINT_SHARDS: 'fleet' })).toEqual([
      'REDIS_URL: is required with GUILDMINT_SHARDS=fleet',
    ]);
    expect(
      problems({ ...minimal, ...redis, GUILDMINT_SHARDS: 'fleet', SHARD_IDS: '0', SHARD_COUNT: '2' }),
    ).toEqual([expect.stringMatching(/^GUILDMINT_SHARDS: a fleet leases its shards/)]);
    expect(
      problems({ ...minimal, ...redis, GUILDMINT_SHARDS: 'fleet', GUILDMINT_FLEET_LEASE_MS: '10' }),
    ).toEqual(['GUILDMINT_FLEET_LEASE_MS: must be at least 300']);
    expect(problems({ ...minimal, GUILDMINT_SHARDS: 'all' })).toEqual([
      expect.stringMatching(/^GUILDMINT_SHARDS: /),
    ]);
  });

  it('treats empty variables as unset', () => {
    expect(loadEnv({ ...minimal, REDIS_URL: '', DATABASE_URL: '  ' }).DATABASE_URL).toBe('file:guildmint.db');
  });

  it('reports every problem at once, naming the variable', () => {
    const found = problems({
      DISCORD_APPLICATION_ID: 'abc',
      DISCORD_API_URL: 'ftp://nope',
      DATABASE_URL: 'mysql://x',
      REDIS_URL: 'http://x',
      SHARD_IDS: '0,9',
      SHARD_COUNT: '4',
      METRICS_PORT: '99999',
      LOG_LEVEL: 'loud',
    });
    for (const name of [
      'DISCORD_TOKEN',
      'DISCORD_APPLICATION_ID',
      'DISCORD_API_URL',
      'DATABASE_URL',
      'REDIS_URL',
      'METRICS_PORT',
      'LOG_LEVEL',
    ]) {
      expect(
        found.some((p) => p.startsWith(`${name}:`)),
        `${name} in ${found.join(' | ')}`,
      ).toBe(true);
    }
    // Cross-field checks run only once the fields themselves parse.
    expect(problems({ ...minimal, SHARD_IDS: '0,9', SHARD_COUNT: '4' })).toEqual([
      'SHARD_IDS: shard(s) 9 do not exist with SHARD_COUNT=4',
    ]);
  });

  it('refuses inconsistent sharding', () => {
    expect(problems({ ...minimal, SHARD_IDS: '0' })).toEqual(['SHARD_COUNT: is required with SHARD_IDS']);
    expect(problems({ ...minimal, SHARD_IDS: 'x' })[0]).toMatch(/^SHARD_IDS: "x" is not a shard id/);
    expect(problems({ ...minimal, PROCESS_INDEX: '0' })).toEqual([
      'PROCESS_COUNT: PROCESS_INDEX and PROCESS_COUNT go together',
    ]);
    expect(problems({ ...minimal, PROCESS_INDEX: '2', PROCESS_COUNT: '2' })).toEqual([
      'PROCESS_INDEX: must be below PROCESS_COUNT (2)',
    ]);
    expect(problems({ ...minimal, PROCESS_INDEX: '0', PROCESS_COUNT: '3', SHARD_COUNT: '2' })[0]).toMatch(
      /^SHARD_COUNT: must be at least PROCESS_COUNT/,
    );
    expect(
      problems({ ...minimal, SHARD_IDS: '0', SHARD_COUNT: '2', PROCESS_INDEX: '0', PROCESS_COUNT: '2' }),
    ).toContain('SHARD_IDS: set either SHARD_IDS or PROCESS_INDEX/PROCESS_COUNT, not both');
  });

  it('reads DISCORD_SKU_PLANS as SKU → paid plan, refusing anything else with the variable named', () => {
    const env = loadEnv({
      ...minimal,
      DISCORD_SKU_PLANS: '1100000000000000001:pro, 1100000000000000002:scale',
    });
    expect(runtimeOptionsFromEnv(env).skuPlans).toEqual(
      new Map([
        ['1100000000000000001', 'pro'],
        ['1100000000000000002', 'scale'],
      ]),
    );
    expect(runtimeOptionsFromEnv(loadEnv(minimal)).skuPlans).toBeUndefined();
    expect(problems({ ...minimal, DISCORD_SKU_PLANS: '11:gold' })).toEqual([
      'DISCORD_SKU_PLANS: "gold" is not a paid plan (pro or scale): free needs no SKU',
    ]);
    expect(problems({ ...minimal, DISCORD_SKU_PLANS: '11:free' })[0]).toMatch(/free needs no SKU/);
    expect(problems({ ...minimal, DISCORD_SKU_PLANS: 'pro' })).toEqual([
      'DISCORD_SKU_PLANS: "pro" is not <sku id>:<plan> (e.g. 1234:pro)',
    ]);
    expect(problems({ ...minimal, DISCORD_SKU_PLANS: '11:pro,11:scale' })).toEqual([
      'DISCORD_SKU_PLANS: SKU 11 is mapped twice',
    ]);
  });

  it('lets pnpm dev run without a token (the simulator then stands in for Discord)', () => {
    expect(loadDevEnv({}).DISCORD_TOKEN).toBeUndefined();
    expect(() => loadEnv({})).toThrow(EnvError);
  });
});
