/**
 * The economic report's data calls at size: a guild with 1,000,000 transfers and 50,000 members on a
 * libSQL file and on PostgreSQL. The history is written in bulk (SQL, not through the write path:
 * seeding a million transfers one commit at a time would take most of an hour); the rollups then come
 * from the SDK's own rebuild (`tenant.analytics.rebuild({ repair: true })`), which applies the same
 * rules as the write path and is timed too. Then each data call runs `--samples` times: p50 and p95,
 * and the CPU per call of this process (the SDK; libSQL reads run in it) and of PostgreSQL's backends.
 *
 *   pnpm bench:analytics [-- --stores libsql,postgres --transfers 1000000 --members 50000 --days 90 --samples 30]
 *
 * `--keep` keeps the seeded databases (PostgreSQL `--pg-db`, a libSQL file in the temporary folder named
 * after the sizes) and reuses them on the next `--keep` run instead of seeding again: the history then ends
 * when it was seeded, not now, which moves every window by that much.
 *
 * Prints a table and writes bench/results/analytics-<timestamp>.json at the repository root.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createEconomy, defineEconomy, presets, type Tenant } from '@guildmint/sdk';
import { LibsqlStore } from '@guildmint/sdk/libsql';
import { PostgresStore } from '@guildmint/sdk/postgres';
import Database from 'libsql';
import pg from 'pg';
import {
  analyzeDatabase,
  cliArgs,
  dropDatabase,
  list,
  ms,
  oneOf,
  positive,
  recreateDatabase,
  round,
  table,
  writeJson,
} from './common.js';
import { describeMachine, machine } from './report.js';
import { PostgresCpu } from './server-cpu.js';

const STORES = ['libsql', 'postgres'] as const;
type StoreName = (typeof STORES)[number];
const TARGET_P95_MS = 300;
const TENANT = 'bench-guild';

const { values: args } = parseArgs({
  args: cliArgs(),
  options: {
    stores: { type: 'string', default: STORES.join(',') },
    transfers: { type: 'string', default: '1000000' },
    members: { type: 'string', default: '50000' },
    days: { type: 'string', default: '90' },
    samples: { type: 'string', default: '30' },
    'pg-url': {
      type: 'string',
      default: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
    'pg-db': { type: 'string', default: 'gm_bench_analytics' },
    keep: { type: 'boolean', default: false },
    out: { type: 'string', default: fileURLToPath(new URL('../../../bench/results', import.meta.url)) },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('usage: tsx bench/analytics.bench.ts [--stores libsql,postgres] [--transfers N] [--members N]');
  console.log('       [--days N] [--samples N] [--pg-url URL] [--pg-db NAME] [--keep] [--out DIR]');
  process.exit(0);
}
const stores = list(args.stores).map((s) => oneOf(s, STORES, 'stores'));
const transfers = positive(args.transfers, 'transfers');
const members = positive(args.members, 'members');
const days = positive(args.days, 'days');
const samples = positive(args.samples, 'samples');
const keep = args.keep;

/**
 * The seeded history as one INSERT … SELECT over 1..N, the same expressions in both dialects. Each
 * row's kind comes from i mod 100 (a fixed mix: faucets, games, shop, payments, tax, grants), its
 * member from a multiplicative hash of i, its time spread evenly over the last `days` days.
 */
