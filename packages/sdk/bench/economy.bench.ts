/**
 * Economy throughput: faucet claims and game rounds (coinflip, slots) through the public tenant API, next to
 * the ledger-only transfer rate of the same store at the same concurrency (the ceiling), on a libSQL file
 * and on PostgreSQL.
 *
 *   pnpm bench:economy [-- --seconds 3 --warmup 1 --stores libsql,postgres --concurrency 1,64]
 *
 * Every operation is keyed (a Discord-like snowflake, as the bot passes interaction ids), so each one runs
 * the key path it runs in production (the key read with the op's read-ahead, or checked by the commit's
 * guard when the op reads nothing else). After every cell `ledger.verify()` must pass.
 * Prints a table and writes bench/results/economy-<timestamp>.json at the repository root.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createEconomy, defineEconomy, type Economy, presets, type Store, type Tenant } from '@guildmint/sdk';
import { LibsqlStore } from '@guildmint/sdk/libsql';
import { PostgresStore } from '@guildmint/sdk/postgres';
import { openWebhookOutbox } from '@guildmint/sdk/webhooks';
import {
  analyzeDatabase,
  cliArgs,
  dropDatabase,
  list,
  ms,
  nonNegative,
  oneOf,
  pool,
  positive,
  recreateDatabase,
  round,
  snowflake,
  table,
  whole,
  writeJson,
} from './common.js';
import { FUNDING, type Move, runCell, userAccount } from './harness.js';
import { type Checked, describeMachine, machine } from './report.js';
import { PostgresCpu } from './server-cpu.js';

type StoreName = 'libsql' | 'postgres';
const WORKLOADS = ['ledger', 'claim', 'coinflip', 'slots'] as const;
type Workload = (typeof WORKLOADS)[number];

const HELP = `usage: tsx bench/economy.bench.ts [options]
  --seconds N         measured seconds per cell (default 3)
  --warmup N          warm-up seconds per cell before measuring (default 1)
  --stores LIST       libsql,postgres (default both)
  --concurrency LIST  async callers per cell (default 1,64)
  --members N         members claiming the faucet, and receiving the ceiling's transfers (default 10000)
  --players N         pre-funded members playing games (default 2000)
  --bet N             stake of every round (default 10)
  --pg-url URL        admin connection (default $DATABASE_URL or postgres://postgres@127.0.0.1:5432/test)
  --pg-db NAME        database created for the run and dropped after it (default gm_bench_economy)
  --no-pg-analyze     do not ANALYZE before each cell: plans as on a database autovacuum has not analyzed yet
  --events on|off     off: the run's tenants write no webhook events (OutboxStore.recordEvents), as the hosted
                      service runs a guild with no endpoint (default on, the SDK's default)
  --out DIR           where the JSON goes (default <repo>/bench/results)`;

const { values: args } = parseArgs({
  args: cliArgs(),
  options: {
    seconds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1' },
    stores: { type: 'string', default: 'libsql,postgres' },
    concurrency: { type: 'string', default: '1,64' },
    members: { type: 'string', default: '10000' },
    players: { type: 'string', default: '2000' },
    bet: { type: 'string', default: '10' },
    'pg-url': {
      type: 'string',
      default: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
    'pg-db': { type: 'string', default: 'gm_bench_economy' },
    'no-pg-analyze': { type: 'boolean', default: false },
    events: { type: 'string', default: 'on' },
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
const members = Math.floor(positive(args.members, 'members'));
const players = Math.floor(positive(args.players, 'players'));
const bet = BigInt(Math.floor(positive(args.bet, 'bet')));
const concurrencies = list(args.concurrency).map((c) => Math.floor(positive(c, 'concurrency')));
const stores = list(args.stores).map((s) => oneOf(s, ['libsql', 'postgres'] as const, 'stores'));
const pgAnalyze = !args['no-pg-analyze'];
const recordEvents = oneOf(args.events, ['on', 'off'] as const, 'events') === 'on';

const FAUCET = 'bench';
/** The member rate limit is per member and minute (at most 600): at the maximum, and load spread over many members. */
const RATE_LIMIT = 600;
const config = defineEconomy({
  name: 'Economy benchmark',
  faucets: { [FAUCET]: { reward: { fixed: 10 }, cooldownSeconds: 0 } },
  games: {
    coinflip: { minBet: 1, maxBet: 10_000, houseEdgeBps: 200 },
    slots: { ...presets.classic.games.slots!, minBet: 1, maxBet: 2_000 },
  },
  policy: { rateLimit: { perMemberPerMinute: RATE_LIMIT } },
});

