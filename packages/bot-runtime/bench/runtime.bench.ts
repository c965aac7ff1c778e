/**
 * End-to-end runtime benchmark: the Discord simulator (this process) → the real runtime with its discord.js
 * client (a child process, as in production) → SDK → store → reply. Many simulated members run /balance,
 * /daily (a faucet without cooldown), /coinflip and /pay with a bounded number in flight, spread over 1, 100
 * and 1,000 guilds, embedded (libSQL file, in-process cache) and on PostgreSQL + Redis. Also the bot's RSS
 * growth per 1,000 guilds joined and per 1,000 tenants loaded (one interaction each), extrapolated to 10,000,
 * and, measured rather than extrapolated, the RSS 10,000 joined guilds cost (then one member of each runs a
 * command, to show members and users do not pile up in discord.js's caches).
 *
 *   pnpm bench:runtime [-- --seconds 3 --warmup 1 --backends embedded,postgres --guilds 1,100,1000]
 *
 * Only loopback traffic; every cell is time-boxed; the bot process is stopped at the end (and exits by
 * itself if this process dies). Prints tables and writes bench/results/runtime-<timestamp>.json.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DiscordSimulator, type SimReply, type SlashOptions } from '@guildmint/discord-simulator';
import { defineEconomy, presets } from '@guildmint/sdk';
import type {
  Envelope,
  InitRequest,
  MemoryReport,
  ProfileNode,
  Reply,
  Request,
  RuntimeStats,
} from './protocol.js';
import { TinyRedis } from './redis.js';
import { common, harness, type Machine, type PostgresCpuMonitor, report, serverCpu } from './shared.js';

const { cliArgs, list, positive, nonNegative, oneOf, round, table, whole, ms } = common;

const BACKENDS = ['embedded', 'postgres'] as const;
type Backend = (typeof BACKENDS)[number];
const COMMANDS = ['balance', 'daily', 'coinflip', 'pay'] as const;
type CommandName = (typeof COMMANDS)[number];

/** Issue 12's targets: interactions/s per backend (1,000 guilds, 64 in flight) at p99 ≤ 50 ms. */
const TARGET = { perSecond: { embedded: 2_500, postgres: 1_500 }, p99Ms: 50, rssMbPer10k: 100 };

const HELP = `usage: tsx bench/runtime.bench.ts [options]
  --seconds N          measured seconds per cell (default 3)
  --warmup N           warm-up seconds per cell (default 1)
  --backends LIST      embedded (libSQL file) and/or postgres (PostgreSQL + Redis) (default both)
  --guilds LIST        guilds the traffic is spread over, one cell each (default 1,100,1000)
  --concurrency LIST   interactions in flight (default 64)
  --commands LIST      the mix, in equal parts (default balance,daily,coinflip,pay)
  --memory-guilds N    guilds joined then loaded per memory step (default 1000; 0 skips the memory phase)
  --memory-steps N     memory steps (default 2)
  --joined-guilds N    guilds joined at the end, in steps of 1,000, for RSS per 10,000 joined (default 10000; 0 skips)
  --profile-seconds N  a CPU profile of the bot process over a 1,000-guild run (default 3; 0: none)
  --profile-out DIR    also write that raw profile there (runtime-<backend>.cpuprofile), for DevTools or a script
  --log-level LEVEL    the bot's log level; logs go to a temporary file (default info, as in production)
  --pg-url URL         admin connection (default $DATABASE_URL or postgres://postgres@127.0.0.1:5432/test)
  --pg-db NAME         database created for the run and dropped after (default gm_bench_runtime)
  --no-pg-analyze      do not ANALYZE between warm-up and measurement (plans of a never-analyzed database)
  --events on|off      off: the guilds write no webhook events, as the hosted service runs a guild with no
                       endpoint (WebhookOutbox.recordEvents) (default on, the SDK's default)
  --redis-url URL      (default $REDIS_URL or redis://127.0.0.1:6379); keys get a per-run prefix, removed after
  --out DIR            where the JSON goes (default <repo>/bench/results)`;