function historySql(dialect: StoreName, from: number, to: number, startMs: number): string {
  const spanMs = days * 86_400_000;
  const at =
    dialect === 'postgres'
      ? `to_timestamp((${startMs} + (i::bigint * ${spanMs}) / ${transfers}) / 1000.0)`
      : `(${startMs} + (i * ${spanMs}) / ${transfers})`;
  const user = (salt: number) => `'user:' || (((i * ${salt}) % ${members}) + 1)`;
  const k = 'i % 100';
  const game = `(CASE i % 3 WHEN 0 THEN 'coinflip' WHEN 1 THEN 'dice' ELSE 'slots' END)`;
  const from_ = `CASE WHEN ${k} < 40 THEN 'faucet:' || (CASE i % 2 WHEN 0 THEN 'daily' ELSE 'work' END)
      WHEN ${k} < 55 THEN ${user(7919)}
      WHEN ${k} < 65 THEN 'house:' || ${game}
      WHEN ${k} < 95 THEN ${user(7919)}
      ELSE 'faucet:admin' END`;
  const to_ = `CASE WHEN ${k} < 40 THEN ${user(7919)}
      WHEN ${k} < 55 THEN 'house:' || ${game}
      WHEN ${k} < 65 THEN ${user(7919)}
      WHEN ${k} < 75 THEN 'sink:shop'
      WHEN ${k} < 90 THEN ${user(104729)}
      WHEN ${k} < 95 THEN 'sink:tax'
      ELSE ${user(7919)} END`;
  const code = `CASE WHEN ${k} < 40 THEN 'faucet.' || (CASE i % 2 WHEN 0 THEN 'daily' ELSE 'work' END)
      WHEN ${k} < 55 THEN 'game.' || ${game} || '.bet'
      WHEN ${k} < 65 THEN 'game.' || ${game} || '.payout'
      WHEN ${k} < 75 THEN 'sink.shop'
      WHEN ${k} < 90 THEN 'transfer.p2p'
      WHEN ${k} < 95 THEN 'sink.tax'
      ELSE 'admin.grant' END`;
  const amount = `CASE WHEN ${k} < 40 THEN 100 + i % 50 WHEN ${k} < 75 THEN 1 + i % 40 ELSE 1 + i % 20 END`;
  const metadata = `CASE WHEN ${k} >= 65 AND ${k} < 75 THEN '{"item":"' || (CASE i % 2 WHEN 0 THEN 'badge' ELSE 'cookie' END) || '","quantity":1}' ELSE NULL END`;
  const source =
    dialect === 'postgres'
      ? `generate_series(${from}::bigint, ${to}::bigint) AS s(i)`
      : `(WITH RECURSIVE s(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM s WHERE i < ${to}) SELECT i FROM s)`;
  const seq = dialect === 'postgres' ? '' : 'seq, ';
  const seqValue = dialect === 'postgres' ? '' : 'i, ';
  return `INSERT INTO gm_transfers (tenant_id, id, ${seq}from_account, to_account, amount, code, metadata, forced, created_at)
    SELECT '${TENANT}', 'seed-' || i, ${seqValue}${from_}, ${to_}, ${amount}, ${code}, ${metadata},
      ${dialect === 'postgres' ? 'false' : '0'}, ${at}
    FROM ${source}`;
}

const NET = `SELECT account, SUM(delta) AS balance, MAX(created_at) AS active_at FROM (
    SELECT to_account AS account, amount AS delta, created_at FROM gm_transfers WHERE tenant_id = '${TENANT}'
    UNION ALL
    SELECT from_account, -amount, created_at FROM gm_transfers WHERE tenant_id = '${TENANT}'
  ) d GROUP BY account`;

/** A member the random mix left below zero gets the difference from `faucet:seed` first (no debt). */
function topUpSql(dialect: StoreName, startMs: number): string {
  const seq = dialect === 'postgres' ? '' : 'seq, ';
  const seqValue = dialect === 'postgres' ? '' : `${transfers} + ROW_NUMBER() OVER (), `;
  const at = dialect === 'postgres' ? `to_timestamp(${startMs} / 1000.0)` : String(startMs);
  return `INSERT INTO gm_transfers (tenant_id, id, ${seq}from_account, to_account, amount, code, metadata, forced, created_at)
    SELECT '${TENANT}', 'topup-' || account, ${seqValue}'faucet:seed', account, -balance, 'faucet.seed', NULL,
      ${dialect === 'postgres' ? 'false' : '0'}, ${at}
    FROM (${NET}) n WHERE account LIKE 'user:%' AND balance < 0`;
}

/** Materialized balances from the seeded history (what the write path would have kept). */
function balancesSql(dialect: StoreName): string {
  return `INSERT INTO gm_balances (tenant_id, account, slot, balance, version, frozen, active_at)
    SELECT '${TENANT}', account, 0, balance, 1, ${dialect === 'postgres' ? 'false' : '0'}, active_at FROM (${NET}) n`;
}

interface Seeded {
  seedSeconds: number;
  rebuildSeconds: number;
  transfers: number;
  rollupRows: number;
}

