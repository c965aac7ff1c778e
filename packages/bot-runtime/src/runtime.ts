import { EventEmitter } from 'node:events';
import {
  type ActivityResult,
  type Clock,
  type ClusterStorage,
  createEconomy,
  type Economy,
  type LotteryDraw,
} from '@guildmint/sdk';
import { Client, type ClientOptions, Events, GatewayIntentBits, REST, Routes } from 'discord.js';
import type { Logger } from 'pino';
import { ActivityHandler } from './activity.js';
import { makeCache } from './caches.js';
import { DiscordClients } from './clients.js';
import { commandModules } from './commands/index.js';
import type { LogLevel } from './env.js';
import { type RunningFleet, startFleet } from './fleet/run.js';
import { installPacketGuard } from './guard.js';
import { IncomingInteraction } from './incoming.js';
import { type HandledEvent, InteractionDispatcher, unknownCommandReply } from './interactions.js';
import { loadCommands } from './loader.js';
import { LogChannel } from './log-channel.js';
import { AuditFeed } from './log-channel-audit.js';
import { createLogger } from './logger.js';
import { LotteryDraws } from './lottery-draws.js';
import { type HealthReport, type HttpEndpoint, RuntimeMetrics, serveHttp } from './metrics.js';
import type { PackShop } from './packs.js';
import { DiscordPlanRail, type EntitlementCheck, type SkuPlans } from './plan-rail.js';
import { type PresenceReport, PresenceReporter } from './presence.js';
import { InteractionCalls } from './respond.js';
import { roleGrantRefusal } from './roles.js';
import { resolveShards, type ShardPlan, shardForGuild } from './sharding.js';
import { CommandSync, type SyncResult } from './sync.js';
import { type SweepResult, TenantManager } from './tenants.js';
import { memberOverRest, TradeLeavers } from './trade-leavers.js';

export interface RuntimeOptions {
  /** The bot token (`DISCORD_TOKEN`). */
  token: string;
  /** The application id (`DISCORD_APPLICATION_ID`): guild commands are registered under it. */
  applicationId: string;
  /** The REST base URL (`DISCORD_API_URL`), default Discord's; the gateway URL comes from its `/gateway/bot`. */
  apiUrl?: string;
  /**
   * `DATABASE_URL`: a postgres:// URL, or `file:<path>` (default `file:guildmint.db`); or, from `GUILDMINT_CLUSTERS`,
   * tenants across PostgreSQL clusters. Ignored with `economy`.
   */
  storage?: string | ClusterStorage;
  /**
   * `GUILDMINT_ECONOMY_WRITER_THREAD` (default on): a `file:` economy's writer (SQLite's statements and
   * fsyncs) on a thread of its own (the SDK's `writerThread`), so a commit's fsync never holds the thread that
   * reads the gateway and answers interactions; false keeps it there. bench:runtime, embedded, 1,000 guilds,
   * six alternated pairs on 2 cores: median 1,386 interactions/s with the thread, 1,160 without, CPU per
   * interaction alike. Ignored with `economy`.
   */
  writerThread?: boolean;
  /** `REDIS_URL`: shares rate limits (and more) across processes. Ignored with `economy`. */
  cache?: string;
  /** An economy opened by the caller; `stop()` then leaves it open. */
  economy?: Economy;
  /**
   * `GUILDMINT_ENFORCE_PLANS=true`: hold each guild to its Guildmint plan (the SDK's `enforcePlans`), such as
   * its members with a balance. For Guildmint's hosted bot. Ignored with `economy`.
   */
  enforcePlans?: boolean;
  /** Which shards this process runs (default: all Discord recommends). */
  shards?: ShardPlan;
  /** Port for `/metrics` and `/healthz` (0: any free port); `off` (the default) serves nothing. */
  metricsPort?: number | 'off';
  /** Address they listen on (`METRICS_HOST`); default 127.0.0.1, so only this machine reaches them. */
  metricsHost?: string;
  logger?: Logger;
  logLevel?: LogLevel;
  /** Where "now" comes from, for the SDK and the commands (tests). */
  clock?: Clock;
  /** Defer an interaction whose answer is not ready after this long (default 1500 ms). */
  deferAfterMs?: number;
  /**
   * How often the periodic job runs (default 30 s): abandoned rounds settled, the auto-balancer (once a
   * day per tenant), idle tenants unloaded, failed presence reports retried.
   */
  sweepIntervalMs?: number;
  /** A tenant untouched this long is unloaded (default 2 h, beyond any blackjack timeout). */
  tenantIdleMs?: number;
  /** How long `stop()` waits for interactions in flight (default 10 s). */
  drainTimeoutMs?: number;
  /** How long `start()` waits for the gateway to be ready (default 60 s). */
  readyTimeoutMs?: number;
  /** Command modules by file name, checked like the built-in ones (default: the built-in commands). */
  commandModules?: Readonly<Record<string, unknown>>;
  /**
   * `DISCORD_SKU_PLANS`: the plan each Discord guild subscription SKU grants. With none (the default),
   * entitlements are not read and Discord grants no plan.
   */
  skuPlans?: SkuPlans;
  /** Currency packs: where `/buy pack:` gets Checkout links (the control plane). None: no packs. */
  packs?: PackShop;
  /**
   * `GUILDMINT_PUBLIC_URL`: the control plane's public address. A guild whose config has
   * `publicLeaderboard` on gets a link to its page there in `/leaderboard`. None: no link.
   */
  publicUrl?: string;
}

