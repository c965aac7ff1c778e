import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { DiscordSimulator } from '@guildmint/discord-simulator';
import { defineEconomy, presets } from '@guildmint/sdk';
import { createApiRateLimit } from '../src/server/public-api/rate-limit';
import { startApiServer } from '../test/support/api-server';
import { ensureBuilt, type RunningApp, startAppWithSimulator } from '../test/support/app-server';
import { createHarness, onboarded, type StorageKind } from '../test/support/harness';
import { createLoad, type LoadTarget, type Op } from './api-load';
import { cliArgs } from './cli-args';
import { backendCpu, backendCpuSpent, processCpuUs } from './database-cpu';
import { forkedLoad } from './forked-load';
import { measureWebhookDeliveries } from './webhook-deliveries';

/**
 * `pnpm bench:api`: requests/s and latency (p50/p99) through API v1 over loopback HTTP for `balance`, `pay`
 * and `claim`, with 64 concurrent clients on one key and spread over 100 keys. The server (API v1's handler as
 * the production server runs it: gate, rate limiter, SDK, store) runs alone in this process's main thread;
 * the clients run in a child process (api-clients.ts), so each side's CPU per request is measured apart.
 * `--clients-in server` puts them back in the server's thread (the bench before, for comparison).
 * The plan's limit is set out of reach (the limiter still counts every request). `--server production`
 * measures the production server itself instead (server.mjs, its own process). Prints a table and writes
 * bench/results/api-<timestamp>.json at the repository root.
 */

const HELP = `pnpm bench:api [options]
  --store libsql|postgres   the platform tables and the economy (default libsql: files in a temp folder;
                            postgres: a fresh database on DATABASE_URL or the loopback default)
  --seconds N               per workload (default 5)
  --clients N               concurrent clients (default 64)
  --ops a,b                 of balance, pay, claim (default all)
  --rate N                  then pay and claim again, sent at a fixed N requests/s (open loop, each timed from
                            when it was due), on one key and on 100 keys (default 2000, the target's rate; 0: skip)
  --clients-in process|server  where the clients run: a child process of their own (default; the server's CPU
                            per request is then its own) or the server's thread (the old single-thread bench:
                            its ceiling is 1 / (server + client CPU per request))
  --client http|fetch       the clients' HTTP: node:http with keep-alive (default) or fetch (undici)
  --out DIR                 where the JSON goes (default <repo>/bench/results)
  --webhooks N              payments whose webhooks are then delivered to a loopback receiver (default 5000; 0: skip)
  --writer-thread on|off    libSQL: the economy's writer on its own thread (on: the server's default,
                            GUILDMINT_ECONOMY_WRITER_THREAD) or on the server's thread (off)
  --server harness|production  harness (default): API v1's handler (the one the production server runs)
                            on a bare node:http server in this process; production: the production server
                            itself (server.mjs: next build, Next.js with API v1 answered first) in a process of
                            its own, on this run's libSQL files. Its tenants keep their plan's rate limit
                            (Scale: 3,000 requests a minute per key), so it runs the 100-key rows only, and no
                            webhooks or profiles
  --profile DIR             a CPU profile of the server's thread for each measured row, written to DIR as
                            <op>-<keys>.cpuprofile (setup, warm-up and the clients are left out)`;

