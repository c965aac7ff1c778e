import { parseClusters } from '@guildmint/sdk';
import { z } from 'zod';
import { DEFAULT_METRICS_HOST } from './metrics.js';
import { ControlPlanePackShop } from './packs.js';
import { parseSkuPlans } from './plan-rail.js';
import type { RuntimeOptions } from './runtime.js';
import { parseShardIds, type ShardPlan } from './sharding.js';

// The one module that reads the environment. Everything else receives typed options.

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const required = (what: string) => ({
  error: (issue: { input?: unknown }) =>
    issue.input === undefined ? `is required: ${what}` : 'must be text',
});
const snowflake = z
  .string(required("the application id from Discord's developer portal"))
  .regex(/^\d{1,21}$/, 'must be a Discord id (digits)');
const count = z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(10_000);
const index = z.coerce.number().int('must be a whole number').min(0, 'must not be negative').max(10_000);
/** Fleet defaults: a 15 s shard lease (renewed every 5 s); Discord's 5 s identify window. */
const FLEET_LEASE_MS = 15_000;
const IDENTIFY_WINDOW_MS = 5_000;
const storage = z
  .string()
  .refine(
    (url) => /^postgres(ql)?:\/\//.test(url) || url.startsWith('file:') || url === ':memory:',
    'must be a postgres:// URL (or file:<path> for the embedded libSQL store)',
  );

