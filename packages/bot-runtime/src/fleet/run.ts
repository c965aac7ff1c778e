import {
  type Client,
  type ClientOptions,
  type REST,
  type RESTGetAPIGatewayBotResult,
  Routes,
} from 'discord.js';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { FleetPlan } from '../sharding.js';
import { ShardFleet, type ShardHost } from './fleet.js';
import { RedisIdentifyThrottler } from './identify-throttle.js';
import { adoptShardGuilds, readyOnResume } from './resumed-client.js';
import { FleetSessions } from './sessions.js';
import { FleetStore } from './store.js';

/** Added to Discord's identify window: the time an IDENTIFY takes from the bucket to Discord, and clock drift. */
const IDENTIFY_MARGIN_MS = 500;
/** Close code for a shard handed on: anything but 1000/1001 keeps the session resumable (@discordjs/ws's "resuming"). */
const HANDOFF_CLOSE_CODE = 4200;

export interface FleetRuntimeHooks {
  rest: REST;
  applicationId: string;
  log: Logger;
  /** A wired discord.js client for one shard, with these gateway options. */
  createClient(shard: number, shardCount: number, ws: NonNullable<ClientOptions['ws']>): Client;
  /** Logs the client in; resolves once it is ready. */
  connect(client: Client): Promise<void>;
  /** Forgets a client that no longer serves its shard. */
  forget(client: Client): void;
  /** The start-up work for guilds a shard brought (commands, presence, entitlements). */
  welcome(guildIds: string[]): Promise<void>;
}

export interface RunningFleet {
  readonly processId: string;
  readonly shardCount: number;
  held(): number[];
  /** Hands every shard on (resumable by the others) and leaves the fleet. */
  stop(): Promise<void>;
}

/**
 * Joins the fleet: agrees on the shard count in Redis (the first process sets it from `count` or
 * Discord's recommendation), then serves the shards it leases, each with its own discord.js client that
 * identifies through the shared throttle or resumes the session the previous holder left in Redis.
 */
export async function startFleet(plan: FleetPlan, hooks: FleetRuntimeHooks): Promise<RunningFleet> {
  const { log } = hooks;
  const redis = new Redis(plan.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', (err: unknown) => log.warn({ err }, 'fleet Redis error'));
  await redis.connect();
  const store = new FleetStore(redis, plan.prefix ?? `guildmint:fleet:${hooks.applicationId}:`);
  const gateway = (await hooks.rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
  const shardCount = await store.sharedShardCount(plan.count ?? gateway.shards);
  const throttler = new RedisIdentifyThrottler(
    store,
    gateway.session_start_limit.max_concurrency,
    plan.identifyWindowMs + IDENTIFY_MARGIN_MS,
    (err, shard) => log.warn({ err, shard }, 'identify bucket: Redis did not answer; asking again'),
  );
  const clients = new Map<number, { client: Client; dropped: () => void }>();
  const sessions = new FleetSessions(store, (shard) => fleet.tokenOf(shard), log);

  const host: ShardHost = {
    async serve(shard) {
      const session = await sessions.load(shard);
      const client = hooks.createClient(shard, shardCount, {
        buildStrategy: sessions.strategy(),
        buildIdentifyThrottler: () => throttler,
      });
      const dropped = new Promise<'dropped'>((resolve) =>
        clients.set(shard, { client, dropped: () => resolve('dropped') }),
      );
      if (session) readyOnResume(client, session, hooks.applicationId);
      log.info({ shard, resuming: session !== null }, 'serving shard');
      const connecting = hooks.connect(client);
      // Dropped while connecting (lease lost): the client is gone and will never be ready.
      if ((await Promise.race([connecting, dropped])) === 'dropped') {
        connecting.catch(() => {});
        return;
      }
      await hooks.welcome(
        session ? await adoptShardGuilds(client, shard, shardCount) : [...client.guilds.cache.keys()],
      );
    },
    async drop(shard, why) {
      const held = clients.get(shard);
      clients.delete(shard);
      await sessions.detach(shard);
      if (held) {
        held.dropped();
        hooks.forget(held.client);
        await closeResumably(held.client);
      }
      log.info({ shard, why }, 'shard dropped');
    },
  };
  const fleet = new ShardFleet({ store, host, shardCount, leaseMs: plan.leaseMs, log });
  log.info(
    { processId: fleet.processId, shardCount, maxConcurrency: gateway.session_start_limit.max_concurrency },
    'joining the shard fleet',
  );
  await fleet.start();
  return {
    processId: fleet.processId,
    shardCount,
    held: () => fleet.held(),
    async stop() {
      await fleet.stop();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** Leaves the gateway without ending the session (a close code other than 1000), then tears the client down. */
async function closeResumably(client: Client): Promise<void> {
  // discord.js's Client#destroy closes with 1000, which ends the session for everyone.
  const ws = (
    client.ws as unknown as { _ws: { destroy(o: { code: number; reason: string }): Promise<void> } | null }
  )._ws;
  await ws?.destroy({ code: HANDOFF_CLOSE_CODE, reason: 'shard handed to another process' });
  await client.destroy();
}