const { values } = parseArgs({
  args: cliArgs(),
  options: {
    store: { type: 'string', default: 'libsql' },
    seconds: { type: 'string', default: '5' },
    clients: { type: 'string', default: '64' },
    ops: { type: 'string', default: 'balance,pay,claim' },
    client: { type: 'string', default: 'http' },
    'clients-in': { type: 'string', default: 'process' },
    webhooks: { type: 'string', default: '5000' },
    rate: { type: 'string', default: '2000' },
    out: { type: 'string', default: new URL('../../../bench/results', import.meta.url).pathname },
    profile: { type: 'string' },
    'writer-thread': { type: 'string', default: 'on' },
    server: { type: 'string', default: 'harness' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const store = values.store as StorageKind;
const seconds = Number(values.seconds);
const clients = Number(values.clients);
if (values.client !== 'fetch' && values.client !== 'http') throw new Error('--client: http or fetch');
const clientsIn = values['clients-in'];
if (clientsIn !== 'process' && clientsIn !== 'server') throw new Error('--clients-in: process or server');
const writerThread = values['writer-thread'];
if (writerThread !== 'on' && writerThread !== 'off') throw new Error('--writer-thread: on or off');
const ops = values.ops.split(',') as Array<'balance' | 'pay' | 'claim'>;
const serverKind = values.server;
if (serverKind !== 'harness' && serverKind !== 'production')
  throw new Error('--server: harness or production');
const production = serverKind === 'production';
if (production && (store !== 'libsql' || clientsIn !== 'process' || values.profile !== undefined))
  throw new Error('--server production: libSQL files, clients in their own process, no --profile');
/** Key counts per row: the production server holds each key to the plan's limit (see --help). */
const keyCounts = production ? [100] : [1, 100];
const rate = Number(values.rate);
if (!Number.isInteger(rate) || rate < 0) throw new Error('--rate: a whole number of requests/s (0: skip)');
/** The target: writes through the API at this rate or more, answered within 50 ms at the 99th percentile. */
const TARGET = { writesPerSecond: 2_000, p99ms: 50 };
const PAYERS = 2_000; // pay spreads senders so the SDK's per-member limit (600 a minute at most) is not what is measured

const h = await createHarness(store, {
  writerThread: writerThread === 'on',
  apiRateLimit: createApiRateLimit({
    requestsPerMinute: async () => 1_000_000_000,
    keyPrefix: `bench-api:${Date.now()}`,
  }),
});
const { tenantId, caller } = await onboarded(h);
const tenant = h.economy.tenant(tenantId);
// The harness holds tenants to their plan: Scale, so 2,000 funded members and their payees fit.
await tenant.recordEntitlement({
  rail: 'stripe',
  ref: 'sub_bench',
  plan: 'scale',
  status: 'active',
  currentPeriodEnd: null,
  graceUntil: null,
  observedAt: new Date(),
});
await tenant.configure(
  defineEconomy({
    ...presets.classic,
    policy: { ...presets.classic.policy, rateLimit: { perMemberPerMinute: 600 } },
  }),
);
const keys: string[] = [];
for (let i = 0; i < 100; i++)
  keys.push((await caller.apiKeys.create({ tenantId, name: `bench ${i}`, scopes: ['write'] })).secret);
for (let i = 0; i < PAYERS; i += 100)
  await Promise.all(
    Array.from({ length: 100 }, (_, j) =>
      tenant.grant(`${1_000_000 + i + j}`, 1_000_000_000n, { reason: 'bench', actor: 'bench' }),
    ),
  );

// The transport alone: a bare node:http server answering `{}` to the same clients. What API v1 costs the
// server is the difference between its rows and this one.
const floor = createServer((_, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{}');
});
await new Promise<void>((resolve) => floor.listen(0, '127.0.0.1', resolve));

const server: { url: string; pid?: number; close(): Promise<void> } = production
  ? await startProductionServer()
  : await startApiServer(h.services);
/** The production server's process (its CPU is read from /proc); null: the server is this process. */
const serverPid = server.pid ?? null;

/** server.mjs on this run's data folder (the harness's libSQL files), with a Discord simulator for login. */
async function startProductionServer(): Promise<RunningApp & { close(): Promise<void> }> {
  await ensureBuilt();
  const sim = await DiscordSimulator.start();
  const app = await startAppWithSimulator(sim, dirname(h.economyUrl.replace(/^file:/, '')), {
    env: { GUILDMINT_ECONOMY_WRITER_THREAD: writerThread === 'on' ? '1' : '0' },
  });
  return {
    ...app,
    url: app.url.replace('localhost', '127.0.0.1'),
    close: async () => {
      await app.stop();
      await sim.close();
    },
  };
}

/**
 * CPU (µs) the server of `op` has used: this process's (the floor's server is always here), or the
 * production server's process's (/proc).
 */
function serverCpuUs(op: Op): number {
  if (serverPid === null || op === 'floor') {
    const used = process.cpuUsage();
    return used.user + used.system;
  }
  return processCpuUs(serverPid);
}

const target: LoadTarget = {
  base: `${server.url}/api/v1/tenants/${tenantId}`,
  floorUrl: `http://127.0.0.1:${(floor.address() as AddressInfo).port}/`,
  keys,
  payers: PAYERS,
  clients,
  client: values.client,
};
const load = clientsIn === 'process' ? await forkedLoad(target) : inProcessLoad();

/** The clients in this thread, beside the server (`--clients-in server`). */
function inProcessLoad() {
  const inProcess = createLoad(target);
  return { run: inProcess.run, close: async () => inProcess.close() };
}

interface Row {
  op: string;
  keys: number;
  /** The fixed rate the requests were sent at (open loop); null: `clients` closed loops. */
  offeredPerSecond: number | null;
  requests: number;
  failed: number;
  statuses: Record<string, number>;
  perSecond: number;
  p50ms: number;
  p99ms: number;
  maxMs: number;
  /** This process's CPU per request: the server alone (clients in a process of their own), or both. */
  serverCpuUsPerRequest: number | null;
  clientCpuUsPerRequest: number | null;
  /** Both sides (server + clients): what one thread running them both would spend. */
  cpuUsPerRequest: number;
  /** The PostgreSQL backends' CPU per request (the economy's database); null on libSQL. */
  databaseCpuUsPerRequest: number | null;
}

async function run(op: Op, keyCount: number, ms: number, offered?: number): Promise<Row> {
  const database = backendCpu(h.economyUrl);
  const cpu = serverCpuUs(op);
  const r = await load.run(op, keyCount, ms, offered);
  const used = serverCpuUs(op) - cpu;
  const databaseAfter = database && backendCpu(h.economyUrl);
  const perRequest = (us: number) => Math.round(us / Math.max(1, r.requests));
  const here = perRequest(used);
  const split = clientsIn === 'process';
  return {
    op,
    keys: keyCount,
    offeredPerSecond: offered ?? null,
    requests: r.requests,
    failed: r.requests - (r.statuses['200'] ?? 0),
    statuses: r.statuses,
    perSecond: Math.round(r.requests / r.seconds),
    p50ms: r.p50ms,
    p99ms: r.p99ms,
    maxMs: r.maxMs,
    serverCpuUsPerRequest: split ? here : null,
    clientCpuUsPerRequest: split ? perRequest(r.cpuUs) : null,
    cpuUsPerRequest: split ? here + perRequest(r.cpuUs) : here,
    databaseCpuUsPerRequest:
      database && databaseAfter ? perRequest(backendCpuSpent(database, databaseAfter)) : null,
  };
}

/** `run`, profiled when --profile asks (the profiler costs the server CPU, so its rows are slower). */
async function measured(op: Op, keyCount: number, ms: number, offered?: number): Promise<Row> {
  if (values.profile === undefined) return run(op, keyCount, ms, offered);
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const row = await run(op, keyCount, ms, offered);
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  mkdirSync(values.profile, { recursive: true });
  const name = `${op}-${keyCount}${offered === undefined ? '' : `-at-${offered}`}`;
  writeFileSync(join(values.profile, `${name}.cpuprofile`), JSON.stringify(profile));
  return row;
}

const loadAvg1mAtStart = loadavg()[0];
const rows: Row[] = [];
// A warm-up second of every workload (JIT, connections, prepared statements, caches, what the seeding left
// to settle): otherwise the first measured row carries seconds of cold start in its p99. Over 100 keys too:
// a key's first use records its lastUsedAt (a write to the platform database, then at most one a minute),
// and 100 first uses inside one 4-second row are 25 writes a second where the steady state has under 2.
for (const op of ['floor', ...ops] as const)
  for (const keyCount of op === 'floor' ? [1] : keyCounts) await run(op, keyCount, 1_000);
rows.push(await measured('floor', 0, seconds * 1000));
for (const op of ops)
  for (const keyCount of keyCounts) {
    const row = await measured(op, keyCount, seconds * 1000);
    rows.push(row);
    console.error(`${op} over ${keyCount} key(s): ${row.perSecond}/s`);
  }
const paced: Row[] = [];
const writes = ops.filter((op) => op !== 'balance');
if (rate > 0)
  for (const op of writes)
    for (const keyCount of keyCounts) {
      const row = await measured(op, keyCount, seconds * 1000, rate);
      paced.push(row);
      console.error(`${op} over ${keyCount} key(s) sent at ${rate}/s: p99 ${row.p99ms} ms`);
    }
await load.close();

// The production server's own webhook worker would deliver them too: measured on the harness only.
const webhooks =
  Number(values.webhooks) > 0 && !production
    ? await measureWebhookDeliveries(h, { tenantId, caller }, Number(values.webhooks))
    : null;
const verified = await tenant.ledger.verify();
const machine = {
  cpus: cpus().length,
  model: cpus()[0]?.model ?? '?',
  memoryGb: Math.round(totalmem() / 2 ** 30),
  loadAvg1mAtStart,
  loadAvg1m: loadavg()[0],
};
console.log(
  `\nAPI v1 over loopback HTTP · store ${store}${store === 'libsql' ? ` (writer thread ${writerThread})` : ''} · ${clients} clients (${values.client}) · ${seconds} s per row`,
);
console.log(
  production
    ? 'mode: the production server (server.mjs) in a process of its own, the clients in another (CPU measured apart); 100-key rows only'
    : clientsIn === 'process'
      ? 'mode: clients in a child process, the server alone in this main thread (CPU measured apart)'
      : "mode: clients in the server's thread (single-thread; CPU is both sides together)",
);
console.log(
  `machine: ${machine.cpus} × ${machine.model}, load average ${machine.loadAvg1mAtStart?.toFixed(2)} at start, ${machine.loadAvg1m?.toFixed(2)} at end (numbers are only as good as the machine is quiet)\n`,
);
console.log(
  '| op | keys | requests | req/s | p50 ms | p99 ms | server CPU µs/req | clients CPU µs/req | both | PostgreSQL CPU µs/req | one core’s ceiling/s | failed |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
// What one core could serve at this CPU per request: the server's alone, or both sides' in one thread.
const ceiling = (r: Row) => Math.round(1e6 / Math.max(1, r.serverCpuUsPerRequest ?? r.cpuUsPerRequest));
const shown = (n: number | null) => (n === null ? '–' : `${n}`);
for (const r of rows)
  console.log(
    `| ${r.op} | ${r.keys} | ${r.requests} | ${r.perSecond} | ${r.p50ms} | ${r.p99ms} | ${shown(r.serverCpuUsPerRequest)} | ${shown(r.clientCpuUsPerRequest)} | ${r.cpuUsPerRequest} | ${shown(r.databaseCpuUsPerRequest)} | ${ceiling(r)} | ${r.failed ? JSON.stringify(r.statuses) : 0} |`,
  );
/** Every request sent at the target's rate (or more) answered 200, 99 % of them within the target's time. */
const meetsTarget = (r: Row) =>
  r.failed === 0 && (r.offeredPerSecond ?? 0) >= TARGET.writesPerSecond && r.p99ms <= TARGET.p99ms;
if (paced.length) {
  console.log(
    `\nthe same writes sent at a fixed ${rate}/s (open loop: each request timed from when it was due, so a slow answer cannot hide behind the requests it holds up); target ≥ ${TARGET.writesPerSecond.toLocaleString('en-US')} writes/s at p99 ≤ ${TARGET.p99ms} ms\n`,
  );
  console.log(
    '| op | keys | sent/s | answered/s | p50 ms | p99 ms | max ms | server CPU µs/req | failed | target |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of paced)
    console.log(
      `| ${r.op} | ${r.keys} | ${r.offeredPerSecond} | ${r.perSecond} | ${r.p50ms} | ${r.p99ms} | ${r.maxMs} | ${shown(r.serverCpuUsPerRequest)} | ${r.failed ? JSON.stringify(r.statuses) : 0} | ${meetsTarget(r) ? 'met' : 'MISSED'} |`,
    );
}
if (webhooks)
  console.log(
    `\nwebhook deliveries (loopback receiver verifying with standardwebhooks): ${webhooks.delivered} of ${webhooks.events} in ${webhooks.seconds} s = ${webhooks.perSecond}/s, ${webhooks.cpuMsPerDelivery} ms CPU each${webhooks.databaseCpuMsPerDelivery === null ? '' : ` + ${webhooks.databaseCpuMsPerDelivery} ms in PostgreSQL`}, ${webhooks.rejected} rejected`,
  );
console.log(`\nledger verify: ${verified.ok ? 'ok' : verified.problems.join('; ')}`);
mkdirSync(values.out, { recursive: true });
const file = join(values.out, `api-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  JSON.stringify(
    {
      store,
      server: serverKind,
      writerThread: store === 'libsql' ? writerThread : null,
      clients,
      client: values.client,
      clientsIn,
      seconds,
      machine,
      rows,
      rate,
      target: TARGET,
      paced: paced.map((r) => ({ ...r, meetsTarget: meetsTarget(r) })),
      webhooks,
      verified,
    },
    null,
    2,
  ),
);
console.log(`results: ${file}`);
floor.close();
await server.close();
await h.close();