async function seed(name: StoreName, url: string, tenant: Tenant): Promise<Seeded> {
  const started = performance.now();
  const startMs = Date.now() - days * 86_400_000;
  const chunk = 100_000;
  const run = await rawRunner(name, url);
  try {
    for (let from = 1; from <= transfers; from += chunk) {
      const to = Math.min(transfers, from + chunk - 1);
      await run(historySql(name, from, to, startMs));
      process.stdout.write(`\r  ${name}: seeded ${to.toLocaleString('en-US')} transfers`);
    }
    process.stdout.write('\n');
    await run(topUpSql(name, startMs));
    await run(balancesSql(name));
    await run(
      `INSERT INTO gm_member_profiles (tenant_id, user_id, name, search, avatar, updated_at)
       SELECT tenant_id, substr(account, 6), 'Member ' || substr(account, 6), 'member ' || substr(account, 6), NULL,
         ${name === 'postgres' ? 'now()' : Date.now()}
       FROM gm_balances WHERE tenant_id = '${TENANT}' AND account LIKE 'user:%'`,
    );
  } finally {
    await run(null);
  }
  if (name === 'postgres') await analyzeDatabase(url);
  const seedSeconds = (performance.now() - started) / 1000;
  const rebuildStarted = performance.now();
  const check = await tenant.analytics.rebuild({
    repair: true,
    onProgress: (n) =>
      process.stdout.write(`\r  ${name}: rebuild read ${n.toLocaleString('en-US')} transfers`),
  });
  process.stdout.write('\n');
  const rebuildSeconds = (performance.now() - rebuildStarted) / 1000;
  const again = await tenant.analytics.rebuild();
  if (!again.ok) throw new Error(`${name}: rollups differ from the ledger after the repair`);
  if (name === 'postgres') await analyzeDatabase(url);
  return { seedSeconds, rebuildSeconds, transfers: check.transfers, rollupRows: check.rows };
}

/** Runs SQL on the store's database outside the SDK (the seed); `null` closes it. */
async function rawRunner(name: StoreName, url: string): Promise<(sql: string | null) => Promise<void>> {
  if (name === 'postgres') {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return async (sql) => {
      if (sql === null) await client.end();
      else await client.query(sql);
    };
  }
  const db = new Database(url.slice('file:'.length));
  return async (sql) => {
    if (sql === null) db.close();
    else db.exec(sql);
  };
}

interface CallResult {
  call: string;
  p50: number;
  p95: number;
  max: number;
  /** CPU milliseconds per call: this process (user + system, every thread). */
  cpuMs: number;
  /** CPU milliseconds per call of the database's backends (PostgreSQL on this machine), else null. */
  dbCpuMs: number | null;
}

async function measure(
  label: string,
  call: () => Promise<unknown>,
  db: PostgresCpu | undefined,
): Promise<CallResult> {
  await call(); // warm: statement caches, config
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  const db0 = db?.sample();
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    await call();
    times.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  const dbMs = db && db0 !== undefined ? db.sample() - db0 : null;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
  return {
    call: label,
    p50: round(at(0.5), 2),
    p95: round(at(0.95), 2),
    max: round(times.at(-1)!, 2),
    cpuMs: round((cpu.user + cpu.system) / 1000 / samples, 2),
    dbCpuMs: dbMs === null ? null : round(dbMs / samples, 2),
  };
}

