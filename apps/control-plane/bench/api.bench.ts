import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defineEconomy, presets } from '@guildmint/sdk';
import { createApiRateLimit } from '../src/server/public-api/rate-limit';
import { startApiServer } from '../test/support/api-server';
import { createHarness, onboarded, type StorageKind } from '../test/support/harness';
import { cliArgs } from './cli-args';
import { measureWebhookDeliveries } from './webhook-deliveries';

/**
 * `pnpm bench:api`: requests/s and latency (p50/p99) through API v1 over loopback HTTP for `balance`, `pay`
 * and `claim`, with 64 concurrent clients on one key and spread over 100 keys. The server (route handler,
 * gate, rate limiter, SDK, store) and the clients share this process, so CPU per request counts both.
 * The plan's limit is set out of reach (the limiter still counts every request). Prints a table and writes
 * bench/results/api-<timestamp>.json at the repository root.
 */

const HELP = `pnpm bench:api [options]
  --store libsql|postgres   the platform tables and the economy (default libsql: files in a temp folder;
                            postgres: a fresh database on DATABASE_URL or the loopback default)
  --seconds N               per workload (default 5)
  --clients N               concurrent clients (default 64)
  --ops a,b                 of balance, pay, claim (default all)
  --client http|fetch       the clients' HTTP: node:http with keep-alive (default; the lighter, so the rows show
                            the server more than the clients, which share its process) or fetch (undici)
  --out DIR                 where the JSON goes (default <repo>/bench/results)
  --webhooks N              payments whose webhooks are then delivered to a loopback receiver (default 5000; 0: skip)`;

const { values } = parseArgs({
  args: cliArgs(),
  options: {
    store: { type: 'string', default: 'libsql' },
    seconds: { type: 'string', default: '5' },
    clients: { type: 'string', default: '64' },
    ops: { type: 'string', default: 'balance,pay,claim' },
    client: { type: 'string', default: 'http' },
    webhooks: { type: 'string', default: '5000' },
    out: { type: 'string', default: new URL('../../../bench/results', import.meta.url).pathname },
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
const ops = values.ops.split(',') as Array<'balance' | 'pay' | 'claim'>;
const PAYERS = 2_000; // pay spreads senders so the SDK's per-member limit (600 a minute at most) is not what is measured

const h = await createHarness(store, {
  apiRateLimit: createApiRateLimit({
    requestsPerMinute: async () => 1_000_000_000,
    keyPrefix: `bench-api:${Date.now()}`,
  }),
});
const server = await startApiServer(h.services);
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

// The transport alone: a bare node:http server answering `{}` to the same clients. What API v1 costs is the
// difference between its rows and this one (both sides of loopback HTTP run in this process).
const floor = createServer((_, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{}');
});
await new Promise<void>((resolve) => floor.listen(0, '127.0.0.1', resolve));
const floorUrl = `http://127.0.0.1:${(floor.address() as AddressInfo).port}/`;

/** One request's status, its body read to the end. */
type Send = (
  url: string,
  o?: { method?: string; headers?: Record<string, string>; body?: string },
) => Promise<number>;

const sendFetch: Send = async (url, o = {}) => {
  const response = await fetch(url, o);
  await response.arrayBuffer();
  return response.status;
};

// node:http over keep-alive connections, one per client: about half the CPU of fetch per request here, and
// that CPU is the clients', not the server's (they share this process).
const agent = new Agent({ keepAlive: true, maxSockets: clients });
const sendHttp: Send = (url, o = {}) =>
  new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: o.method ?? 'GET', headers: o.headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(o.body);
  });
const send = values.client === 'fetch' ? sendFetch : sendHttp;

let sequence = 0;
const base = `${server.url}/api/v1/tenants/${tenantId}`;
type Op = 'floor' | 'balance' | 'pay' | 'claim';
function request(op: Op, key: string): Promise<number> {
  const n = sequence++;
  if (op === 'floor') return send(floorUrl);
  const headers = { authorization: `Bearer ${key}`, 'idempotency-key': `bench-${n}` };
  if (op === 'balance') return send(`${base}/members/${1_000_000 + (n % PAYERS)}/balance`, { headers });
  if (op === 'claim')
    return send(`${base}/members/${2_000_000 + n}/claims/work`, { method: 'POST', headers });
  const from = 1_000_000 + (n % PAYERS);
  const to = 1_000_000 + ((n * 7 + 1) % PAYERS);
  return send(`${base}/payments`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ from: `${from}`, to: `${to === from ? to + 1 : to}`, amount: '1' }),
  });
}

interface Row {
  op: string;
  keys: number;
  requests: number;
  failed: number;
  statuses: Record<string, number>;
  perSecond: number;
  p50ms: number;
  p99ms: number;
  cpuUsPerRequest: number;
}

async function run(op: Op, keyCount: number, ms: number): Promise<Row> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const until = performance.now() + ms;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      let i = 0;
      while (performance.now() < until) {
        const key = keys[keyCount === 1 ? 0 : (c * 31 + i++) % keyCount] as string;
        const t = performance.now();
        const status = await request(op, key);
        latencies.push(performance.now() - t);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    op,
    keys: keyCount,
    requests: latencies.length,
    failed: latencies.length - (statuses['200'] ?? 0),
    statuses,
    perSecond: Math.round(latencies.length / elapsed),
    p50ms: Number(at(0.5).toFixed(1)),
    p99ms: Number(at(0.99).toFixed(1)),
    cpuUsPerRequest: Math.round((used.user + used.system) / latencies.length),
  };
}

const rows: Row[] = [];
// A warm-up second of every workload (JIT, connections, prepared statements, caches, what the seeding left
// to settle): otherwise the first measured row carries seconds of cold start in its p99.
for (const op of ['floor', ...ops] as const) await run(op, 1, 1_000);
rows.push(await run('floor', 0, seconds * 1000));
for (const op of ops)
  for (const keyCount of [1, 100]) {
    const row = await run(op, keyCount, seconds * 1000);
    rows.push(row);
    console.error(`${op} over ${keyCount} key(s): ${row.perSecond}/s`);
  }

const webhooks =
  Number(values.webhooks) > 0
    ? await measureWebhookDeliveries(h, { tenantId, caller }, Number(values.webhooks))
    : null;
const verified = await tenant.ledger.verify();
const machine = {
  cpus: cpus().length,
  model: cpus()[0]?.model ?? '?',
  memoryGb: Math.round(totalmem() / 2 ** 30),
  loadAvg1m: loadavg()[0],
};
console.log(
  `\nAPI v1 over loopback HTTP · store ${store} · ${clients} clients (${values.client}) · ${seconds} s per row`,
);
console.log(
  `machine: ${machine.cpus} × ${machine.model}, load average ${machine.loadAvg1m?.toFixed(2)} (numbers are only as good as the machine is quiet)\n`,
);
console.log('| op | keys | requests | req/s | p50 ms | p99 ms | CPU µs/req | failed |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows)
  console.log(
    `| ${r.op} | ${r.keys} | ${r.requests} | ${r.perSecond} | ${r.p50ms} | ${r.p99ms} | ${r.cpuUsPerRequest} | ${r.failed ? JSON.stringify(r.statuses) : 0} |`,
  );
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
    { store, clients, client: values.client, seconds, machine, rows, webhooks, verified },
    null,
    2,
  ),
);
console.log(`results: ${file}`);
agent.destroy();
floor.close();
await server.close();
await h.close();