/** What the runtime tells its owner (tests wait on these instead of sleeping). */
export interface RuntimeEvents {
  ready: [];
  commandsSynced: [SyncResult];
  configChanged: [{ guildId: string; version: number }];
  interaction: [HandledEvent];
  payloadRejected: [{ event: string; reason: string }];
  /** One pass of the periodic job: abandoned rounds settled, auto-balancer runs, idle tenants unloaded. */
  swept: [SweepResult];
  /** The bot's presence in a guild was reported to its economy (joined: true, left: false). */
  presenceReported: [PresenceReport];
  /** A guild's Discord entitlements were read and recorded (after an entitlement event, at start-up). */
  entitlementsChecked: [EntitlementCheck];
  /** A message or voice period was handled for activity income (rewarded or not). */
  activity: [{ guildId: string; result: ActivityResult }];
  /** A lottery round was drawn by the sweep (replayed: another process drew it first). */
  lotteryDrawn: [{ guildId: string; draw: LotteryDraw }];
  /** A guild's audit log was followed for its log channel (posted: admin events queued, 0 when none). */
  auditFollowed: [{ guildId: string; posted: number }];
  /** The sweep found a member of an open trade gone (count: trades it called off, 0 if already closed). */
  tradesAbandoned: [{ guildId: string; userId: string; count: number }];
}

export interface Runtime {
  readonly economy: Economy;
  readonly metrics: RuntimeMetrics;
  readonly events: EventEmitter<RuntimeEvents>;
  /** The discord.js client, once `start()` has created it (in a fleet: the first of its shards' clients). */
  readonly client: Client | undefined;
  /** Where `/metrics` and `/healthz` are served, once started (undefined when off). */
  readonly metricsUrl: string | undefined;
  /** Connect to Discord, register every guild's commands; resolves when ready. */
  start(): Promise<void>;
  /** Disconnect from the gateway (no new interactions), finish those in flight, close the economy. Idempotent. */
  stop(): Promise<void>;
  health(): HealthReport;
  /** Resolves when every command registration requested so far is done. */
  commandsSynced(): Promise<void>;
}

const DEFAULT_API = 'https://discord.com/api';
/** How long a stopping runtime keeps posting what waits for the log channels. */
const LOG_DRAIN_MS = 5_000;

/**
 * The multi-tenant bot: one process, many guilds, each guild a tenant of the economy. Loads and checks
 * the command files at once (a bad one throws here, before anything connects).
 */