const { values: args } = parseArgs({
  args: cliArgs(),
  options: {
    seconds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1' },
    backends: { type: 'string', default: BACKENDS.join(',') },
    guilds: { type: 'string', default: '1,100,1000' },
    concurrency: { type: 'string', default: '64' },
    commands: { type: 'string', default: COMMANDS.join(',') },
    'memory-guilds': { type: 'string', default: '1000' },
    'memory-steps': { type: 'string', default: '2' },
    'joined-guilds': { type: 'string', default: '10000' },
    'profile-seconds': { type: 'string', default: '3' },
    'profile-out': { type: 'string' },
    'log-level': { type: 'string', default: 'info' },
    'pg-url': {
      type: 'string',
      default: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
    'pg-db': { type: 'string', default: 'gm_bench_runtime' },
    'no-pg-analyze': { type: 'boolean', default: false },
    events: { type: 'string', default: 'on' },
    'redis-url': { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    out: { type: 'string', default: fileURLToPath(new URL('../../../bench/results', import.meta.url)) },
    help: { type: 'boolean', short: 'h', default: false },
  },
  allowPositionals: false,
});

if (args.help) {
  console.log(HELP);
  process.exit(0);
}

const seconds = positive(args.seconds, 'seconds');
const warmup = nonNegative(args.warmup, 'warmup');
const backends = list(args.backends).map((b) => oneOf(b, BACKENDS, 'backends'));
const guildCounts = list(args.guilds).map((g) => Math.floor(positive(g, 'guilds')));
const concurrencies = list(args.concurrency).map((c) => Math.floor(positive(c, 'concurrency')));
const mix = list(args.commands).map((c) => oneOf(c, COMMANDS, 'commands'));
const memoryGuilds = Math.floor(nonNegative(args['memory-guilds'], 'memory-guilds'));
const memorySteps = Math.floor(positive(args['memory-steps'], 'memory-steps'));
const joinedGuilds = Math.floor(nonNegative(args['joined-guilds'], 'joined-guilds'));
const profileSeconds = nonNegative(args['profile-seconds'], 'profile-seconds');
const logLevel = oneOf(
  args['log-level'],
  ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'],
  'log-level',
);
const maxGuilds = Math.max(...guildCounts);
const pgAnalyze = !args['no-pg-analyze'];
const recordEvents = oneOf(args.events, ['on', 'off'] as const, 'events') === 'on';

// /daily without cooldown (its streak counts once a day, as configured), the member limit at its maximum.
const classic = presets.classic;
const config = defineEconomy({
  ...classic,
  name: 'Runtime benchmark',
  faucets: { ...classic.faucets, daily: { ...classic.faucets.daily!, cooldownSeconds: 0 } },
  policy: { ...classic.policy, rateLimit: { perMemberPerMinute: 600 } },
});
const FUNDING = 1_000_000n;
const BET = 10;

/** Members per guild: enough that a member stays far below 600 money commands a minute in any cell. */
function membersOf(index: number): number {
  return index === 0 ? 512 : index < 100 ? 16 : 4;
}

interface CpuSample {
  bench: number;
  bot: number;
  postgres: number | undefined;
  redis: number | undefined;
}

interface ThroughputCell {
  backend: Backend;
  guilds: number;
  concurrency: number;
  interactions: number;
  errors: number;
  firstError?: string;
  deferred: number;
  seconds: number;
  perSecond: number;
  /** SimReply.latencyMs: INTERACTION_CREATE sent → final reply received, on the simulator's clock. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  ackP99Ms: number;
  /** The bot's own view (dispatcher: interaction received → answer sent). */
  botP50Ms: number;
  botP99Ms: number;
  botMeanMs: number;
  /**
   * SDK tenant calls the runtime made, per interaction: mean wall ms spent awaiting them, and by method (calls
   * per interaction, p50/p99 ms). The rest of the bot's time is discord.js, the command code and the reply.
   */
  sdkMsPerInteraction: number;
  sdkCalls: Record<string, { perInteraction: number; p50Ms: number; p99Ms: number }>;
  byCommand: Record<string, { count: number; errors: number; p50Ms: number; p99Ms: number }>;
  /** CPU µs per interaction: the bot process, the simulator process, PostgreSQL backends, Redis (server-wide). */
  cpuUs: { bot: number; simulator: number; postgres?: number; redis?: number };
  errorCodes: Record<string, number>;
  /** PostgreSQL statements per interaction (all, and by statement), counted in the bot process. */
  pgQueriesPerInteraction?: number;
  pgStatements?: Record<string, number>;
  verify: { ok: boolean; detail: string };
  loadAvg: number;
  meetsTarget: boolean;
}

interface MemoryStep {
  /** Guilds joined, or tenants loaded, so far in this phase. */
  count: number;
  memory: MemoryReport;
  ms: number;
}

interface MemoryResult {
  /** Settled readings: before joining, after every join step, then after every load step. */
  start: MemoryReport;
  joins: MemoryStep[];
  beforeLoad: MemoryReport;
  loads: MemoryStep[];
  /** Growth per 1,000 guilds, MB (1 MB = 2^20 bytes), over the whole phase. */
  perThousand: { joinedRssMb: number; joinedHeapMb: number; loadedRssMb: number; loadedHeapMb: number };
  /**
   * Extrapolated linearly to 10,000: loaded tenants (RSS, and heap), and joined + loaded (what a guild the bot
   * serves costs). The target is judged on the larger of RSS and heap growth: freed pages an earlier phase
   * left in the process can hide heap growth from RSS for a while, but not for 10,000 guilds.
   */
  per10k: { loadedRssMb: number; loadedHeapMb: number; totalRssMb: number };
  meetsTarget: boolean;
  loadAvg: number;
}

interface JoinedResult {
  guilds: number;
  /** Settled readings: before joining, after joining every guild, after one /balance in each. */
  start: MemoryReport;
  joined: MemoryReport;
  served: MemoryReport;
  joinMs: number;
  serveMs: number;
  /** Growth scaled to 10,000 guilds, MB (2^20 bytes): joined only, and joined + one command in each. */
  per10k: { joinedRssMb: number; joinedHeapMb: number; servedRssMb: number; servedHeapMb: number };
}

interface ProfileSummary {
  seconds: number;
  interactions: number;
  /** Self CPU ms of the bot process by where the code lives, and per interaction (µs). */
  categories: Array<{ category: string; ms: number; share: number; usPerInteraction: number }>;
  top: Array<{ category: string; fn: string; ms: number; share: number }>;
}

interface BackendResult {
  backend: Backend;
  storage: string;
  cache: string;
  startup: { preparedMs: number; startedMs: number; memory: MemoryReport; guilds: number; members: number };
  memory?: MemoryResult;
  joined?: JoinedResult;
  cells: ThroughputCell[];
  profile?: ProfileSummary;
  botLog: {
    lines: number;
    warnings: number;
    errors: number;
    /** Warning and error lines by message. */
    messages: Record<string, number>;
    firstWarning?: string;
    firstError?: string;
  };
}

/** The bot process, spoken to over IPC. */
class Bot {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    child.on('message', (message: Envelope<Reply>) => {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.body.ok) waiter?.resolve(message.body.result);
      else waiter?.reject(new Error(`bot process: ${message.body.error}`));
    });
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        for (const waiter of this.pending.values())
          waiter.reject(new Error(`the bot process exited (${code})`));
        this.pending.clear();
        resolve(code);
      }),
    );
  }

  ask<T>(body: Request): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, body } satisfies Envelope<Request>);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await this.ask({ type: 'stop' }).catch(() => {});
    await this.exited;
    clearTimeout(timer);
  }
}

