/**
 * Activity income on the hot path: synthetic MESSAGE_CREATE payloads through the runtime's own handler
 * (`ActivityHandler.onMessage`, what the gateway hook calls) into the SDK and its store, most of them inside
 * their author's window (rewarding nothing, answered from memory), while "interactions" (`tenant.pay`
 * between funded members, each with its own key, as /pay makes it) run beside them. The interactions run
 * twice: alone, then under the message stream, to show the stream does not slow their p99.
 *
 * Then the hot path's CPU per message: the handler alone (in-window messages, no interaction beside them), and
 * the real gateway path (simulator → WebSocket → discord.js → packet guard → handler), split between the
 * simulator's send side and the bot, so a slow simulator is not mistaken for a slow bot.
 *
 *   pnpm bench:activity [-- --seconds 5 --members 2000 --guilds 10 --backends embedded,postgres
 *                          --fresh-every 20 --gateway-messages 20000]
 *
 * Prints a table and writes bench/results/activity-<timestamp>.json at the repository root.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createEconomy, defineEconomy, type Economy, presets } from '@guildmint/sdk';
import { pino } from 'pino';
import { ActivityHandler } from '../src/activity.js';
import { RuntimeMetrics } from '../src/metrics.js';
import { gatewayCost } from './activity-gateway.js';
import { common, harness, report } from './shared.js';

const { cliArgs, list, positive, oneOf, round, table, whole, ms } = common;
const BACKENDS = ['embedded', 'postgres'] as const;
type Backend = (typeof BACKENDS)[number];
const TARGET = { messagesPerSecond: 5_000, p99Slowdown: 1.5 };

const { values } = parseArgs({
  args: cliArgs(),
  options: {
    seconds: { type: 'string', default: '5' },
    members: { type: 'string', default: '2000' },
    guilds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '16' },
    /** One message in this many comes from a member outside their window (a newcomer): rewarded, written. */
    'fresh-every': { type: 'string', default: '100' },
    backends: { type: 'string', default: 'embedded' },
    /** Messages sent through the simulator's gateway to measure that path (0: skip it). */
    'gateway-messages': { type: 'string', default: '20000' },
    'pg-url': {
      type: 'string',
      default: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
    out: { type: 'string', default: fileURLToPath(new URL('../../../bench/results', import.meta.url)) },
  },
});
const seconds = positive(values.seconds, 'seconds');
const members = positive(values.members, 'members');
const guilds = positive(values.guilds, 'guilds');
const concurrency = positive(values.concurrency, 'concurrency');
const FRESH_EVERY = positive(values['fresh-every'], 'fresh-every');
const backends = list(values.backends).map((b) => oneOf(b, BACKENDS, 'backends'));
const gatewayMessages = common.nonNegative(values['gateway-messages'], 'gateway-messages');
const cpuUs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return d.user + d.system;
};

const guildId = (g: number) => String(900_000_000_000_000_000n + BigInt(g));
const memberId = (m: number) => String(800_000_000_000_000_000n + BigInt(m));