interface EconomyCell {
  store: StoreName;
  concurrency: number;
  workload: Workload;
  /** Operations are claims, rounds or (ledger) transfers. */
  result: Checked;
  /** Ledger transfers written per operation (all calls of the cell, warm-up included). */
  transfersPerOp: number;
  /** The ledger-only transfer rate of this store and concurrency, measured in this run. */
  ceilingPerSecond?: number;
  /** ops/s ÷ ceiling transfers/s. */
  ratio?: number;
  /** CPU per operation ÷ CPU per ceiling transfer (node + PostgreSQL). */
  cpuRatio?: number;
}

async function main(): Promise<void> {
  const host = machine();
  console.log(describeMachine(host));
  console.log(
    `cells: stores ${stores.join(',')} × concurrency ${concurrencies.join(',')} × ${WORKLOADS.join(',')}; ` +
      `${warmup}s warm-up + ${seconds}s measured each; ${members} claiming members, ${players} players ` +
      `pre-funded with ${FUNDING} each, bet ${bet}; rate limit ${RATE_LIMIT}/member/min; keyed operations; ` +
      `PostgreSQL ${pgAnalyze ? 'ANALYZEd before each cell' : 'never ANALYZEd by the benchmark'}; ` +
      `webhook events ${recordEvents ? 'recorded' : 'not recorded'}`,
  );
  console.log('note: the machine is shared; compare ratios within a run, and prefer cpu µs/op to ops/s.\n');

  const cells: EconomyCell[] = [];
  for (const store of stores) {
    const opened = await openStore(store);
    const economy = createEconomy({ storage: opened.store });
    try {
      await economy.migrate();
      for (const concurrency of concurrencies) {
        cells.push(...(await runConcurrency(store, concurrency, economy, opened)));
      }
    } finally {
      await economy.close();
      await opened.cleanup();
    }
  }

  console.log(`\n${describeMachine(host)}`);
  console.log(
    `${seconds}s measured per cell after ${warmup}s warm-up; latency = one awaited SDK call; ` +
      `cpu = node + PostgreSQL backends per op; ratio = ops/s ÷ ledger transfers/s (same store, same concurrency); ` +
      `load = 1-min load average at the end of the cell`,
  );
  console.log(formatTable(cells));
  const file = writeJson(args.out, 'economy', {
    benchmark: 'economy',
    startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(),
    machine: host,
    settings: {
      seconds,
      warmup,
      stores,
      concurrencies,
      members,
      players,
      bet,
      funding: FUNDING,
      rateLimitPerMemberPerMinute: RATE_LIMIT,
      keys: 'snowflake-like, one per operation',
      pgAnalyzeBeforeEachCell: pgAnalyze,
      webhookEventsRecorded: recordEvents,
      storeOptions: 'store defaults',
      config,
    },
    cells,
  });
  console.log(`\nresults: ${file}`);
  if (cells.some((c) => !c.result.check.ok)) {
    console.error('a ledger check FAILED: these numbers are worthless');
    process.exitCode = 1;
  }
}