async function main(): Promise<void> {
  const host = report.machine();
  console.log(report.describeMachine(host));
  console.log(
    `cells: ${backends.join(',')} × guilds ${guildCounts.join(',')} × ${concurrencies.join(',')} in flight; ` +
      `${warmup}s warm-up + ${seconds}s measured; mix ${mix.join(',')} in equal parts; ` +
      `memory: ${memorySteps} × ${memoryGuilds} guilds, then ${joinedGuilds} joined; bot log level ${logLevel}; PostgreSQL ` +
      (pgAnalyze ? 'ANALYZEd between warm-up and measurement' : 'never ANALYZEd by the benchmark') +
      `; webhook events ${recordEvents ? 'recorded' : 'not recorded'}`,
  );
  console.log(
    'note: the machine is shared; the load average is printed with every number, and cpu µs/interaction is ' +
      'steadier than interactions/s.\n',
  );
  const results: BackendResult[] = [];
  for (const backend of backends) results.push(await runBackend(backend));
  printSummary(host, results);
  const file = common.writeJson(args.out, 'runtime', {
    benchmark: 'runtime',
    startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(),
    machine: host,
    settings: {
      seconds,
      warmup,
      backends,
      guildCounts,
      concurrencies,
      mix,
      memoryGuilds,
      memorySteps,
      joinedGuilds,
      profileSeconds,
      logLevel,
      pgAnalyzeBeforeMeasuring: pgAnalyze,
      webhookEventsRecorded: recordEvents,
      bet: BET,
      funding: FUNDING,
      membersPerGuild: 'guild 0: 512, guilds 1-99: 16, others: 4; memory guilds: 1',
      targets: TARGET,
      topology:
        'simulator + load in the benchmark process; the runtime (discord.js client, SDK, libSQL) in a child ' +
        'process started with --expose-gc; PostgreSQL and Redis on loopback',
    },
    results,
  });
  console.log(`\nresults: ${file}`);
  const broken = results.flatMap((r) => r.cells).filter((c) => !c.verify.ok);
  if (broken.length > 0) {
    console.error('a ledger check FAILED: these numbers are worthless');
    process.exitCode = 1;
  }
}

