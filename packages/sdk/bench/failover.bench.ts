/**
 * The write gap of a PostgreSQL failover (issue 13 §2): pg_auto_failover on loopback (a monitor, a primary and two
 * standbys, `number_sync_standbys = 1`, failure detection tuned to seconds as in the failover test), 8 writers
 * acknowledging transfers at full speed through the multi-host URL, the primary killed (kill -9) after a seeded
 * number of acknowledgements, `--rounds` times. Reports per round the longest time with no write acknowledged
 * and the time from the kill until writes came back, then checks that every acknowledged transfer is on
 * the last primary exactly once and `verify()` is clean.
 *
 *   pnpm bench:failover [-- --rounds 5 --writers 8 --seed 1302]
 *
 * Needs `pg_autoctl` (Debian's postgresql-15-auto-failover). Prints a table and writes
 * bench/results/failover-<timestamp>.json at the repository root.
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createEconomy, seededRandom } from '../src/index.js';
import { PostgresStore } from '../src/stores/postgres/store.js';
import { failoverRound } from '../test/support/failover-round.js';
import { autoFailoverAvailable, startFailoverCluster } from '../test/support/services.js';
import { cliArgs, positive, round, table, whole, writeJson } from './common.js';
import { describeMachine, machine } from './report.js';

const { values } = parseArgs({
  args: cliArgs(),
  options: {
    rounds: { type: 'string', default: '5' },
    writers: { type: 'string', default: '8' },
    seed: { type: 'string', default: '1302' },
  },
});
const rounds = positive(values.rounds, 'rounds');
const writers = positive(values.writers, 'writers');
const seed = positive(values.seed, 'seed');
if (!autoFailoverAvailable()) {
  console.error('bench:failover needs pg_autoctl: apt-get install postgresql-15-auto-failover');
  process.exit(1);
}

const host = machine();
console.log(
  `bench:failover · seed ${seed} · ${rounds} rounds · ${writers} writers\n${describeMachine(host)}`,
);
console.log('starting a monitor, a primary and two standbys on loopback …');
const cluster = await startFailoverCluster({ log: () => {} });
const economy = createEconomy({
  storage: new PostgresStore({ url: cluster.url, retryBudgetMs: 2_000, connectTimeoutMs: 1_000 }),
});
const tenant = economy.tenant('bench-failover');
const random = seededRandom(seed);
const results = [];
let acknowledged = 0;
try {
  await economy.migrate();
  for (let r = 1; r <= rounds; r += 1) {
    const killAfter = 500 + random.int(1_500);
    const result = await failoverRound({ cluster, tenant, writers, killAfter, prefix: `r${r}` });
    acknowledged += result.acknowledged.length;
    const took = await cluster.primary();
    const row = {
      round: r,
      killed: result.killed.name,
      promoted: took.name,
      acksBeforeKill: killAfter,
      ratePerSecondBefore: Math.round(result.ratePerSecondBefore),
      longestGapMs: result.longestGapMs,
      recoveredAfterMs: result.recoveredAfterMs,
    };
    results.push(row);
    console.log(
      `round ${r}: killed ${row.killed} after ${killAfter} acks, ${row.promoted} took over; ` +
        `gap ${row.longestGapMs} ms, writes back ${row.recoveredAfterMs} ms after the kill`,
    );
    cluster.restart(result.killed);
    await cluster.healthy();
  }
  const primary = await cluster.primary();
  const client = new pg.Client({ connectionString: primary.url });
  await client.connect();
  const { rows } = await client
    .query<{ n: string }>("SELECT count(*)::text AS n FROM gm_transfers WHERE tenant_id = 'bench-failover'")
    .finally(() => client.end());
  const verified = await tenant.ledger.verify();
  if (Number(rows[0]!.n) !== acknowledged || !verified.ok) {
    throw new Error(
      `after the failovers: ${rows[0]!.n} rows for ${acknowledged} acknowledged; verify ${JSON.stringify(verified)}`,
    );
  }
} finally {
  await economy.close();
  await cluster.stop();
}

const gaps = results.map((r) => r.longestGapMs).sort((a, b) => a - b);
const median = gaps[Math.floor(gaps.length / 2)]!;
console.log(
  `\n${table(
    ['round', 'killed', 'promoted', 'acks/s before', 'longest gap ms', 'kill → writes back ms'],
    results.map((r) => [
      String(r.round),
      r.killed,
      r.promoted,
      whole(r.ratePerSecondBefore),
      whole(r.longestGapMs),
      whole(r.recoveredAfterMs),
    ]),
    (i) => i >= 3,
  )}\n`,
);
console.log(
  `write gap: median ${whole(median)} ms, max ${whole(gaps.at(-1)!)} ms over ${rounds} failovers; ` +
    `${whole(acknowledged)} acknowledged transfers all on the last primary once, verify() clean; load average now ${round(loadavg()[0]!, 2)}`,
);
const file = writeJson(fileURLToPath(new URL('../../../bench/results', import.meta.url)), 'failover', {
  machine: host,
  seed,
  writers,
  rounds: results,
  medianGapMs: median,
  acknowledged,
});
console.log(`results: ${file}`);