/** The store's database: a kept one when `--keep` finds it (already seeded), else a new one. */
async function openDatabase(
  name: StoreName,
): Promise<{ url: string; fresh: boolean; dispose: () => Promise<void> }> {
  if (name === 'postgres') {
    const db = args['pg-db'];
    const url = new URL(args['pg-url']);
    url.pathname = `/${db}`;
    if (keep && (await isSeeded(name, url.toString())))
      return { url: url.toString(), fresh: false, dispose: async () => {} };
    return {
      url: await recreateDatabase(args['pg-url'], db),
      fresh: true,
      dispose: async () => {
        if (!keep) await dropDatabase(args['pg-url'], db);
      },
    };
  }
  if (keep) {
    const file = join(tmpdir(), `gm-analytics-keep-${transfers}-${members}-${days}.db`);
    const url = `file:${file}`;
    if (existsSync(file) && (await isSeeded(name, url)))
      return { url, fresh: false, dispose: async () => {} };
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    return { url, fresh: true, dispose: async () => {} };
  }
  const dir = mkdtempSync(join(tmpdir(), 'gm-analytics-'));
  return {
    url: `file:${join(dir, 'bench.db')}`,
    fresh: true,
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Whether a kept database holds the seeded guild: its rollups, which the seed's rebuild writes last. */
async function isSeeded(name: StoreName, url: string): Promise<boolean> {
  if (name === 'postgres') {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
    } catch {
      return false; // no such database yet
    }
    try {
      const rows = await client.query(`SELECT 1 FROM gm_rollups WHERE tenant_id = '${TENANT}' LIMIT 1`);
      return rows.rowCount === 1;
    } catch {
      return false;
    } finally {
      await client.end();
    }
  }
  const db = new Database(url.slice('file:'.length));
  try {
    return db.prepare(`SELECT 1 FROM gm_rollups WHERE tenant_id = '${TENANT}' LIMIT 1`).get() !== undefined;
  } catch {
    return false;
  } finally {
    db.close();
  }
}

async function benchStore(name: StoreName) {
  const { url, fresh, dispose } = await openDatabase(name);
  const store = name === 'postgres' ? new PostgresStore({ url }) : new LibsqlStore({ url });
  const economy = createEconomy({ storage: store });
  try {
    await economy.migrate();
    const tenant = economy.tenant(TENANT);
    let seeded: Seeded | null = null;
    if (fresh) {
      await tenant.configure(defineEconomy({ ...presets.classic, timeZone: 'Asia/Kolkata' }));
      seeded = await seed(name, url, tenant);
    } else console.log(`  ${name}: reusing the seeded database ${url}`);
    const month = { from: new Date(Date.now() - 29 * 86_400_000) };
    const quarter = { from: new Date(Date.now() - (days - 1) * 86_400_000) };
    const year = { from: new Date(Date.now() - 364 * 86_400_000) };
    const a = tenant.analytics;
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['headline', () => a.headline()],
      // Its parts, straight from the store: where the headline's time goes.
      [
        '  headline: holdings histogram',
        // Every bucket: DEBT_BUCKET to HOLDING_BUCKETS_END (ledger/rollups.ts).
        () =>
          store.readRollups(TENANT, {
            from: -1,
            to: 57 * 128,
            metrics: ['holdings'],
            perKey: false,
          }),
      ],
      [
        '  headline: 30-day rollups',
        () =>
          store.readRollupPeriods(
            TENANT,
            {
              from: Math.floor(Date.now() / 3_600_000) - 30 * 24,
              to: Math.floor(Date.now() / 3_600_000) + 1,
              metrics: ['mint', 'burn', 'volume'],
              perKey: false,
            },
            { branches: [], after: 0 },
          ),
      ],
      ['supply 30 d', () => a.supply(month)],
      ['supply 365 d', () => a.supply(year)],
      ['flowsBySource 30 d', () => a.flowsBySource(month)],
      ['flowsBySource 90 d', () => a.flowsBySource(quarter)],
      ['netIssuance 90 d', () => a.netIssuance(quarter)],
      ['velocity 30 d', () => a.velocity(month)],
      ['activeMembers 90 d', () => a.activeMembers(quarter)],
      ['games 30 d', () => a.games(month)],
      ['shop 30 d', () => a.shop(month)],
      ['streaks', () => a.streaks()],
      ['members page', () => tenant.members({ limit: 50, cursor: '25000' })],
      ['members search', () => tenant.members({ search: 'member 4999', limit: 50 })],
    ];
    const db = name === 'postgres' ? await PostgresCpu.open(args['pg-url'], args['pg-db']) : undefined;
    const results: CallResult[] = [];
    try {
      for (const [label, call] of calls) results.push(await measure(label, call, db));
    } finally {
      await db?.close();
    }
    return { store: name, seeded, results, loadAverage: loadavg() };
  } finally {
    await economy.close();
    await dispose();
  }
}

const m = machine();
console.log(describeMachine(m));
console.log(
  `seeding ${transfers.toLocaleString('en-US')} transfers over ${days} days among ${members.toLocaleString('en-US')} members; ${samples} samples per call`,
);
const runs = [];
for (const name of stores) runs.push(await benchStore(name));

const rows = runs.flatMap((r) =>
  r.results.map((c) => [
    r.store,
    c.call,
    ms(c.p50),
    ms(c.p95),
    ms(c.max),
    ms(c.cpuMs),
    c.dbCpuMs === null ? '' : ms(c.dbCpuMs),
    c.p95 <= TARGET_P95_MS ? 'yes' : 'NO',
  ]),
);
const headers = ['store', 'call', 'p50 ms', 'p95 ms', 'max ms', 'cpu ms/call', 'db cpu ms/call'];
console.log(`\n${table([...headers, `p95 ≤ ${TARGET_P95_MS}`], rows, (i) => i >= 2 && i <= 6)}`);
for (const r of runs) {
  const s = r.seeded;
  const history = s
    ? `seeded in ${round(s.seedSeconds)} s; rebuild of ${s.transfers.toLocaleString('en-US')} transfers into ${s.rollupRows.toLocaleString('en-US')} rollup rows took ${round(s.rebuildSeconds)} s`
    : 'a kept database, seeded before (--keep)';
  console.log(
    `${r.store}: load average after the calls ${r.loadAverage.map((l) => round(l, 2)).join(' ')}; ${history}`,
  );
}
const file = writeJson(args.out, 'analytics', {
  machine: m,
  transfers,
  members,
  days,
  samples,
  targetP95Ms: TARGET_P95_MS,
  runs,
});
console.log(`results: ${file}`);