/** Text read by a parser that throws on bad input: its message becomes the variable's problem. */
function parsedBy<T>(parse: (text: string) => T) {
  return z.string().transform((text, ctx) => {
    try {
      return parse(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });
}

const baseSchema = z.object({
  DISCORD_TOKEN: z
    .string(required("the bot token from Discord's developer portal"))
    .trim()
    .min(1, 'must not be empty'),
  DISCORD_APPLICATION_ID: snowflake,
  /** The REST base URL; the gateway URL comes from its `/gateway/bot`. */
  DISCORD_API_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://discord.com/api' })
    .default('https://discord.com/api'),
  DATABASE_URL: storage.default('file:guildmint.db'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  /** Tenants across PostgreSQL clusters: `a=postgres://…;b=postgres://…` (see the SDK's ClusterStore). */
  GUILDMINT_CLUSTERS: parsedBy(parseClusters).optional(),
  SHARD_IDS: parsedBy(parseShardIds).optional(),
  SHARD_COUNT: count.optional(),
  /** Discord Premium Apps: `<skuId>:<plan>,…`, the plan each guild subscription SKU grants. */
  DISCORD_SKU_PLANS: parsedBy(parseSkuPlans).optional(),
  PROCESS_INDEX: index.optional(),
  /** The control plane that sells currency packs (its `POST /api/internal/packs`); with GUILDMINT_INTERNAL_SECRET. */
  GUILDMINT_CONTROL_PLANE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  /** The secret the control plane expects from the bot (the same GUILDMINT_INTERNAL_SECRET there). */
  GUILDMINT_INTERNAL_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** The control plane's public address: `/leaderboard` links to an opted-in guild's public page there. */
  GUILDMINT_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  /** `true`: hold each guild to its Guildmint plan (hosted bot); default off. */
  GUILDMINT_ENFORCE_PLANS: z.enum(['true', 'false']).optional(),
  /** `0`: a `file:` economy's writer on the runtime's own thread instead of one of its own (option `writerThread`). */
  GUILDMINT_ECONOMY_WRITER_THREAD: z.enum(['0', '1']).default('1'),
  PROCESS_COUNT: count.optional(),
  /** `fleet`: processes on any hosts split the shards through leases in Redis (needs REDIS_URL). */
  GUILDMINT_SHARDS: z.literal('fleet', 'must be fleet (or unset)').optional(),
  /** How long a shard lease runs unless renewed (renewed every third): a dead process's shards move after this. */
  GUILDMINT_FLEET_LEASE_MS: z.coerce
    .number()
    .int()
    .min(300, 'must be at least 300')
    .max(600_000)
    .default(FLEET_LEASE_MS),
  /** Discord's identify window per concurrency bucket (5 s); the fleet spaces identifies by it. */
  GUILDMINT_IDENTIFY_WINDOW_MS: z.coerce.number().int().min(0).max(60_000).default(IDENTIFY_WINDOW_MS),
  /** Redis key prefix of the fleet (default `guildmint:fleet:<application id>:`). */
  GUILDMINT_FLEET_PREFIX: z.string().min(1).max(200).optional(),
  /** 0 picks a free port; `off` serves no HTTP at all. */
  METRICS_PORT: z.union([z.literal('off'), z.coerce.number().int().min(0).max(65_535)]).default(9090),
  /** The address `/metrics` and `/healthz` listen on; `0.0.0.0` (or `::`) to reach them from other hosts. */
  METRICS_HOST: z.union([z.ipv4(), z.ipv6(), z.literal('localhost')]).default(DEFAULT_METRICS_HOST),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
});

type BaseEnv = z.output<typeof baseSchema>;

function crossChecks(env: { [K in keyof BaseEnv]?: BaseEnv[K] | undefined }, ctx: z.RefinementCtx): void {
  if (env.GUILDMINT_SHARDS === 'fleet') {
    if (env.REDIS_URL === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_URL'],
        message: 'is required with GUILDMINT_SHARDS=fleet',
      });
    if (env.SHARD_IDS !== undefined || env.PROCESS_INDEX !== undefined || env.PROCESS_COUNT !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['GUILDMINT_SHARDS'],
        message: 'a fleet leases its shards: set no SHARD_IDS or PROCESS_INDEX/PROCESS_COUNT with it',
      });
    }
  }
  if (env.SHARD_IDS !== undefined) {
    if (env.SHARD_COUNT === undefined) {
      ctx.addIssue({ code: 'custom', path: ['SHARD_COUNT'], message: 'is required with SHARD_IDS' });
    } else {
      const beyond = env.SHARD_IDS.filter((id) => id >= env.SHARD_COUNT!);
      if (beyond.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['SHARD_IDS'],
          message: `shard(s) ${beyond.join(', ')} do not exist with SHARD_COUNT=${env.SHARD_COUNT}`,
        });
      }
    }
    if (env.PROCESS_INDEX !== undefined || env.PROCESS_COUNT !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['SHARD_IDS'],
        message: 'set either SHARD_IDS or PROCESS_INDEX/PROCESS_COUNT, not both',
      });
    }
  }
  if ((env.PROCESS_INDEX === undefined) !== (env.PROCESS_COUNT === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: [env.PROCESS_INDEX === undefined ? 'PROCESS_INDEX' : 'PROCESS_COUNT'],
      message: 'PROCESS_INDEX and PROCESS_COUNT go together',
    });
  } else if (env.PROCESS_INDEX !== undefined && env.PROCESS_INDEX >= env.PROCESS_COUNT!) {
    ctx.addIssue({
      code: 'custom',
      path: ['PROCESS_INDEX'],
      message: `must be below PROCESS_COUNT (${env.PROCESS_COUNT})`,
    });
  } else if (
    env.PROCESS_COUNT !== undefined &&
    env.SHARD_COUNT !== undefined &&
    env.SHARD_COUNT < env.PROCESS_COUNT
  ) {
    ctx.addIssue({
      code: 'custom',
      path: ['SHARD_COUNT'],
      message: `must be at least PROCESS_COUNT (${env.PROCESS_COUNT}) so every process gets a shard`,
    });
  }
}

/** The production environment: a bot token and application id are required. */
export const envSchema = baseSchema.superRefine(crossChecks);
/** `pnpm dev`: without a token it runs against the local Discord simulator. */
export const devEnvSchema = baseSchema
  .partial({ DISCORD_TOKEN: true, DISCORD_APPLICATION_ID: true })
  .superRefine(crossChecks);

export type RuntimeEnv = z.output<typeof envSchema>;
export type DevEnv = z.output<typeof devEnvSchema>;

/** Every problem with the environment at once, one per line, naming the variable. */
export class EnvError extends Error {
  readonly problems: readonly string[];

  constructor(problems: string[]) {
    super(`invalid environment:\n- ${problems.join('\n- ')}`);
    this.name = 'EnvError';
    this.problems = problems;
  }
}

type Source = Record<string, string | undefined>;