async function runBackend(backend: Backend): Promise<BackendResult> {
  const dir = mkdtempSync(join(tmpdir(), 'gm-bench-runtime-'));
  const logPath = join(dir, 'bot.log');
  const sim = await DiscordSimulator.start({ tokenLifetimeMs: 120_000, replyTimeoutMs: 10_000 });
  let bot: Bot | undefined;
  let pgCpu: PostgresCpuMonitor | undefined;
  let redis: TinyRedis | undefined;
  const redisPrefix = `gm-bench-runtime-${process.pid}:`;
  let storage: string;
  let cache: string | undefined;
  const tag = `[${backend}]`;
  try {
    if (backend === 'embedded') {
      storage = `file:${join(dir, 'economy.db')}`;
    } else {
      storage = await common.recreateDatabase(args['pg-url'], args['pg-db']);
      const redisUrl = new URL(args['redis-url']);
      redisUrl.searchParams.set('keyPrefix', redisPrefix);
      cache = redisUrl.toString();
      redis = await TinyRedis.connect(args['redis-url']);
    }

    // The guilds the traffic goes to, with their members.
    const guilds: Array<{ id: string; members: string[] }> = [];
    for (let i = 0; i < maxGuilds; i++) {
      const guild = sim.addGuild({ name: `Bench ${i}` });
      const members: string[] = [];
      for (let m = 0; m < membersOf(i); m++)
        members.push(sim.addMember(guild.id, { username: `m${i}_${m}` }).userId);
      guilds.push({ id: guild.id, members });
    }
    const memberCount = guilds.reduce((n, g) => n + g.members.length, 0);

    console.log(`${tag} starting the bot: ${maxGuilds} guilds, ${memberCount} members to fund …`);
    const logFd = openSync(logPath, 'a');
    const child = fork(fileURLToPath(new URL('./runtime-child.ts', import.meta.url)), [], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      execArgv: ['--expose-gc', '--import', 'tsx'],
      stdio: ['ignore', logFd, 'pipe', 'ipc'],
      env: { ...process.env },
    });
    closeSync(logFd);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    bot = new Bot(child);
    const init: InitRequest = {
      type: 'init',
      token: sim.botToken,
      applicationId: sim.applicationId,
      apiUrl: sim.apiUrl,
      storage,
      ...(cache !== undefined && { cache }),
      logLevel,
      prepare: { config, funding: FUNDING.toString(), guilds, recordEvents },
    };
    const started = await bot
      .ask<{ preparedMs: number; startedMs: number; memory: MemoryReport }>(init)
      .catch((error: unknown) => {
        throw new Error(`${String(error)}\nstderr: ${stderr}`);
      });
    console.log(
      `${tag} prepared (configs, funding) in ${Math.round(started.preparedMs)} ms; started and synced in ` +
        `${Math.round(started.startedMs)} ms; RSS ${mb(started.memory.rss)} MB, heap ${mb(started.memory.heapUsed)} MB`,
    );
    if (backend === 'postgres') pgCpu = await serverCpu.PostgresCpu.open(args['pg-url'], args['pg-db']);

    const result: BackendResult = {
      backend,
      storage:
        backend === 'embedded' ? 'libSQL file (temporary directory)' : `PostgreSQL database ${args['pg-db']}`,
      cache: backend === 'embedded' ? 'in-process' : `Redis, key prefix ${redisPrefix}`,
      startup: { ...started, guilds: maxGuilds, members: memberCount },
      cells: [],
      botLog: { lines: 0, warnings: 0, errors: 0, messages: {} },
    };

    if (memoryGuilds > 0) result.memory = await memoryPhase(tag, sim, bot);
    await bot.ask({ type: 'time-sdk' });

    const analyze = backend === 'postgres' && pgAnalyze ? () => common.analyzeDatabase(storage) : undefined;
    const cpu = async (): Promise<CpuSample> => {
      const [botCpu, redisMs] = await Promise.all([
        bot!.ask<NodeJS.CpuUsage>({ type: 'cpu' }),
        redis?.cpuMs(),
      ]);
      const own = process.cpuUsage();
      return {
        bench: (own.user + own.system) / 1000,
        bot: (botCpu.user + botCpu.system) / 1000,
        postgres: pgCpu?.sample(),
        redis: redisMs,
      };
    };
    for (const concurrency of concurrencies) {
      for (const count of guildCounts) {
        const cell = await measuredCell({
          backend,
          sim,
          bot,
          guilds: guilds.slice(0, count),
          concurrency,
          warmupMs: warmup * 1000,
          measureMs: seconds * 1000,
          cpu,
          analyze,
        });
        result.cells.push(cell);
        console.log(`${tag} ${describeCell(cell)}`);
      }
    }

    if (profileSeconds > 0) {
      const active = guilds.slice(0, Math.min(1000, maxGuilds));
      console.log(`${tag} profiling the bot over ${profileSeconds}s, ${active.length} guilds …`);
      await bot.ask({ type: 'profile-start' });
      const saveTo = args['profile-out'] && join(args['profile-out'], `runtime-${backend}.cpuprofile`);
      let nodes: ProfileNode[] = [];
      const profiled = await measuredCell({
        backend,
        sim,
        bot,
        guilds: active,
        concurrency: Math.max(...concurrencies),
        warmupMs: 0,
        measureMs: profileSeconds * 1000,
        cpu,
        // Stopped before the cell verifies every guild's books, which is no part of serving them.
        drained: async () => {
          nodes = await bot!.ask<ProfileNode[]>({ type: 'profile-stop', ...(saveTo && { saveTo }) });
        },
      });
      if (saveTo) console.log(`${tag} raw profile: ${saveTo}`);
      result.profile = summarizeProfile(nodes, profileSeconds, profiled.interactions);
      console.log(`${tag} profile (${profiled.interactions} interactions, while profiling):`);
      console.log(formatProfile(result.profile));
    }

    // Last: 10,000 more guilds would weigh on every cell measured after them.
    if (joinedGuilds > 0) result.joined = await joinedPhase(tag, sim, bot, joinedGuilds);

    await bot.stop();
    bot = undefined;
    result.botLog = readBotLog(logPath);
    return result;
  } finally {
    if (bot) await bot.stop();
    await sim.close();
    await pgCpu?.close();
    if (redis) {
      const removed = await redis.deletePrefix(redisPrefix).catch(() => -1);
      console.log(`${tag} removed ${removed} Redis keys with prefix ${redisPrefix}`);
      redis.close();
    }
    if (backend === 'postgres') await common.dropDatabase(args['pg-url'], args['pg-db']).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Joins `memorySteps` × `memoryGuilds` new guilds (GUILD_CREATE: discord.js caches them, their commands are
 * registered), then loads their tenants with one /balance each, step by step; the bot's memory after full
 * collections at every step. Joining all guilds first keeps the garbage of joining out of the load readings.
 */
async function memoryPhase(tag: string, sim: DiscordSimulator, bot: Bot): Promise<MemoryResult> {
  const start = await bot.ask<MemoryReport>({ type: 'memory' });
  let synced = await bot.ask<number>({ type: 'synced' });
  const fresh: Array<{ guild: string; member: string }> = [];
  const joins: MemoryStep[] = [];
  for (let step = 1; step <= memorySteps; step++) {
    const started = performance.now();
    for (let i = 0; i < memoryGuilds; i++) {
      const guild = sim.addGuild({ name: `Memory ${step}-${i}` });
      fresh.push({
        guild: guild.id,
        member: sim.addMember(guild.id, { username: `mem${step}_${i}` }).userId,
      });
    }
    synced = await waitSynced(tag, bot, synced + memoryGuilds);
    const ms = performance.now() - started;
    const memory = await bot.ask<MemoryReport>({ type: 'memory' });
    const before = joins.at(-1)?.memory ?? start;
    joins.push({ count: step * memoryGuilds, memory, ms });
    sim.calls.length = 0;
    console.log(
      `${tag} memory: +${memoryGuilds} guilds joined in ${Math.round(ms)} ms → RSS +${mb(memory.rss - before.rss)} MB ` +
        `(heap +${mb(memory.heapUsed - before.heapUsed)} MB); ${memory.guildsCached} guilds cached, ` +
        `RSS ${mb(memory.rss)} MB; load ${load()}`,
    );
  }
  const beforeLoad = await bot.ask<MemoryReport>({ type: 'memory' });
  const loads: MemoryStep[] = [];
  for (let step = 1; step <= memorySteps; step++) {
    const started = performance.now();
    const batch = fresh.slice((step - 1) * memoryGuilds, step * memoryGuilds);
    let failed = 0;
    await common.pool(batch.length, 64, async (i) => {
      const reply = await sim.slash({
        guildId: batch[i]!.guild,
        userId: batch[i]!.member,
        command: 'balance',
      });
      if (reply.ephemeral) failed++;
    });
    if (failed > 0) console.log(`${tag} memory: ${failed} /balance answered with an error`);
    const ms = performance.now() - started;
    const memory = await bot.ask<MemoryReport>({ type: 'memory' });
    const before = loads.at(-1)?.memory ?? beforeLoad;
    loads.push({ count: step * memoryGuilds, memory, ms });
    sim.calls.length = 0;
    console.log(
      `${tag} memory: +${memoryGuilds} tenants loaded (one /balance each) in ${Math.round(ms)} ms → RSS ` +
        `+${mb(memory.rss - before.rss)} MB (heap +${mb(memory.heapUsed - before.heapUsed)} MB); ` +
        `${memory.tenantsLoaded} tenants loaded, RSS ${mb(memory.rss)} MB; load ${load()}`,
    );
  }
  const total = memorySteps * memoryGuilds;
  const perK = (bytes: number) => round(((bytes / total) * 1000) / 2 ** 20, 1);
  const lastJoin = joins.at(-1)!.memory;
  const lastLoad = loads.at(-1)!.memory;
  const perThousand = {
    joinedRssMb: perK(lastJoin.rss - start.rss),
    joinedHeapMb: perK(lastJoin.heapUsed - start.heapUsed),
    loadedRssMb: perK(lastLoad.rss - beforeLoad.rss),
    loadedHeapMb: perK(lastLoad.heapUsed - beforeLoad.heapUsed),
  };
  const per10k = {
    loadedRssMb: round(perThousand.loadedRssMb * 10, 0),
    loadedHeapMb: round(perThousand.loadedHeapMb * 10, 0),
    totalRssMb: round((perThousand.loadedRssMb + perThousand.joinedRssMb) * 10, 0),
  };
  return {
    start,
    joins,
    beforeLoad,
    loads,
    perThousand,
    per10k,
    meetsTarget: Math.max(per10k.loadedRssMb, per10k.loadedHeapMb) <= TARGET.rssMbPer10k,
    loadAvg: round(loadavg()[0]!, 2),
  };
}

/** Polls the bot until `want` guilds had their commands registered (bounded wait); the count reached. */
async function waitSynced(tag: string, bot: Bot, want: number): Promise<number> {
  const deadline = performance.now() + 180_000;
  for (;;) {
    const synced = await bot.ask<number>({ type: 'synced' });
    if (synced >= want) return synced;
    if (performance.now() > deadline) throw new Error(`${tag} only ${synced} of ${want} guilds synced`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The bot joins `count` guilds (one member each), 1,000 at a time, each registered; then that member of every
 * guild runs /balance once. RSS and heap after full collections: what joined guilds cost, measured, and that
 * serving them adds only the tenants (members and users are not kept by discord.js's caches).
 */
async function joinedPhase(
  tag: string,
  sim: DiscordSimulator,
  bot: Bot,
  count: number,
): Promise<JoinedResult> {
  const start = await bot.ask<MemoryReport>({ type: 'memory' });
  let synced = await bot.ask<number>({ type: 'synced' });
  const fresh: Array<{ guild: string; member: string }> = [];
  const joinStarted = performance.now();
  while (fresh.length < count) {
    const step = Math.min(1000, count - fresh.length);
    for (let i = 0; i < step; i++) {
      const n = fresh.length;
      const guild = sim.addGuild({ name: `Joined ${n}` });
      fresh.push({ guild: guild.id, member: sim.addMember(guild.id, { username: `joined${n}` }).userId });
    }
    synced = await waitSynced(tag, bot, synced + step);
    sim.calls.length = 0;
  }
  const joinMs = performance.now() - joinStarted;
  const joined = await bot.ask<MemoryReport>({ type: 'memory' });
  console.log(
    `${tag} joined: +${count} guilds in ${Math.round(joinMs)} ms → RSS +${mb(joined.rss - start.rss)} MB ` +
      `(heap +${mb(joined.heapUsed - start.heapUsed)} MB); ${joined.guildsCached} guilds cached; load ${load()}`,
  );
  const serveStarted = performance.now();
  let failed = 0;
  await common.pool(fresh.length, 64, async (i) => {
    const reply = await sim.slash({ guildId: fresh[i]!.guild, userId: fresh[i]!.member, command: 'balance' });
    if (reply.ephemeral) failed++;
  });
  sim.calls.length = 0;
  const serveMs = performance.now() - serveStarted;
  const served = await bot.ask<MemoryReport>({ type: 'memory' });
  console.log(
    `${tag} joined: one /balance in each (${failed} errors) in ${Math.round(serveMs)} ms → RSS ` +
      `+${mb(served.rss - joined.rss)} MB; ${served.usersCached} users and ${served.membersCached} members ` +
      `cached, ${served.tenantsLoaded} tenants loaded; load ${load()}`,
  );
  const per10k = (bytes: number) => round(((bytes / count) * 10_000) / 2 ** 20, 0);
  return {
    guilds: count,
    start,
    joined,
    served,
    joinMs: round(joinMs, 0),
    serveMs: round(serveMs, 0),
    per10k: {
      joinedRssMb: per10k(joined.rss - start.rss),
      joinedHeapMb: per10k(joined.heapUsed - start.heapUsed),
      servedRssMb: per10k(served.rss - start.rss),
      servedHeapMb: per10k(served.heapUsed - start.heapUsed),
    },
  };
}

interface CellOptions {
  backend: Backend;
  sim: DiscordSimulator;
  bot: Bot;
  guilds: Array<{ id: string; members: string[] }>;
  concurrency: number;
  warmupMs: number;
  measureMs: number;
  cpu(): Promise<CpuSample>;
  /** PostgreSQL: refresh the planner's statistics between the warm-up and the measurement. */
  analyze?: (() => Promise<void>) | undefined;
  /** Called once the measured traffic has drained, before the books are verified (a profile stops here). */
  drained?: () => Promise<void>;
}

/** A cell; with `analyze`, the warm-up runs first, then ANALYZE, then the measured window. */
async function measuredCell(o: CellOptions): Promise<ThroughputCell> {
  if (!o.analyze) return (await throughputCell(o))!;
  if (o.warmupMs > 0) await throughputCell({ ...o, warmupMs: 0, measureMs: o.warmupMs }, true);
  await o.analyze();
  return (await throughputCell({ ...o, warmupMs: 0 }))!;
}

/**
 * `concurrency` simulated members, each sending its next interaction when the last was answered. After the
 * warm-up, every reply received inside the window counts, with the latency the simulator measured.
 */
async function throughputCell(o: CellOptions, warmupOnly = false): Promise<ThroughputCell | undefined> {
  const latencies: number[] = [];
  const acks: number[] = [];
  const perCommand = new Map<CommandName, { latencies: number[]; errors: number }>();
  let interactions = 0;
  let errors = 0;
  let deferred = 0;
  let firstError: string | undefined;
  let turn = 0;

  const next = (): { command: CommandName; slash: SlashOptions } => {
    const command = mix[turn++ % mix.length]!;
    const guild = o.guilds[Math.floor(Math.random() * o.guilds.length)]!;
    const m = Math.floor(Math.random() * guild.members.length);
    const userId = guild.members[m]!;
    const base = { guildId: guild.id, userId, command };
    switch (command) {
      case 'coinflip':
        return {
          command,
          slash: { ...base, options: { bet: BET, side: Math.random() < 0.5 ? 'heads' : 'tails' } },
        };
      case 'pay':
        return {
          command,
          slash: { ...base, options: { member: guild.members[(m + 1) % guild.members.length]!, amount: 1 } },
        };
      default:
        return { command, slash: base };
    }
  };

  const windowStart = performance.now() + o.warmupMs;
  const windowEnd = windowStart + o.measureMs;
  let cpuStart: Promise<CpuSample> | undefined;
  let cpuEnd: Promise<CpuSample> | undefined;
  let statsReset: Promise<unknown> | undefined;
  const worker = async () => {
    for (;;) {
      const started = performance.now();
      if (started >= windowStart) {
        cpuStart ??= o.cpu();
        statsReset ??= o.bot.ask({ type: 'stats' });
      }
      if (started >= windowEnd) {
        cpuEnd ??= o.cpu();
        return;
      }
      const { command, slash } = next();
      let reply: SimReply | undefined;
      let failure: string | undefined;
      try {
        reply = await o.sim.slash(slash);
        if (reply.ephemeral) failure = `/${command}: ${describeReply(reply)}`;
      } catch (error) {
        failure = `/${command}: ${error instanceof Error ? error.message : String(error)}`;
      }
      const ended = performance.now();
      if (ended < windowStart || ended > windowEnd) continue;
      const latency = reply?.latencyMs ?? ended - started;
      latencies.push(latency);
      if (reply) acks.push(reply.ackLatencyMs);
      if (reply?.deferred) deferred++;
      const entry = perCommand.get(command) ?? { latencies: [], errors: 0 };
      perCommand.set(command, entry);
      entry.latencies.push(latency);
      if (failure === undefined) {
        interactions++;
      } else {
        errors++;
        entry.errors++;
        firstError ??= failure;
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  if (warmupOnly) {
    await Promise.all([cpuStart, cpuEnd, statsReset]);
    return undefined;
  }
  await o.drained?.();
  const first = await (cpuStart ?? o.cpu());
  const last = await (cpuEnd ?? o.cpu());
  await statsReset;
  const stats = await o.bot.ask<RuntimeStats>({ type: 'stats' });
  const verified = await o.bot.ask<{ ok: number; broken: string[] }>({
    type: 'verify',
    guilds: o.guilds.map((g) => g.id),
  });
  o.sim.calls.length = 0;

  const answered = Math.max(interactions + errors, 1);
  const perInteraction = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? undefined : round(((b - a) * 1000) / answered, 0);
  const sorted = Float64Array.from(latencies).sort();
  const botMs = Float64Array.from(Object.values(stats.answered).flatMap((a) => a.ms)).sort();
  const seconds = o.measureMs / 1000;
  const p99 = harness.percentile(sorted, 0.99);
  const perSecond = interactions / seconds;
  const postgres = perInteraction(first.postgres, last.postgres);
  const redisUs = perInteraction(first.redis, last.redis);
  return {
    backend: o.backend,
    guilds: o.guilds.length,
    concurrency: o.concurrency,
    interactions,
    errors,
    ...(firstError !== undefined && { firstError }),
    deferred,
    seconds,
    perSecond: round(perSecond, 1),
    p50Ms: round(harness.percentile(sorted, 0.5), 2),
    p99Ms: round(p99, 2),
    maxMs: round(sorted.length > 0 ? sorted[sorted.length - 1]! : 0, 2),
    ackP99Ms: round(harness.percentile(Float64Array.from(acks).sort(), 0.99), 2),
    botP50Ms: round(harness.percentile(botMs, 0.5), 2),
    botP99Ms: round(harness.percentile(botMs, 0.99), 2),
    botMeanMs: round(botMs.reduce((sum, v) => sum + v, 0) / Math.max(botMs.length, 1), 2),
    ...sdkTimes(stats.sdk, Math.max(botMs.length, 1)),
    byCommand: Object.fromEntries(
      [...perCommand].map(([command, e]) => {
        const s = Float64Array.from(e.latencies).sort();
        return [
          command,
          {
            count: e.latencies.length,
            errors: e.errors,
            p50Ms: round(harness.percentile(s, 0.5), 2),
            p99Ms: round(harness.percentile(s, 0.99), 2),
          },
        ];
      }),
    ),
    cpuUs: {
      bot: perInteraction(first.bot, last.bot) ?? 0,
      simulator: perInteraction(first.bench, last.bench) ?? 0,
      ...(postgres !== undefined && { postgres }),
      ...(redisUs !== undefined && { redis: redisUs }),
    },
    errorCodes: stats.codes,
    ...queryCounts(stats.queries, answered),
    verify: {
      ok: verified.broken.length === 0,
      detail:
        verified.broken.length === 0
          ? `ok (${verified.ok} guilds)`
          : `BROKEN in ${verified.broken.length} guilds, e.g. ${verified.broken.slice(0, 2).join(' | ')}`,
    },
    loadAvg: round(loadavg()[0]!, 2),
    meetsTarget: perSecond >= TARGET.perSecond[o.backend] && p99 <= TARGET.p99Ms && errors === 0,
  };
}

function sdkTimes(
  sdk: Record<string, number[]>,
  interactions: number,
): Pick<ThroughputCell, 'sdkMsPerInteraction' | 'sdkCalls'> {
  let total = 0;
  const sdkCalls: ThroughputCell['sdkCalls'] = {};
  for (const [method, times] of Object.entries(sdk).sort((a, b) => b[1].length - a[1].length)) {
    const sorted = Float64Array.from(times).sort();
    total += times.reduce((sum, v) => sum + v, 0);
    sdkCalls[method] = {
      perInteraction: round(times.length / interactions, 3),
      p50Ms: round(harness.percentile(sorted, 0.5), 2),
      p99Ms: round(harness.percentile(sorted, 0.99), 2),
    };
  }
  return { sdkMsPerInteraction: round(total / interactions, 2), sdkCalls };
}

function queryCounts(
  queries: Record<string, number>,
  answered: number,
): Pick<ThroughputCell, 'pgQueriesPerInteraction' | 'pgStatements'> {
  const entries = Object.entries(queries);
  if (entries.length === 0) return {};
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return {
    pgQueriesPerInteraction: round(total / answered, 2),
    pgStatements: Object.fromEntries(
      entries.sort((a, b) => b[1] - a[1]).map(([statement, n]) => [statement, round(n / answered, 3)]),
    ),
  };
}

function describeReply(reply: SimReply): string {
  const embed = reply.embeds[0] as { title?: string; description?: string } | undefined;
  return [embed?.title, embed?.description, reply.content].filter(Boolean).join(' — ').slice(0, 200);
}

function describeCell(c: ThroughputCell): string {
  const pg = c.cpuUs.postgres !== undefined ? ` + postgres ${c.cpuUs.postgres}` : '';
  const rd = c.cpuUs.redis !== undefined ? ` + redis ${c.cpuUs.redis} (server-wide)` : '';
  const errors = c.errors > 0 ? `, ${c.errors} errors (first: ${c.firstError})` : '';
  return (
    `guilds=${c.guilds} c=${c.concurrency}: ${whole(c.perSecond)} interactions/s, p50 ${ms(c.p50Ms)} ms, ` +
    `p99 ${ms(c.p99Ms)} ms, max ${ms(c.maxMs)} ms (bot p50 ${ms(c.botP50Ms)}, p99 ${ms(c.botP99Ms)}, mean ` +
    `${ms(c.botMeanMs)} of which awaiting the SDK ${ms(c.sdkMsPerInteraction)}); ` +
    `cpu/interaction bot ${c.cpuUs.bot} + simulator ${c.cpuUs.simulator}${pg}${rd} µs; ` +
    (c.pgQueriesPerInteraction !== undefined
      ? `${c.pgQueriesPerInteraction} PostgreSQL statements/interaction; `
      : '') +
    `${c.deferred} deferred${errors}; verify ${c.verify.detail}; load ${c.loadAvg.toFixed(2)}`
  );
}

// --- profile --------------------------------------------------------------------------------------------

const CATEGORIES: Array<[string, RegExp]> = [
  [
    'discord.js (@discordjs, discord.js)',
    /node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?(discord\.js|@discordjs)\//,
  ],
  ['undici (REST HTTP client)', /node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?undici\//],
  ['ws (gateway socket)', /node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?ws\//],
  [
    'pino (logging)',
    /node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?(pino|sonic-boom|thread-stream|pino-std-serializers|fast-redact|quick-format-unescaped)\//,
  ],
  ['prom-client (metrics)', /node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?(prom-client|tdigest|bintrees)\//],
  ['zod', /node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?zod\//],
  [
    'pg (PostgreSQL client)',
    /node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?(pg|pg-protocol|pg-pool|pg-types|postgres-[a-z]+|pgpass)\//,
  ],
  ['libsql (driver)', /node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?(libsql|@libsql|@neon-rs)\//],
  [
    'ioredis + rate-limiter-flexible',
    /node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?(ioredis|@ioredis|rate-limiter-flexible|redis-parser|denque|cluster-key-slot|standard-as-callback)\//,
  ],
  ['date-fns', /node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?(date-fns|@date-fns)\//],
  ['sdk (@guildmint/sdk)', /packages\/sdk\/(dist|src)\//],
  ['runtime (bot-runtime src)', /packages\/bot-runtime\/src\//],
  ['tsx loader', /node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?(tsx|esbuild|get-tsconfig)\//],
  ['other node_modules', /node_modules\//],
  ['node internals (net, http, streams, timers…)', /^node:/],
];

function categoryOf(node: ProfileNode): string {
  if (node.functionName === '(garbage collector)') return 'garbage collector';
  if (node.functionName === '(program)') return '(program: V8/native, not JS)';
  if (node.functionName === '(idle)') return '(idle)';
  for (const [name, pattern] of CATEGORIES) if (pattern.test(node.url)) return name;
  if (node.url === '') {
    if (/^libsql/.test(node.functionName)) return 'libsql (driver)';
    if (
      /^(writev|writeBuffer|writeUtf8String|writeLatin1String|writeAsciiString|readv?)$/.test(
        node.functionName,
      )
    )
      return 'native socket/file I/O';
    if (node.functionName === 'parse' || node.functionName === 'stringify')
      return 'JSON (native parse/stringify)';
    if (node.functionName === 'runMicrotasks') return 'promise microtasks (native)';
    return 'other native (V8 builtins, addons)';
  }
  return 'other';
}

function summarizeProfile(nodes: ProfileNode[], seconds: number, interactions: number): ProfileSummary {
  const busy = nodes.filter((n) => n.functionName !== '(idle)');
  const total = busy.reduce((sum, n) => sum + n.selfMs, 0) || 1;
  const byCategory = new Map<string, number>();
  for (const node of busy)
    byCategory.set(categoryOf(node), (byCategory.get(categoryOf(node)) ?? 0) + node.selfMs);
  const per = Math.max(interactions, 1);
  return {
    seconds,
    interactions,
    categories: [...byCategory]
      .sort((a, b) => b[1] - a[1])
      .map(([category, selfMs]) => ({
        category,
        ms: round(selfMs, 0),
        share: round(selfMs / total, 3),
        usPerInteraction: round((selfMs * 1000) / per, 0),
      })),
    top: busy.slice(0, 25).map((n) => ({
      category: categoryOf(n),
      fn: `${n.functionName} ${shortUrl(n.url)}${n.url ? `:${n.line + 1}` : ''}${n.caller ? ` ← ${shortCaller(n.caller)}` : ''}`.trim(),
      ms: round(n.selfMs, 0),
      share: round(n.selfMs / total, 3),
    })),
  };
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const packages = url.indexOf('/packages/');
  return packages >= 0 ? url.slice(packages + 1) : url;
}

function shortCaller(caller: string): string {
  return caller.replace(/\S*node_modules\//, '').replace(/\S*\/(packages\/)/, '$1');
}

function formatProfile(p: ProfileSummary): string {
  const categories = table(
    ['where (bot process, self time)', 'ms', 'share', 'µs/interaction'],
    p.categories.map((c) => [
      c.category,
      whole(c.ms),
      `${(c.share * 100).toFixed(1)} %`,
      whole(c.usPerInteraction),
    ]),
    (i) => i > 0,
  );
  const top = table(
    ['top functions', 'where', 'ms', 'share'],
    p.top
      .slice(0, 15)
      .map((t) => [t.fn.slice(0, 90), t.category, whole(t.ms), `${(t.share * 100).toFixed(1)} %`]),
    (i) => i > 1,
  );
  return `${categories}\n\n${top}`;
}

// --- output ---------------------------------------------------------------------------------------------

function printSummary(host: Machine, results: BackendResult[]): void {
  console.log(`\n${report.describeMachine(host)}`);
  console.log(
    `${seconds}s measured per cell after ${warmup}s warm-up; mix ${mix.join('/')} in equal parts; latency = ` +
      "SimReply.latencyMs (INTERACTION_CREATE sent → final reply received); bot ms = the dispatcher's own " +
      'timing; sdk/bot mean = ms awaiting SDK calls / bot ms, per interaction; cpu = µs per interaction of the bot process + simulator process (+ PostgreSQL backends + Redis ' +
      `server); load = 1-min load average at the end of the cell; target ≥ ${whole(TARGET.perSecond.embedded)}/s ` +
      `embedded, ≥ ${whole(TARGET.perSecond.postgres)}/s on PostgreSQL, with p99 ≤ ${TARGET.p99Ms} ms`,
  );
  const rows = results.flatMap((r) =>
    r.cells.map((c) => [
      r.backend === 'embedded' ? 'embedded (libSQL file)' : 'PostgreSQL + Redis',
      whole(c.guilds),
      String(c.concurrency),
      whole(c.perSecond),
      ms(c.p50Ms),
      ms(c.p99Ms),
      ms(c.maxMs),
      `${ms(c.botP50Ms)} / ${ms(c.botP99Ms)}`,
      `${ms(c.sdkMsPerInteraction)} / ${ms(c.botMeanMs)}`,
      whole(c.cpuUs.bot),
      whole(c.cpuUs.simulator),
      c.cpuUs.postgres !== undefined ? whole(c.cpuUs.postgres) : '-',
      c.cpuUs.redis !== undefined ? whole(c.cpuUs.redis) : '-',
      c.pgQueriesPerInteraction !== undefined ? c.pgQueriesPerInteraction.toFixed(1) : '-',
      String(c.errors),
      String(c.deferred),
      c.verify.ok ? 'ok' : 'BROKEN',
      c.loadAvg.toFixed(2),
      c.meetsTarget ? 'yes' : 'NO',
    ]),
  );
  console.log(
    table(
      [
        'backend',
        'guilds',
        'conc',
        'interactions/s',
        'p50 ms',
        'p99 ms',
        'max ms',
        'bot p50/p99',
        'sdk/bot mean',
        'bot µs',
        'sim µs',
        'pg µs',
        'redis µs',
        'pg stmts',
        'errors',
        'deferred',
        'verify',
        'load',
        'target',
      ],
      rows,
      (i) => i >= 1 && i !== 16 && i !== 18,
    ),
  );
  const memoryRows = results.flatMap((r) =>
    r.memory
      ? [
          [
            r.backend === 'embedded' ? 'embedded (libSQL file)' : 'PostgreSQL + Redis',
            `${mb(r.startup.memory.rss)} MB (${r.startup.guilds} guilds)`,
            `${r.memory.perThousand.joinedRssMb} / ${r.memory.perThousand.joinedHeapMb}`,
            `${r.memory.perThousand.loadedRssMb} / ${r.memory.perThousand.loadedHeapMb}`,
            `${r.memory.per10k.loadedRssMb} / ${r.memory.per10k.loadedHeapMb} MB`,
            `${r.memory.per10k.totalRssMb} MB`,
            r.memory.loadAvg.toFixed(2),
            r.memory.meetsTarget ? 'yes' : 'NO',
          ],
        ]
      : [],
  );
  if (memoryRows.length > 0) {
    console.log(
      `\nbot process memory after full GCs: growth per 1,000 guilds joined (GUILD_CREATE, commands registered) ` +
        `and per 1,000 tenants loaded (one /balance each), ${memorySteps} steps of ${memoryGuilds}; ` +
        `extrapolated linearly to 10,000; target ≤ ${TARGET.rssMbPer10k} MB per 10,000 loaded (judged on the ` +
        'larger of RSS and heap growth)',
    );
    console.log(
      table(
        [
          'backend',
          'RSS at start',
          'joined /1k: RSS / heap MB',
          'loaded /1k: RSS / heap MB',
          'loaded ×10k: RSS / heap',
          'joined+loaded ×10k RSS',
          'load',
          'target',
        ],
        memoryRows,
        (i) => i >= 2 && i !== 7,
      ),
    );
  }
  const joinedRows = results.flatMap((r) =>
    r.joined
      ? [
          [
            r.backend === 'embedded' ? 'embedded (libSQL file)' : 'PostgreSQL + Redis',
            whole(r.joined.guilds),
            `${r.joined.per10k.joinedRssMb} / ${r.joined.per10k.joinedHeapMb} MB`,
            `${r.joined.per10k.servedRssMb} / ${r.joined.per10k.servedHeapMb} MB`,
            `${r.joined.served.usersCached} / ${r.joined.served.membersCached}`,
            `${mb(r.joined.served.rss)} MB`,
          ],
        ]
      : [],
  );
  if (joinedRows.length > 0) {
    console.log(
      '\nbot process memory per 10,000 joined guilds (measured, scaled to 10,000 when fewer were joined): ' +
        'growth after joining, then after one /balance by a different member in each guild',
    );
    console.log(
      table(
        [
          'backend',
          'guilds joined',
          'joined ×10k: RSS / heap',
          'joined + served ×10k: RSS / heap',
          'users / members cached',
          'RSS at the end',
        ],
        joinedRows,
        (i) => i === 1,
      ),
    );
  }
  for (const r of results) {
    console.log(
      `[${r.backend}] bot log: ${r.botLog.lines} lines, ${r.botLog.warnings} warnings, ${r.botLog.errors} errors` +
        (Object.keys(r.botLog.messages).length > 0 ? ` ${JSON.stringify(r.botLog.messages)}` : '') +
        (r.botLog.firstWarning ? `\n  first warning: ${r.botLog.firstWarning}` : '') +
        (r.botLog.firstError ? `\n  first error: ${r.botLog.firstError}` : ''),
    );
  }
}

function readBotLog(path: string): BackendResult['botLog'] {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { lines: 0, warnings: 0, errors: 0, messages: {} };
  }
  let lines = 0;
  let warnings = 0;
  let errors = 0;
  let firstError: string | undefined;
  let firstWarning: string | undefined;
  const messages: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (line === '') continue;
    lines++;
    const level = Number(/"level":(\d+)/.exec(line)?.[1] ?? 0);
    if (level < 40) continue;
    const msg = /"msg":"((?:[^"\\]|\\.)*)"/.exec(line)?.[1] ?? '?';
    const key = `${level >= 50 ? 'error' : 'warn'}: ${msg}`;
    messages[key] = (messages[key] ?? 0) + 1;
    if (level === 40) {
      warnings++;
      firstWarning ??= line.slice(0, 400);
    } else {
      errors++;
      firstError ??= line.slice(0, 400);
    }
  }
  return {
    lines,
    warnings,
    errors,
    messages,
    ...(firstWarning !== undefined && { firstWarning }),
    ...(firstError !== undefined && { firstError }),
  };
}

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

function load(): string {
  return loadavg()[0]!.toFixed(2);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