async function runConcurrency(
  store: StoreName,
  concurrency: number,
  economy: Economy,
  opened: OpenedStore,
): Promise<EconomyCell[]> {
  const { serverCpuMs, analyze } = opened;
  const name = (w: Workload) => `[${store} c=${concurrency} ${w}]`;
  const measure = async (
    workload: Workload,
    tenant: Tenant,
    next: () => Move,
    op: (move: Move) => Promise<number>,
  ): Promise<EconomyCell> => {
    console.log(`${name(workload)} …`);
    let calls = 0;
    let transfers = 0;
    const timed = (warmupMs: number, measureMs: number) =>
      runCell({
        concurrency,
        warmupMs,
        measureMs,
        next,
        transfer: async (move) => {
          calls++;
          const written = await op(move);
          transfers += written;
        },
        ...(serverCpuMs && { serverCpuMs }),
      });
    let result: Awaited<ReturnType<typeof runCell>>;
    if (analyze) {
      // Warm up (the tenant's rows appear), refresh the planner's statistics, then measure.
      if (warmup > 0) await timed(0, warmup * 1000);
      await analyze();
      result = await timed(0, seconds * 1000);
    } else {
      result = await timed(warmup * 1000, seconds * 1000);
    }
    const verified = await tenant.ledger.verify();
    const check = {
      ok: verified.ok,
      detail: verified.ok
        ? 'ok'
        : `BROKEN: ${verified.problems.length} problems, e.g. ${verified.problems.slice(0, 3).join('; ')}`,
    };
    const cell: EconomyCell = {
      store,
      concurrency,
      workload,
      result: { ...result, check },
      transfersPerOp: calls > 0 ? round(transfers / calls, 3) : 0,
    };
    console.log(`${name(workload)} ${describe(cell)}`);
    return cell;
  };

  const tag = `${store}_c${concurrency}`;
  const randomMember = (count: number) => Math.floor(Math.random() * count);

  // The ceiling: plain keyed ledger transfers, faucet → member, the shape of a claim's one transfer.
  const outbox = openWebhookOutbox(opened.store);
  const tenantOf = async (id: string) => {
    if (!recordEvents) await outbox.recordEvents(id, false);
    return economy.tenant(id);
  };
  const ceilingTenant = await tenantOf(`ceiling_${tag}`);
  const ceiling = await measure(
    'ledger',
    ceilingTenant,
    () => ({
      id: snowflake(),
      from: `faucet:${FAUCET}`,
      to: userAccount(randomMember(members)),
      amount: 10n,
      code: `faucet.${FAUCET}`,
    }),
    async (move) => {
      await ceilingTenant.ledger.transfer(move);
      return 1;
    },
  );

  const claimTenant = await tenantOf(`claim_${tag}`);
  await claimTenant.configure(config, { actor: 'bench' });
  const claims = await measure(
    'claim',
    claimTenant,
    () => memberMove(randomMember(members), 10n),
    async (move) => (await claimTenant.claim(FAUCET, memberOf(move), { key: move.id! })).transfers.length,
  );

  const gameTenant = await tenantOf(`games_${tag}`);
  await gameTenant.configure(config, { actor: 'bench' });
  const fundStarted = performance.now();
  await pool(players, 64, (i) =>
    gameTenant.grant(memberId(i), FUNDING, { reason: 'benchmark funding', key: snowflake(), actor: 'bench' }),
  );
  console.log(
    `[${store} c=${concurrency}] ${players} players funded in ${Math.round(performance.now() - fundStarted)} ms`,
  );
  const transfersOf = (payout: bigint) => (payout > 0n ? 2 : 1); // the bet, and the payout when there is one
  const coinflip = await measure(
    'coinflip',
    gameTenant,
    () => memberMove(randomMember(players), bet),
    async (move) => {
      const side = Math.random() < 0.5 ? 'heads' : 'tails';
      const played = await gameTenant.play('coinflip', memberOf(move), { bet, key: move.id!, side });
      return transfersOf(played.payout);
    },
  );
  const slots = await measure(
    'slots',
    gameTenant,
    () => memberMove(randomMember(players), bet),
    async (move) =>
      transfersOf((await gameTenant.play('slots', memberOf(move), { bet, key: move.id! })).payout),
  );

  const result = [ceiling, claims, coinflip, slots];
  const ceilingRate = ceiling.result.perSecond;
  const ceilingCpu = cpuPerOp(ceiling.result);
  for (const cell of result) {
    cell.ceilingPerSecond = round(ceilingRate);
    cell.ratio = round(cell.result.perSecond / Math.max(ceilingRate, Number.MIN_VALUE), 3);
    cell.cpuRatio = ceilingCpu > 0 ? round(cpuPerOp(cell.result) / ceilingCpu, 2) : 0;
  }
  return result;
}