function parseWith<S extends z.ZodType>(schema: S, source: Source): z.output<S> {
  // An empty variable means "not set" (docker-compose and CI templates leave them empty).
  const present = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`),
  );
}

/** For entry points: the loaded environment, or every problem on stderr and exit code 2. */
export function loadOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}

export function loadEnv(source: Source = process.env): RuntimeEnv {
  return parseWith(envSchema, source);
}

export function loadDevEnv(source: Source = process.env): DevEnv {
  return parseWith(devEnvSchema, source);
}

/** The shard plan the environment asks for. */
export function shardPlanOf(
  env: Pick<BaseEnv, 'SHARD_IDS' | 'SHARD_COUNT' | 'PROCESS_INDEX' | 'PROCESS_COUNT'> &
    Partial<
      Pick<
        BaseEnv,
        | 'GUILDMINT_SHARDS'
        | 'REDIS_URL'
        | 'GUILDMINT_FLEET_LEASE_MS'
        | 'GUILDMINT_IDENTIFY_WINDOW_MS'
        | 'GUILDMINT_FLEET_PREFIX'
      >
    >,
): ShardPlan {
  if (env.GUILDMINT_SHARDS === 'fleet' && env.REDIS_URL !== undefined) {
    return {
      kind: 'fleet',
      redisUrl: env.REDIS_URL,
      leaseMs: env.GUILDMINT_FLEET_LEASE_MS ?? FLEET_LEASE_MS,
      identifyWindowMs: env.GUILDMINT_IDENTIFY_WINDOW_MS ?? IDENTIFY_WINDOW_MS,
      ...(env.SHARD_COUNT !== undefined && { count: env.SHARD_COUNT }),
      ...(env.GUILDMINT_FLEET_PREFIX !== undefined && { prefix: env.GUILDMINT_FLEET_PREFIX }),
    };
  }
  if (env.SHARD_IDS !== undefined && env.SHARD_COUNT !== undefined) {
    return { kind: 'ids', ids: env.SHARD_IDS, count: env.SHARD_COUNT };
  }
  if (env.PROCESS_INDEX !== undefined && env.PROCESS_COUNT !== undefined) {
    return {
      kind: 'process',
      index: env.PROCESS_INDEX,
      processes: env.PROCESS_COUNT,
      ...(env.SHARD_COUNT !== undefined && { count: env.SHARD_COUNT }),
    };
  }
  if (env.SHARD_COUNT !== undefined) {
    return { kind: 'ids', ids: Array.from({ length: env.SHARD_COUNT }, (_, i) => i), count: env.SHARD_COUNT };
  }
  return { kind: 'auto' };
}

/** The runtime options an environment asks for (the logger is the caller's, built from LOG_LEVEL). */
export function runtimeOptionsFromEnv(env: RuntimeEnv): RuntimeOptions {
  return {
    token: env.DISCORD_TOKEN,
    applicationId: env.DISCORD_APPLICATION_ID,
    apiUrl: env.DISCORD_API_URL,
    storage: env.GUILDMINT_CLUSTERS ? { clusters: env.GUILDMINT_CLUSTERS } : env.DATABASE_URL,
    ...(env.REDIS_URL !== undefined && { cache: env.REDIS_URL }),
    shards: shardPlanOf(env),
    metricsPort: env.METRICS_PORT,
    metricsHost: env.METRICS_HOST,
    logLevel: env.LOG_LEVEL,
    ...(env.DISCORD_SKU_PLANS !== undefined && { skuPlans: env.DISCORD_SKU_PLANS }),
    ...(env.GUILDMINT_ENFORCE_PLANS === 'true' && { enforcePlans: true }),
    writerThread: env.GUILDMINT_ECONOMY_WRITER_THREAD === '1',
    ...(env.GUILDMINT_PUBLIC_URL !== undefined && { publicUrl: env.GUILDMINT_PUBLIC_URL }),
    ...(env.GUILDMINT_CONTROL_PLANE_URL !== undefined &&
      env.GUILDMINT_INTERNAL_SECRET !== undefined && {
        packs: new ControlPlanePackShop({
          url: env.GUILDMINT_CONTROL_PLANE_URL,
          secret: env.GUILDMINT_INTERNAL_SECRET,
        }),
      }),
  };
}