export function createRuntime(options: RuntimeOptions): Runtime {
  const commands = loadCommands(options.commandModules ?? commandModules);
  const rootLog = options.logger ?? createLogger({ level: options.logLevel ?? 'info' });
  const metrics = new RuntimeMetrics();
  const events = new EventEmitter<RuntimeEvents>();
  const ownsEconomy = options.economy === undefined;
  const economy =
    options.economy ??
    createEconomy({
      storage: options.storage ?? 'file:guildmint.db',
      writerThread: options.writerThread ?? true,
      ...(options.cache !== undefined && { cache: options.cache }),
      ...(options.clock !== undefined && { clock: options.clock }),
      ...(options.enforcePlans === true && { enforcePlans: true }),
    });
  const clock = options.clock ?? { now: () => new Date() };
  const apiUrl = options.apiUrl ?? DEFAULT_API;
  const rest = new REST({ api: apiUrl }).setToken(options.token);
  const isMember = memberOverRest(rest);

  let status: HealthReport['status'] = 'starting';
  const clients = new DiscordClients();
  let started = false;
  let fleet: RunningFleet | undefined;
  let http: HttpEndpoint | undefined;
  let shardIds: number[] = [];
  let shardCount = 1;
  let sweepTimer: NodeJS.Timeout | undefined;
  let unwatchConfigs: (() => void) | undefined;
  let stopping: Promise<void> | undefined;
  let log = rootLog;

  const logChannel = new LogChannel({
    post: (channelId, body) => rest.post(Routes.channelMessages(channelId), { body }),
    log: rootLog,
  });
  const auditFeed = new AuditFeed({
    economy,
    logChannel,
    log: rootLog,
    now: () => clock.now().getTime(),
    guilds: () => clients.guildIds(),
    onFollowed: (guildId, posted) => events.emit('auditFollowed', { guildId, posted }),
  });
  const tenants = new TenantManager(economy, {
    metrics,
    log: rootLog,
    now: () => clock.now().getTime(),
    idleMs: options.tenantIdleMs ?? 2 * 3_600_000,
  });
  const sync = new CommandSync({
    rest,
    applicationId: options.applicationId,
    economy,
    commands,
    log: rootLog,
    onSynced: (result) => events.emit('commandsSynced', result),
  });
  const presence = new PresenceReporter({
    economy,
    log: rootLog,
    onReported: (report) => events.emit('presenceReported', report),
  });
  const planRail = new DiscordPlanRail({
    rest,
    applicationId: options.applicationId,
    economy,
    skuPlans: options.skuPlans ?? new Map(),
    log: rootLog,
    now: () => clock.now(),
    onChecked: (check) => events.emit('entitlementsChecked', check),
  });
  const dispatcher = new InteractionDispatcher({
    logChannel,
    tenants,
    commands,
    sync,
    metrics,
    log: rootLog,
    now: () => clock.now(),
    deferAfterMs: options.deferAfterMs ?? 1_500,
    rest,
    knowsGuild: (guildId) => clients.has(guildId),
    shardOf: (guildId) => (/^\d{1,21}$/.test(guildId) ? shardForGuild(guildId, shardCount) : null),
    async grantRole(guildId, userId, roleId) {
      try {
        await rest.put(Routes.guildMemberRole(guildId, userId, roleId), {
          reason: 'Guildmint shop purchase',
        });
        return true;
      } catch (error) {
        log.warn(
          { guildId, tenant: guildId, userId, roleId, err: error },
          'could not grant a purchased role',
        );
        return false;
      }
    },
    async roleRefusal(guildId, roleId) {
      const guild = clients.guild(guildId);
      return guild ? roleGrantRefusal(guild, roleId) : 'this server is not available to me right now';
    },
    onHandled: (event) => {
      // An admin command wrote to the audit log: post it now rather than at the next sweep.
      if (event.command === 'eco' && event.ok && event.guildId) void auditFeed.follow(event.guildId);
      events.emit('interaction', event);
    },
    packs: options.packs ?? null,
    isMember,
    publicUrl: options.publicUrl ?? null,
  });

  const postMessage = (channelId: string, content: string, userIds: string[]) =>
    rest.post(Routes.channelMessages(channelId), { body: { content, allowed_mentions: { users: userIds } } });
  const activity = new ActivityHandler({
    economy,
    log: rootLog,
    metrics,
    now: () => clock.now().getTime(),
    announce: (channelId, content, userId) => postMessage(channelId, content, [userId]),
    async grantRole(guildId, userId, roleId) {
      // The same rules as a shop role: never a role above the bot's, never one with dangerous permissions.
      const guild = clients.guild(guildId);
      const refusal = guild
        ? await roleGrantRefusal(guild, roleId)
        : 'this server is not available to me right now';
      if (refusal) {
        log.warn({ guildId, tenant: guildId, userId, roleId, refusal }, 'a level role reward was refused');
        return false;
      }
      try {
        await rest.put(Routes.guildMemberRole(guildId, userId, roleId), { reason: 'Guildmint level reward' });
        return true;
      } catch (error) {
        log.warn({ guildId, tenant: guildId, userId, roleId, err: error }, 'could not grant a level role');
        return false;
      }
    },
    onRewarded: (guildId, result) => events.emit('activity', { guildId, result }),
  });
  const tradeLeavers = new TradeLeavers({
    economy,
    log: rootLog,
    guilds: () => clients.guildIds(),
    isMember,
    onAbandoned: (guildId, userId, count) => events.emit('tradesAbandoned', { guildId, userId, count }),
  });
  const lotteryDraws = new LotteryDraws({
    economy,
    log: rootLog,
    guilds: () => clients.guildIds(),
    announce: (channelId, content) => postMessage(channelId, content, []),
    onDrawn: (guildId, draw) => events.emit('lotteryDrawn', { guildId, draw }),
  });

  const requestSync = (guildId: string) =>
    sync.request(guildId).catch((error: unknown) => {
      log.warn(
        { guildId, tenant: guildId, err: error },
        'command registration failed; retried on the next sweep',
      );
      return undefined;
    });

  /** The sweep under way, if any: stop() waits for it before closing the economy under it. */
  let sweeping: Promise<void> | undefined;
  function sweep(): Promise<void> {
    if (sweeping || status !== 'ready') return sweeping ?? Promise.resolve();
    sweeping = runSweep().finally(() => {
      sweeping = undefined;
    });
    return sweeping;
  }

  async function runSweep(): Promise<void> {
    events.emit('swept', await tenants.sweep());
    activity.settleVoice();
    await lotteryDraws.run();
    await auditFeed.run();
    await tradeLeavers.run();
    presence.retryFailed();
    planRail.retryFailed();
    // Configs published by another process on a store without notifications (libSQL): catch up.
    for (const loaded of tenants.list()) {
      if (!clients.has(loaded.id)) continue;
      const config = await loaded.config().catch(() => undefined);
      if (config && sync.syncedVersion(loaded.id) !== config.version) void requestSync(loaded.id);
    }
  }

  function wire(c: Client): void {
    installPacketGuard(c, {
      log: rootLog,
      metrics,
      onInteraction: (payload) => dispatcher.handle(new IncomingInteraction(payload)),
      answerUnknown: (id, token) =>
        new InteractionCalls(rest, { id, token, applicationId: options.applicationId }).reply(
          unknownCommandReply('I could not understand that request'),
        ),
      onRejected: (event, reason) => events.emit('payloadRejected', { event, reason }),
      onActivity: (event, d) =>
        event === 'MESSAGE_CREATE' ? activity.onMessage(d) : activity.onVoiceState(d),
      onGuildCreate: (d) => activity.onGuildCreate(d),
    });
    // A guild the bot joined while running (GUILD_CREATE after READY): register its commands, report it.
    c.on(Events.GuildCreate, (guild) => {
      log.info({ guildId: guild.id, tenant: guild.id, name: guild.name }, 'joined a guild');
      void requestSync(guild.id);
      void presence.report(guild.id, true);
    });
    // A guild back from an outage: it never left.
    c.on(Events.GuildAvailable, (guild) => {
      void requestSync(guild.id);
      void presence.ensurePresent(guild.id);
    });
    // Removed from the guild (kicked, or the guild was deleted); an outage is GuildUnavailable instead.
    c.on(Events.GuildDelete, (guild) => {
      log.info({ guildId: guild.id, tenant: guild.id }, 'left a guild');
      sync.forget(guild.id);
      void presence.report(guild.id, false);
    });
    // Premium Apps: an entitlement event is a hint to re-read the guild's entitlements over REST.
    c.on(Events.EntitlementCreate, (entitlement) => void planRail.hint(entitlement));
    c.on(Events.EntitlementUpdate, (_old, entitlement) => void planRail.hint(entitlement));
    c.on(Events.EntitlementDelete, (entitlement) => void planRail.hint(entitlement));
    c.on(Events.Error, (error) => log.error({ err: error }, 'discord.js error'));
    c.on(Events.Warn, (message) => log.warn({ message }, 'discord.js warning'));
    c.on(Events.ShardError, (error, shard) => log.error({ shard, err: error }, 'shard error'));
    c.on(Events.ShardReady, (shard) => log.info({ shard }, 'shard ready'));
    c.on(Events.ShardDisconnect, (event, shard) =>
      log.warn({ shard, code: event.code }, 'shard disconnected'),
    );
    c.on(Events.ShardReconnecting, (shard) => log.info({ shard }, 'shard reconnecting'));
    c.on(Events.ShardResume, (shard, replayed) => log.info({ shard, replayed }, 'shard resumed'));
  }

  /** A wired discord.js client for these shards (not yet logged in). */
  function createClient(shards: Pick<ClientOptions, 'shards' | 'shardCount' | 'ws'>): Client {
    const c = new Client({
      // Guilds only: interactions carry the member's roles, join date and permissions, so no privileged
      // intent (Server Members) is needed.
      intents: [
        GatewayIntentBits.Guilds,
        // Activity income: who posted where, and who sits in voice. Never MessageContent (privileged).
        GatewayIntentBits.GuildMessages,
        GatewayIntentBits.GuildVoiceStates,
      ],
      makeCache,
      rest: { api: apiUrl },
      ...shards,
    });
    clients.add(c);
    wire(c);
    return c;
  }

  /** Logs a client in; resolves once it is ready (or rejects after `readyTimeoutMs`). */
  async function connect(c: Client): Promise<void> {
    const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
    let readyTimer: NodeJS.Timeout | undefined;
    const ready = new Promise<void>((resolve, reject) => {
      readyTimer = setTimeout(
        () => reject(new Error(`the gateway was not ready within ${readyTimeoutMs} ms`)),
        readyTimeoutMs,
      );
      c.once(Events.ClientReady, () => resolve());
    });
    try {
      await Promise.all([c.login(options.token), ready]);
    } finally {
      clearTimeout(readyTimer);
    }
  }

  /** Guilds a shard brought: commands registered, presence reported, Discord entitlements re-read. */
  async function welcome(guildIds: string[]): Promise<void> {
    await Promise.all([
      ...guildIds.map((guildId) => requestSync(guildId)),
      ...guildIds.map((guildId) => presence.ensurePresent(guildId)),
      planRail.checkAll(guildIds),
    ]);
  }

  const runtime: Runtime = {
    economy,
    metrics,
    events,
    get client() {
      return clients.first();
    },
    get metricsUrl() {
      return http?.url;
    },
    health: () => ({
      status,
      shards: fleet ? fleet.held() : shardIds,
      tenantsLoaded: tenants.size,
      inFlight: dispatcher.inFlightCount,
    }),
    commandsSynced: () => sync.idle(),

    async start() {
      if (started) throw new Error('the runtime is already started');
      started = true;
      await economy.migrate();
      if (options.metricsPort !== undefined && options.metricsPort !== 'off') {
        http = await serveHttp({
          port: options.metricsPort,
          ...(options.metricsHost !== undefined && { host: options.metricsHost }),
          metrics,
          health: runtime.health,
        });
        rootLog.info({ url: http.url }, 'metrics and health served');
      }
      unwatchConfigs = economy.onConfigChange((change) => {
        events.emit('configChanged', { guildId: change.tenant, version: change.version });
        if (clients.has(change.tenant) || tenants.peek(change.tenant)) {
          log.info(
            { guildId: change.tenant, tenant: change.tenant, version: change.version },
            'config published',
          );
          void requestSync(change.tenant);
        }
      });
      const plan = options.shards ?? { kind: 'auto' };
      if (plan.kind === 'fleet') {
        log = rootLog.child({ fleet: true });
        fleet = await startFleet(plan, {
          rest,
          applicationId: options.applicationId,
          log,
          createClient: (shard, count, ws) => createClient({ shards: [shard], shardCount: count, ws }),
          connect,
          forget: (c) => clients.delete(c),
          welcome,
        });
        shardCount = fleet.shardCount;
        log.info({ shards: fleet.held(), shardCount }, 'serving its share of the fleet');
      } else {
        const shards = await resolveShards(plan, async () => {
          const gateway = (await rest.get(Routes.gatewayBot())) as { shards?: number };
          return gateway.shards ?? 1;
        });
        if (shards !== 'auto') {
          shardIds = shards.ids;
          shardCount = shards.count;
        }
        log = rootLog.child(shards === 'auto' ? { shards: 'auto' } : { shards: shardIds, shardCount });
        const c = createClient(
          shards === 'auto' ? { shards: 'auto' } : { shards: shards.ids, shardCount: shards.count },
        );
        await connect(c);
        if (shards === 'auto') {
          shardIds = [...c.ws.shards.keys()];
          shardCount = c.options.shardCount ?? shardIds.length;
        }
        log.info({ guilds: c.guilds.cache.size, user: c.user?.tag }, 'connected to Discord');
        // Every guild READY brought: its commands registered, its presence reported (written only where
        // the store does not already say the bot is there) and its Discord entitlements re-read (events
        // missed while no process held the shard) before we say ready.
        await welcome([...c.guilds.cache.keys()]);
      }
      sweepTimer = setInterval(
        () => void sweep().catch((err: unknown) => log.warn({ err }, 'periodic sweep failed')),
        options.sweepIntervalMs ?? 30_000,
      );
      sweepTimer.unref();
      status = 'ready';
      events.emit('ready');
    },

    stop() {
      stopping ??= (async () => {
        status = 'draining';
        dispatcher.startDraining();
        // Leave the gateway before draining: the session ends (close 1000), so Discord stops sending this
        // process interactions and a process taking over the shards gets them instead. The ones in flight
        // still answer: interaction callbacks and webhooks need no bot token, only the interaction's own.
        // In a fleet the shards are handed on instead: their sessions stay resumable for the processes
        // taking them over.
        if (fleet) await fleet.stop();
        else await Promise.all(clients.list().map((c) => c.destroy()));
        const drained = await dispatcher.drain(options.drainTimeoutMs ?? 10_000);
        if (!drained)
          log.warn({ inFlight: dispatcher.inFlightCount }, 'stopped before every interaction finished');
        clearInterval(sweepTimer);
        // Post what is queued and move the audit cursor past it; what is not posted in time, the next process posts.
        await auditFeed.stop(LOG_DRAIN_MS);
        unwatchConfigs?.();
        await Promise.race([
          Promise.all([sync.idle(), presence.idle(), planRail.idle(), sweeping, activity.idle()]),
          new Promise((resolve) => setTimeout(resolve, 2_000).unref()),
        ]);
        await http?.close();
        if (ownsEconomy) await economy.close();
        status = 'stopped';
        log.info('stopped');
      })();
      return stopping;
    },
  };
  return runtime;
}