/** A member operation as the harness carries it: the member is `to`, the key is `id`. */
function memberMove(i: number, amount: bigint): Move {
  return { id: snowflake(), from: `faucet:${FAUCET}`, to: userAccount(i), amount, code: 'bench.op' };
}

function memberOf(move: Move): string {
  return move.to.slice('user:'.length);
}

function memberId(i: number): string {
  return userAccount(i).slice('user:'.length);
}

function cpuPerOp(r: Checked): number {
  return r.nodeCpuUs + (r.serverCpuUs ?? 0);
}

function describe(c: EconomyCell): string {
  const r = c.result;
  const server = r.serverCpuUs !== undefined ? ` + postgres ${Math.round(r.serverCpuUs)}` : '';
  const errors = r.errors > 0 ? `, ${r.errors} errors (first: ${r.firstError})` : '';
  return (
    `${whole(r.perSecond)}/s, p50 ${ms(r.p50Ms)} ms, p99 ${ms(r.p99Ms)} ms, max ${ms(r.maxMs)} ms, ` +
    `cpu/op node ${Math.round(r.nodeCpuUs)}${server} µs, ${c.transfersPerOp} transfers/op, ` +
    `load ${r.loadAvg.toFixed(2)}${errors}; verify ${r.check.detail}`
  );
}

const HEADERS = [
  'store',
  'conc',
  'workload',
  'ops/s',
  'p50 ms',
  'p99 ms',
  'cpu µs/op',
  'node µs',
  'pg µs',
  't/op',
  'errors',
  'verify',
  'ceiling/s',
  'ratio',
  'cpu ×',
  'load',
] as const;

function formatTable(cells: readonly EconomyCell[]): string {
  const rows = cells.map((c) => {
    const r = c.result;
    return [
      c.store,
      String(c.concurrency),
      c.workload === 'ledger' ? 'ledger (ceiling)' : c.workload,
      whole(r.perSecond),
      ms(r.p50Ms),
      ms(r.p99Ms),
      whole(cpuPerOp(r)),
      whole(r.nodeCpuUs),
      r.serverCpuUs !== undefined ? whole(r.serverCpuUs) : '-',
      c.transfersPerOp.toFixed(2),
      String(r.errors),
      r.check.ok ? 'ok' : 'BROKEN',
      c.ceilingPerSecond !== undefined ? whole(c.ceilingPerSecond) : '-',
      c.ratio !== undefined ? `${(c.ratio * 100).toFixed(0)} %` : '-',
      c.cpuRatio !== undefined ? `${c.cpuRatio.toFixed(2)}×` : '-',
      r.loadAvg.toFixed(2),
    ];
  });
  return table(HEADERS, rows, (i) => i === 1 || (i >= 3 && i !== 11));
}

interface OpenedStore {
  store: Store;
  cleanup(): Promise<void>;
  serverCpuMs?: () => number;
  /** PostgreSQL with --pg-analyze: refresh the planner's statistics before a cell. */
  analyze?: () => Promise<void>;
}

async function openStore(store: StoreName): Promise<OpenedStore> {
  if (store === 'libsql') {
    const dir = mkdtempSync(join(tmpdir(), 'gm-bench-economy-'));
    return {
      store: new LibsqlStore({ url: `file:${join(dir, 'economy.db')}` }),
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const adminUrl = args['pg-url'];
  const database = args['pg-db'];
  const url = await recreateDatabase(adminUrl, database);
  const cpu = await PostgresCpu.open(adminUrl, database);
  return {
    store: new PostgresStore({ url }),
    cleanup: async () => {
      await cpu?.close();
      await dropDatabase(adminUrl, database);
    },
    ...(cpu && { serverCpuMs: () => cpu.sample() }),
    ...(pgAnalyze && { analyze: () => analyzeDatabase(url) }),
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
