/**
 * Tenants across PostgreSQL clusters (issue 13 §1): ledger throughput with the tenants spread over 1, 2
 * and 3 clusters on this machine, the pause of online moves under load, and (with --failover) the write
 * gap of a pg_auto_failover formation whose primary is killed.
 *
 *   pnpm bench:scale [-- --seconds 5 --tenants 12 --concurrency 64 --moves 5 --failover 3]
 *
 * The clusters are started here (initdb in a temporary folder, loopback ports) with default durability
 * settings, and stopped at the end. Prints a table and writes bench/results/scale-<timestamp>.json.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createEconomy, type Economy } from '@guildmint/sdk';
import { ClusterStore, moveTenant } from '@guildmint/sdk/postgres';
import {
  autoFailoverAvailable,
  type LocalClusters,
  startFailoverCluster,
  startLocalClusters,
} from '@guildmint/test-support';
import pg from 'pg';
import { createEconomy as createSourceEconomy } from '../src/index.js';
import { PostgresStore as SourcePostgresStore } from '../src/stores/postgres/store.js';
import { failoverRound } from '../test/support/failover-round.js';
import { cliArgs, ms, positive, round, table, whole, writeJson } from './common.js';
import { FAUCET, percentile, runCell, userAccount } from './harness.js';
import { describeMachine, machine } from './report.js';
import { PostgresCpu } from './server-cpu.js';

const CLUSTER_NAMES = ['a', 'b', 'c'];

const { values: args } = parseArgs({
  args: cliArgs(),
  options: {
    seconds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    tenants: { type: 'string', default: '12' },
    concurrency: { type: 'string', default: '64' },
    users: { type: 'string', default: '1000' },
    moves: { type: 'string', default: '5' },
    failover: { type: 'string', default: '0' },
    out: { type: 'string', default: join(fileURLToPath(import.meta.url), '../../../../bench/results') },
  },
});
const seconds = positive(args.seconds, 'seconds');
const tenants = positive(args.tenants, 'tenants');
const concurrency = positive(args.concurrency, 'concurrency');
const users = positive(args.users, 'users');
const moves = Number(args.moves);
const failovers = Number(args.failover);

interface SpreadRow {
  clusters: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  nodeCpuUs: number;
  serverCpuUs: number;
  errors: number;
  loadAvg: number;
  tenantsPerCluster: Record<string, number>;
}

/** Each cluster's database `scale<k>`, so every spread has its own directory and tenants. */
async function databases(local: LocalClusters, k: number): Promise<Record<string, string>> {
  const urls: Record<string, string> = {};
  for (const c of local.clusters.slice(0, k)) {
    const admin = new pg.Client({ connectionString: c.url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS scale${k}`);
    await admin.query(`CREATE DATABASE scale${k}`);
    await admin.end();
    urls[c.name] = c.url.replace(/\/test$/, `/scale${k}`);
  }
  return urls;
}

async function spread(local: LocalClusters, k: number): Promise<SpreadRow> {
  const urls = await databases(local, k);
  const store = new ClusterStore({ clusters: urls });
  const economy = createEconomy({ storage: store });
  await economy.migrate();
  const ids = Array.from({ length: tenants }, (_, i) => `scale${k}_${i}`);
  // Placed one by one, in order: the least-tenants rule then spreads them evenly.
  for (const id of ids) await store.placementOf(id);
  const cpus = await Promise.all(
    local.clusters
      .slice(0, k)
      .map((c) => PostgresCpu.open(c.url.replace(/\/test$/, '/postgres'), `scale${k}`)),
  );
  let n = 0;
  const result = await runCell({
    concurrency,
    warmupMs: Number(args.warmup) * 1000,
    measureMs: seconds * 1000,
    next: () => ({
      from: FAUCET,
      to: userAccount(Math.floor(Math.random() * users)),
      amount: 1n,
      code: 'bench.scale',
    }),
    transfer: (move) => economy.tenant(ids[n++ % ids.length]!).ledger.transfer(move),
    serverCpuMs: () => cpus.reduce((sum, c) => sum + (c?.sample() ?? 0), 0),
  });
  const perCluster: Record<string, number> = {};
  for (const p of await store.directory.list()) perCluster[p.cluster] = (perCluster[p.cluster] ?? 0) + 1;
  for (const id of ids.slice(0, 2)) {
    const check = await economy.tenant(id).ledger.verify();
    if (!check.ok) throw new Error(`verify() of ${id}: ${check.problems.join('; ')}`);
  }
  await Promise.all(cpus.map((c) => c?.close()));
  await economy.close();
  return {
    clusters: k,
    perSecond: result.perSecond,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    nodeCpuUs: result.nodeCpuUs,
    serverCpuUs: result.serverCpuUs ?? 0,
    errors: result.errors,
    loadAvg: result.loadAvg,
    tenantsPerCluster: perCluster,
  };
}

/** Moves one tenant back and forth under load (8 writers on it, 8 on a neighbour); the pause of each. */
async function pauses(local: LocalClusters): Promise<{ pausesMs: number[]; acked: number; errors: number }> {
  const urls = await databases(local, 3);
  const store = new ClusterStore({ clusters: urls });
  const economy: Economy = createEconomy({ storage: store });
  await economy.migrate();
  const moving = economy.tenant('moving');
  const neighbour = economy.tenant('neighbour');
  let writing = true;
  let acked = 0;
  let errors = 0;
  const writer = async (tenant: typeof moving) => {
    while (writing) {
      try {
        await tenant.ledger.transfer({
          from: FAUCET,
          to: userAccount(Math.floor(Math.random() * 100)),
          amount: 1n,
          code: 'bench.move',
        });
        acked++;
      } catch {
        errors++;
      }
    }
  };
  await moving.ledger.transfer({ from: FAUCET, to: userAccount(0), amount: 1n, code: 'bench.move' });
  const writers = [
    ...Array.from({ length: 8 }, () => writer(moving)),
    ...Array.from({ length: 8 }, () => writer(neighbour)),
  ];
  await new Promise((r) => setTimeout(r, 1000));
  const pausesMs: number[] = [];
  for (let i = 0; i < moves; i++) {
    const from = (await store.placementOf('moving')).cluster;
    const to = CLUSTER_NAMES[(CLUSTER_NAMES.indexOf(from) + 1) % CLUSTER_NAMES.length]!;
    const report = await moveTenant(store, 'moving', to, { graceMs: 200 });
    pausesMs.push(report.pauseMs ?? Number.NaN);
    console.log(
      `move ${i + 1}: ${from} → ${to}, pause ${ms(report.pauseMs ?? 0)} ms (${JSON.stringify(report.pausePhasesMs)}), ${report.rowsCopied} rows copied, ${report.counts.gm_transfers} transfers`,
    );
    await new Promise((r) => setTimeout(r, 300));
  }
  writing = false;
  await Promise.all(writers);
  const check = await moving.ledger.verify();
  if (!check.ok) throw new Error(`verify() after the moves: ${check.problems.join('; ')}`);
  await economy.close();
  return { pausesMs, acked, errors };
}

/**
 * Kills the primary of a formation under 8 writers at full speed, `count` times (the round runner `bench:failover` and the
 * failover test use): the longest time with no write acknowledged around each kill. The economy comes from the SDK's
 * sources, as the runner's error checks do.
 */
async function failoverGaps(count: number): Promise<number[]> {
  if (!autoFailoverAvailable()) return [];
  const cluster = await startFailoverCluster();
  const gaps: number[] = [];
  try {
    await cluster.healthy(120_000);
    const economy = createSourceEconomy({
      storage: new SourcePostgresStore({ url: cluster.url, retryBudgetMs: 2_000, connectTimeoutMs: 1_000 }),
    });
    await economy.migrate();
    const tenant = economy.tenant('failover');
    for (let round = 0; round < count; round++) {
      const result = await failoverRound({
        cluster,
        tenant,
        writers: 8,
        killAfter: 1_000,
        prefix: `f${round}`,
      });
      gaps.push(result.longestGapMs);
      console.log(
        `failover ${round + 1}: longest gap between acknowledged transfers ${ms(result.longestGapMs)} ms`,
      );
      cluster.restart(result.killed);
      await cluster.healthy(120_000);
    }
    await economy.close();
  } finally {
    await cluster.stop();
  }
  return gaps;
}

const startLoad = machine();
console.log(describeMachine(startLoad));
const local = await startLocalClusters(CLUSTER_NAMES);
const rows: SpreadRow[] = [];
let moveResult: Awaited<ReturnType<typeof pauses>> | undefined;
let gaps: number[] = [];
try {
  for (const k of [1, 2, 3]) {
    rows.push(await spread(local, k));
    console.log(`${k} cluster(s): ${whole(rows.at(-1)!.perSecond)}/s`);
  }
  if (moves > 0) moveResult = await pauses(local);
} finally {
  await local.stop();
}
if (failovers > 0) gaps = await failoverGaps(failovers);

console.log();
console.log(
  table(
    [
      'clusters',
      'tenants per cluster',
      'transfers/s',
      'p50 ms',
      'p99 ms',
      'node µs/transfer',
      'postgres µs/transfer',
      'errors',
      'load',
    ],
    rows.map((r) => [
      String(r.clusters),
      Object.entries(r.tenantsPerCluster)
        .map(([c, n]) => `${c}:${n}`)
        .join(' '),
      whole(r.perSecond),
      ms(r.p50Ms),
      ms(r.p99Ms),
      whole(r.nodeCpuUs),
      whole(r.serverCpuUs),
      String(r.errors),
      r.loadAvg.toFixed(2),
    ]),
    (i) => i >= 2,
  ),
);
if (moveResult) {
  const sorted = Float64Array.from(moveResult.pausesMs).sort();
  console.log(
    `\nmoves under load: ${moveResult.pausesMs.length}, pause p50 ${ms(percentile(sorted, 0.5))} ms, max ${ms(sorted.at(-1) ?? 0)} ms; ` +
      `${whole(moveResult.acked)} transfers acknowledged during them, ${moveResult.errors} errors`,
  );
}
if (failovers > 0) {
  console.log(
    gaps.length > 0
      ? `failover write gap: ${gaps.map(ms).join(', ')} ms`
      : 'failover: pg_autoctl is not installed, not measured',
  );
}
const file = writeJson(args.out, 'scale', {
  machine: startLoad,
  loadAvgAtEnd: (await import('node:os')).loadavg(),
  options: { seconds, tenants, concurrency, users, moves, failovers },
  spreads: rows.map((r) => ({
    ...r,
    perSecond: round(r.perSecond),
    nodeCpuUs: round(r.nodeCpuUs),
    serverCpuUs: round(r.serverCpuUs),
  })),
  moves: moveResult,
  failoverGapsMs: gaps,
});
console.log(`\nwrote ${file}`);
