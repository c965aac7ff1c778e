/**
 * Ledger throughput and latency: the SDK against a one-transaction-per-transfer baseline and against the
 * floor under its own write path (./floor.ts: the SDK's rows written in its groups, with no reads or
 * checks), on a libSQL file and on PostgreSQL, for a uniform and a hot-account workload at several
 * concurrencies.
 *
 *   pnpm bench:ledger [-- --seconds 3 --warmup 1 --stores libsql,postgres --concurrency 1,16,64]
 *
 * Prints a table and writes bench/results/ledger-<timestamp>.json at the repository root.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LibsqlStore, type LibsqlStoreOptions } from '@guildmint/sdk/libsql';
import { PostgresStore, type PostgresStoreOptions } from '@guildmint/sdk/postgres';
import pg from 'pg';
import { type Backend, LibsqlBaseline, PostgresBaseline } from './baseline.js';
import { libsqlFloor, postgresFloor } from './floor.js';
import { ID_MODES, moveGenerator, runCell, WORKLOADS, type Workload } from './harness.js';
import {
  type CellRecord,
  type Checked,
  describeMachine,
  formatTable,
  machine,
  oneLine,
  writeResults,
} from './report.js';
import { SdkBackend } from './sdk.js';
import { PostgresCpu } from './server-cpu.js';

type StoreName = 'libsql' | 'postgres';

const HELP = `usage: tsx bench/ledger.bench.ts [options]
  --seconds N              measured seconds per cell (default 3)
  --warmup N               warm-up seconds per cell before measuring (default 1)
  --stores LIST            libsql,postgres (default both)
  --workloads LIST         uniform,hot (default both)
  --concurrency LIST       async workers per cell (default 1,16,64)
  --users N                pre-funded users per cell (default 10000)
  --ids MODE               random (ids left to the SDK and the floor, which make UUIDv7s; the baseline draws
                           random UUIDs) or ordered (given, time-ordered, like Discord interaction ids, to all
                           three) (default random)
  --no-baseline            skip the one-transaction-per-transfer baseline
  --no-floor               skip the floor (the SDK's rows in its groups, no reads, no checks: bench/floor.ts)
  --rollups on|off         off: the SDK keeps no analytics rollups (bench-only, ledger/rollups-switch.ts),
                           to measure what they cost the write path (default on)
  --pg-url URL             admin connection (default $DATABASE_URL or postgres://postgres@127.0.0.1:5432/test)
  --pg-db NAME             database dropped and re-created for the run (default gm_bench)
  --pg-pool N              SDK PostgresStore poolSize
  --pg-write-concurrency N SDK PostgresStore writeConcurrency
  --pg-max-group N         SDK PostgresStore maxGroupSize
  --pg-system-slots N      SDK PostgresStore systemSlots
  --libsql-max-group N     SDK LibsqlStore maxGroupSize
  --libsql-writer-thread B SDK LibsqlStore writerThread (on or off; default: the store's)
  --baseline-pool N        pg.Pool size of the PostgreSQL baseline (default 16)
  --out DIR                where the JSON goes (default <repo>/bench/results)`;

// Store options this benchmark runs with unless a flag overrides them: the stores' own defaults.
const DEFAULT_PG: Omit<PostgresStoreOptions, 'url'> = {};
const DEFAULT_LIBSQL: Omit<LibsqlStoreOptions, 'url'> = {};
const DEFAULT_BASELINE_POOL = 16;

const { values: args } = parseArgs({
  // `pnpm bench:ledger -- --seconds 2` hands the separator through; drop it.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    seconds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1' },
    stores: { type: 'string', default: 'libsql,postgres' },
    workloads: { type: 'string', default: WORKLOADS.join(',') },
    concurrency: { type: 'string', default: '1,16,64' },
    users: { type: 'string', default: '10000' },
    ids: { type: 'string', default: 'random' },
    'no-baseline': { type: 'boolean', default: false },
    'no-floor': { type: 'boolean', default: false },
    rollups: { type: 'string', default: 'on' },
    'pg-url': {
      type: 'string',
      default: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
    'pg-db': { type: 'string', default: 'gm_bench' },
    'pg-pool': { type: 'string' },
    'pg-write-concurrency': { type: 'string' },
    'pg-max-group': { type: 'string' },
    'pg-system-slots': { type: 'string' },
    'libsql-max-group': { type: 'string' },
    'libsql-writer-thread': { type: 'string' },
    'baseline-pool': { type: 'string', default: String(DEFAULT_BASELINE_POOL) },
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
const users = positive(args.users, 'users');
const concurrencies = list(args.concurrency).map((c) => positive(c, 'concurrency'));
const stores = list(args.stores).map((s) => oneOf(s, ['libsql', 'postgres'] as const, 'stores'));
const workloads = list(args.workloads).map((w) => oneOf(w, WORKLOADS, 'workloads'));
const ids = oneOf(args.ids, ID_MODES, 'ids');
const baselinePool = positive(args['baseline-pool'], 'baseline-pool');
const withBaseline = !args['no-baseline'];
const withFloor = !args['no-floor'];
const rollups = oneOf(args.rollups, ['on', 'off'] as const, 'rollups');
// Read by the write path per group, and by a libSQL writer thread from the environment it starts with.
if (rollups === 'off') process.env.GUILDMINT_BENCH_ROLLUPS = 'off';

const pgOptions: Omit<PostgresStoreOptions, 'url'> = {
  ...DEFAULT_PG,
  ...optional('poolSize', args['pg-pool']),
  ...optional('writeConcurrency', args['pg-write-concurrency']),
  ...optional('maxGroupSize', args['pg-max-group']),
  ...optional('systemSlots', args['pg-system-slots']),
};
const libsqlOptions: Omit<LibsqlStoreOptions, 'url'> = {
  ...DEFAULT_LIBSQL,
  ...optional('maxGroupSize', args['libsql-max-group']),
  ...(args['libsql-writer-thread'] !== undefined && {
    writerThread:
      oneOf(args['libsql-writer-thread'], ['on', 'off'] as const, 'libsql-writer-thread') === 'on',
  }),
};

async function main(): Promise<void> {
  const host = machine();
  console.log(describeMachine(host));
  console.log(
    `cells: stores ${stores.join(',')} × workloads ${workloads.join(',')} × concurrency ${concurrencies.join(',')}; ` +
      `${warmup}s warm-up + ${seconds}s measured each; ${users} users per cell; ${ids} transfer ids; ` +
      `baseline ${withBaseline ? 'on' : 'off'}; floor ${withFloor ? 'on' : 'off'}; analytics rollups ${rollups}`,
  );
  console.log(
    'note: numbers from a shared machine are noisy; compare ratios from one run rather than runs.\n',
  );

  const cells: CellRecord[] = [];
  for (const store of stores) {
    const { sdk, baseline, floor, cleanup, options, serverCpuMs } = await openBackends(store);
    console.log(`[${store}] store options ${JSON.stringify(options)}`);
    try {
      for (const workload of workloads) {
        for (const concurrency of concurrencies) {
          cells.push(await runOne(store, workload, concurrency, { sdk, baseline, floor }, serverCpuMs));
        }
      }
    } finally {
      await sdk.close();
      await baseline?.close();
      await floor?.close();
      await cleanup();
    }
  }

  console.log(`\n${describeMachine(host)}`);
  console.log(
    `${seconds}s measured per cell after ${warmup}s warm-up; latency = one awaited ledger.transfer call; ratio = SDK/baseline; of floor = SDK/floor`,
  );
  console.log(formatTable(cells));
  const file = writeResults(args.out, {
    benchmark: 'ledger',
    startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(),
    machine: host,
    settings: {
      seconds,
      warmup,
      users,
      concurrencies,
      workloads,
      stores,
      baselinePool,
      floor: withFloor,
      rollups,
      pgOptions,
      libsqlOptions,
    },
    cells,
  });
  console.log(`\nresults: ${file}`);
  if (cells.some((c) => [c.sdk, c.baseline, c.floor].some((r) => r && !r.check.ok))) {
    console.error('a ledger check FAILED: these numbers are worthless');
    process.exitCode = 1;
  }
}

interface Backends {
  sdk: Backend;
  baseline: Backend | undefined;
  floor: Backend | undefined;
}

async function runOne(
  store: StoreName,
  workload: Workload,
  concurrency: number,
  { sdk, baseline, floor }: Backends,
  serverCpuMs: (() => number) | undefined,
): Promise<CellRecord> {
  const tag = `${workload}_c${concurrency}`;
  const name = `[${store} ${workload} c=${concurrency}]`;
  const measure = async (backend: Backend): Promise<Checked> => {
    const target = await backend.cell(tag, users);
    const result = await runCell({
      concurrency,
      warmupMs: warmup * 1000,
      measureMs: seconds * 1000,
      transfer: target.transfer,
      next: moveGenerator(workload, users, ids),
      ...(serverCpuMs && { serverCpuMs }),
    });
    return { ...result, check: await target.check() };
  };
  console.log(`${name} sdk …`);
  const sdkResult = await measure(sdk);
  console.log(`${name} ${oneLine('sdk', sdkResult)}`);
  const record: CellRecord = { store, workload, concurrency, sdk: sdkResult };
  if (baseline) {
    const baselineResult = await measure(baseline);
    record.baseline = baselineResult;
    record.ratio = sdkResult.perSecond / Math.max(baselineResult.perSecond, Number.MIN_VALUE);
    console.log(`${name} ${oneLine('baseline', baselineResult)}`);
    console.log(`${name} ratio sdk/baseline ${record.ratio.toFixed(2)}×`);
  }
  if (floor) {
    const floorResult = await measure(floor);
    record.floor = floorResult;
    record.ofFloor = sdkResult.perSecond / Math.max(floorResult.perSecond, Number.MIN_VALUE);
    console.log(`${name} ${oneLine('floor', floorResult)}`);
    console.log(`${name} sdk/floor ${(100 * record.ofFloor).toFixed(0)} %`);
  }
  return record;
}

async function openBackends(store: StoreName): Promise<
  Backends & {
    cleanup(): Promise<void>;
    options: object;
    serverCpuMs?: () => number;
  }
> {
  if (store === 'libsql') {
    const dir = mkdtempSync(join(tmpdir(), 'gm-bench-'));
    const sdk = await SdkBackend.open(
      'sdk-libsql',
      new LibsqlStore({ url: `file:${join(dir, 'sdk.db')}`, ...libsqlOptions }),
    );
    const baseline = withBaseline ? new LibsqlBaseline(join(dir, 'baseline.db')) : undefined;
    const floorPath = join(dir, 'floor.db');
    const floor = withFloor
      ? await libsqlFloor(
          floorPath,
          new LibsqlStore({ url: `file:${floorPath}` }),
          libsqlOptions.maxGroupSize,
        )
      : undefined;
    return {
      sdk,
      baseline,
      floor,
      options: libsqlOptions,
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const url = await recreateDatabase(args['pg-url'], args['pg-db']);
  const sdk = await SdkBackend.open('sdk-postgres', new PostgresStore({ url, ...pgOptions }));
  const baseline = withBaseline ? await PostgresBaseline.open(url, baselinePool) : undefined;
  const floor = withFloor ? await postgresFloor(url, new PostgresStore({ url }), pgOptions) : undefined;
  const cpu = await PostgresCpu.open(args['pg-url'], args['pg-db']);
  return {
    sdk,
    baseline,
    floor,
    options: { ...pgOptions, baselinePool },
    cleanup: async () => cpu?.close(),
    ...(cpu && { serverCpuMs: () => cpu.sample() }),
  };
}

/** Drops and re-creates the bench database; returns its URL. */
async function recreateDatabase(adminUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    throw new Error(`--pg-db ${name}: use lower-case letters, digits and _`);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function positive(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${value}`);
  return n;
}

function nonNegative(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be zero or more, got ${value}`);
  return n;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], name: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(`--${name}: ${value} is not one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: number } {
  if (value === undefined) return {};
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`store option ${key} must be a positive integer, got ${value}`);
  return { [key]: n } as { [P in K]?: number };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
