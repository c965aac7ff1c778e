/**
 * Fleet takeover benchmark: three runtime processes (`dist/cli.js`, GUILDMINT_SHARDS=fleet) over six shards on
 * the Discord simulator (max_concurrency 2) and a real Redis; each round kills one process with SIGKILL and
 * measures the time until its shards are RESUMEd elsewhere, the time until an interaction sent right after the
 * kill is answered, and the CPU the two survivors spent meanwhile. Fresh processes and keys every round.
 *
 *   pnpm bench:fleet [-- --rounds 3 --lease-ms 3000]
 *
 * Loopback only. Prints a table and writes bench/results/fleet-<timestamp>.json.
 */

import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DiscordSimulator, guildIdForShard } from '@guildmint/discord-simulator';
import { createEconomy } from '@guildmint/sdk';
import { Redis } from 'ioredis';
import { type BotProcess, shardsHeld, spawnBot } from '../test/support/process.js';
import { common, report } from './shared.js';

const SHARDS = 6;
const PROCESSES = 3;
const MEMBER = '300000000000000042';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const { values: args } = parseArgs({
  args: common.cliArgs(),
  options: {
    rounds: { type: 'string', default: '3' },
    'lease-ms': { type: 'string', default: '3000' },
    'identify-window-ms': { type: 'string', default: '1000' },
    out: { type: 'string', default: fileURLToPath(new URL('../../../bench/results', import.meta.url)) },
  },
});
const rounds = common.positive(args.rounds, '--rounds');
const leaseMs = common.positive(args['lease-ms'], '--lease-ms');
const windowMs = common.positive(args['identify-window-ms'], '--identify-window-ms');

/** CPU ms a process has used so far (utime + stime from /proc, at 100 ticks a second). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface Round {
  round: number;
  orphaned: number[];
  resumedMs: number;
  answeredMs: number;
  survivorCpuMs: number;
  identifies: number;
  throttled: number;
  loadAvg: number;
}

async function runRound(round: number): Promise<Round> {
  const sim = await DiscordSimulator.start({
    identifyConcurrency: { maxConcurrency: 2, windowMs },
    ackDeadlineMs: 60_000,
    replyTimeoutMs: 60_000,
  });
  const guilds = Array.from({ length: SHARDS }, (_, shard) => {
    const id = guildIdForShard(shard, SHARDS);
    sim.addGuild({ id, name: `Guild ${shard}` });
    sim.addMember(id, { id: MEMBER, username: 'member' });
    return id;
  });
  const dir = mkdtempSync(join(tmpdir(), 'guildmint-fleet-bench-'));
  const storage = `file:${join(dir, 'economy.db')}`;
  // Migrated once here: three processes migrating one fresh libSQL file at once would collide.
  const economy = createEconomy({ storage });
  await economy.migrate();
  await economy.close();
  const prefix = `bench:fleet:${randomBytes(6).toString('hex')}:`;
  const env = {
    DISCORD_TOKEN: sim.botToken,
    DISCORD_APPLICATION_ID: sim.applicationId,
    DISCORD_API_URL: sim.apiUrl,
    DATABASE_URL: storage,
    REDIS_URL,
    GUILDMINT_SHARDS: 'fleet',
    SHARD_COUNT: String(SHARDS),
    GUILDMINT_FLEET_LEASE_MS: String(leaseMs),
    GUILDMINT_IDENTIFY_WINDOW_MS: String(2 * windowMs),
    GUILDMINT_FLEET_PREFIX: prefix,
    METRICS_PORT: 'off',
    LOG_LEVEL: 'info',
  };
  const bots = Array.from({ length: PROCESSES }, () => spawnBot(env));
  try {
    await Promise.all(bots.map((bot) => bot.waitForLog((l) => l.msg === 'ready', 90_000)));
    await Promise.any(
      bots.map((bot) => bot.waitForLog(() => bots.every((b) => shardsHeld(b).length === 2), 60_000)),
    );
    await sim.waitForShards(SHARDS, { timeoutMs: 60_000 });
    const [victim, ...survivors] = bots as [BotProcess, ...BotProcess[]];
    const orphaned = shardsHeld(victim);
    const resumed = orphaned.map((shard) => sim.waitForGatewayEvent('resumed', { shard, timeoutMs: 60_000 }));
    const cpuBefore = survivors.reduce((sum, bot) => sum + cpuMs(bot.child.pid!), 0);
    const killedAt = Date.now();
    victim.child.kill('SIGKILL');
    await victim.exited;
    const answer = sim.slash({ guildId: guilds[orphaned[0]!]!, userId: MEMBER, command: 'daily' });
    const events = await Promise.all(resumed);
    await answer;
    const answeredMs = Date.now() - killedAt;
    const survivorCpuMs = survivors.reduce((sum, bot) => sum + cpuMs(bot.child.pid!), 0) - cpuBefore;
    const tally = sim.shardTally();
    return {
      round,
      orphaned,
      resumedMs: Math.max(...events.map((e) => e.at)) - killedAt,
      answeredMs,
      survivorCpuMs,
      identifies: tally.reduce((sum, t) => sum + t.identifies, 0),
      throttled: tally.reduce((sum, t) => sum + t.throttled, 0),
      loadAvg: common.round(loadavg()[0]!, 2),
    };
  } finally {
    await Promise.all(bots.map((bot) => bot.stop()));
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  }
}

const machine = report.machine();
console.log(report.describeMachine(machine));
console.log(
  `${PROCESSES} processes, ${SHARDS} shards, lease ${leaseMs} ms, identify window ${windowMs} ms\n`,
);
const results: Round[] = [];
for (let round = 1; round <= rounds; round++) results.push(await runRound(round));
console.log(
  common.table(
    [
      'round',
      'orphaned',
      'resumed after kill',
      'answered after kill',
      'survivors CPU',
      'identifies',
      'throttled',
      'load',
    ],
    results.map((r) => [
      String(r.round),
      r.orphaned.join(','),
      common.ms(r.resumedMs),
      common.ms(r.answeredMs),
      common.ms(r.survivorCpuMs),
      String(r.identifies),
      String(r.throttled),
      r.loadAvg.toFixed(2),
    ]),
    (i) => i >= 2,
  ),
);
const file = common.writeJson(args.out, 'fleet', {
  benchmark: 'fleet',
  machine,
  settings: { processes: PROCESSES, shards: SHARDS, leaseMs, identifyWindowMs: windowMs, rounds },
  results,
});
console.log(`\nresults: ${file}`);