interface Latencies {
  count: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** `/pay`-like interactions with `concurrency` in flight until `until()` says stop. */
async function interactions(economy: Economy, until: () => boolean): Promise<Latencies> {
  const samples: number[] = [];
  const started = performance.now();
  let n = 0;
  const worker = async () => {
    while (!until()) {
      const i = n++;
      const t0 = performance.now();
      await economy.tenant(guildId(i % guilds)).pay({
        from: memberId(i % members),
        to: memberId((i + 1) % members),
        amount: 1n,
        key: `bench-pay-${process.pid}-${i}-${started}`,
      });
      samples.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const sorted = Float64Array.from(samples).sort();
  const elapsed = (performance.now() - started) / 1000;
  return {
    count: samples.length,
    perSecond: samples.length / elapsed,
    p50Ms: harness.percentile(sorted, 0.5),
    p99Ms: harness.percentile(sorted, 0.99),
  };
}

async function run(backend: Backend) {
  const dir = mkdtempSync(join(tmpdir(), 'gm-activity-'));
  const dbName = `gm_bench_activity_${process.pid}`;
  const storage =
    backend === 'embedded'
      ? `file:${join(dir, 'bench.db')}`
      : await common.recreateDatabase(values['pg-url'], dbName);
  const economy = createEconomy({ storage });
  try {
    await economy.migrate();
    for (let g = 0; g < guilds; g++) {
      const tenant = economy.tenant(guildId(g));
      await tenant.configure(
        defineEconomy({
          ...presets.classic,
          sinks: { transferTaxBps: 0 },
          policy: { rateLimit: { perMemberPerMinute: 600 } },
          levels: { enabled: true, message: { windowSeconds: 60 }, dailyCoinCap: null },
        }),
      );
    }
    await common.pool(members, 16, (m) =>
      economy.tenant(guildId(m % guilds)).grant(memberId(m), 1_000_000n, { reason: 'bench funds' }),
    );

    // Interactions alone.
    const stopAt = performance.now() + seconds * 1000;
    const alone = await interactions(economy, () => performance.now() > stopAt);

    // Interactions under the message stream.
    const metrics = new RuntimeMetrics({ defaultMetrics: false });
    const handler = new ActivityHandler({
      economy,
      log: pino({ level: 'silent' }),
      metrics,
      now: () => Date.now(),
      announce: async () => undefined,
      grantRole: async () => true,
    });
    let messageId = 1_000_000_000_000_000_000n;
    const message = (m: number) =>
      handler.onMessage({
        id: String(messageId++),
        guild_id: guildId(m % guilds),
        channel_id: '700000000000000001',
        type: 0,
        author: { id: memberId(m) },
        member: { roles: [] },
      });
    // Warm-up: every member has chatted within the window, as in a guild that has been talking a while.
    for (let m = 0; m < members; m++) message(m);
    await handler.idle();
    // The hot path alone: in-window messages with nothing else running, CPU per message.
    const HOT = 200_000;
    const hotStarted = process.cpuUsage();
    for (let i = 0; i < HOT; i++) message((i * 7919) % members);
    const hotCpuUsPerMessage = cpuUs(hotStarted) / HOT;
    await handler.idle();
    const beforeStream = await metrics.registry.getSingleMetricAsString('guildmint_activity_events_total');
    let sent = 0;
    let newcomer = members;
    /**
     * Messages for `seconds`, with the pays beside them: as fast as the loop takes them (`rate` null), or
     * paced at `rate` a second. A slice at a time, then back to the event loop, as the gateway hands the
     * runtime one packet per read; one message in FRESH_EVERY is a member's first in the window (rewarded:
     * a store write).
     */
    const stream = async (rate: number | null) => {
      const stopAt = performance.now() + seconds * 1000;
      const stop = () => performance.now() > stopAt;
      const loaded = interactions(economy, stop);
      const first = sent;
      const started = performance.now();
      const cpu = process.cpuUsage();
      while (!stop()) {
        const due =
          rate === null ? 200 : Math.min(200, first + ((performance.now() - started) * rate) / 1000 - sent);
        for (let i = 0; i < due; i++, sent++)
          message(sent % FRESH_EVERY === 0 ? newcomer++ : (sent * 7919) % members);
        await new Promise((resolve) => (rate === null ? setImmediate(resolve) : setTimeout(resolve, 1)));
      }
      await handler.idle();
      const cpuUsTotal = cpuUs(cpu);
      return {
        messages: sent - first,
        messagesPerSecond: (sent - first) / ((performance.now() - started) / 1000),
        cpuUsPerMessage: cpuUsTotal / (sent - first),
        interactions: await loaded,
      };
    };
    // At the target rate: the interactions' p99 is judged here (a stream flooding the one core as fast as it
    // can slows anything sharing it, whatever the handler costs).
    const paced = await stream(TARGET.messagesPerSecond);
    // As fast as it goes: the throughput.
    const flat = await stream(null);
    const underLoad = paced.interactions;
    const streamCpuUs = flat.cpuUsPerMessage * flat.messages;
    const outcomes = await metrics.registry.getSingleMetricAsString('guildmint_activity_events_total');
    const counter = (text: string, outcome: string) =>
      Number(new RegExp(`outcome="${outcome}"} (\\d+)`).exec(text)?.[1] ?? 0);
    const count = (outcome: string) => counter(outcomes, outcome) - counter(beforeStream, outcome);
    return {
      backend,
      members,
      guilds,
      messages: flat.messages,
      messagesPerSecond: flat.messagesPerSecond,
      pacedMessagesPerSecond: paced.messagesPerSecond,
      interactionsUnderMaxStream: flat.interactions,
      rewarded: count('rewarded'),
      window: count('window'),
      errors: count('error'),
      interactionsAlone: alone,
      interactionsUnderLoad: underLoad,
      hotCpuUsPerMessage,
      /** The stream phase's CPU (messages, their rewards' writes and the pays beside them) per message. */
      streamCpuUsPerMessage: streamCpuUs / flat.messages,
    };
  } finally {
    await economy.close();
    rmSync(dir, { recursive: true, force: true });
    if (backend === 'postgres') await common.dropDatabase(values['pg-url'], dbName);
  }
}

const machine = report.machine();
console.log(report.describeMachine(machine));
console.log(
  `workload: ${members} members over ${guilds} guilds (all chatted already), 60 s window, 1 message in ${FRESH_EVERY} from a newcomer, messages paced at ${whole(TARGET.messagesPerSecond)}/s then as fast as the loop takes them, ${concurrency} /pay-like interactions in flight, ${seconds} s per phase`,
);
const results = [];
for (const backend of backends) results.push(await run(backend));
console.log(
  table(
    [
      'store',
      'messages/s',
      'rewarded',
      'window',
      'errors',
      'pay p99 alone',
      'pay p99 at 5,000 msg/s',
      'pay p99 at max',
      'pay/s alone',
      'pay/s at 5,000 msg/s',
      'verdict',
    ],
    results.map((r) => [
      r.backend,
      whole(r.messagesPerSecond),
      whole(r.rewarded),
      whole(r.window),
      whole(r.errors),
      `${ms(r.interactionsAlone.p99Ms)} ms`,
      `${ms(r.interactionsUnderLoad.p99Ms)} ms`,
      `${ms(r.interactionsUnderMaxStream.p99Ms)} ms`,
      whole(r.interactionsAlone.perSecond),
      whole(r.interactionsUnderLoad.perSecond),
      r.messagesPerSecond >= TARGET.messagesPerSecond &&
      r.interactionsUnderLoad.p99Ms <= r.interactionsAlone.p99Ms * TARGET.p99Slowdown
        ? 'ok'
        : 'MISS',
    ]),
    (i) => i > 0 && i < 10,
  ),
);
const gateway = gatewayMessages > 0 ? await gatewayCost({ members: 200, messages: gatewayMessages }) : null;
const us = (n: number) => `${round(n, 1)} µs`;
console.log(
  table(
    ['store', 'handler CPU/message (in window)', 'stream CPU/message (all, pays included)'],
    results.map((r) => [r.backend, us(r.hotCpuUsPerMessage), us(r.streamCpuUsPerMessage)]),
    (i) => i > 0,
  ),
);
if (gateway) {
  console.log(
    `gateway path, ${whole(gateway.messages)} in-window messages through the simulator and discord.js: ${whole(gateway.messagesPerSecond)}/s; CPU per message ${us(gateway.totalCpuUsPerMessage)} = simulator ${us(gateway.simulatorCpuUsPerMessage)} + bot ${us(gateway.botCpuUsPerMessage)} (the bot alone would take ${whole(1e6 / gateway.botCpuUsPerMessage)}/s on one core)`,
  );
}
console.log(
  `load average at end: ${report
    .machine()
    .loadAvgAtStart.map((l) => l.toFixed(2))
    .join(' ')}`,
);
const file = common.writeJson(values.out, 'activity', {
  machine,
  target: TARGET,
  results: results.map((r) => ({ ...r, messagesPerSecond: round(r.messagesPerSecond) })),
  gateway,
});
console.log(`results: ${file}`);
