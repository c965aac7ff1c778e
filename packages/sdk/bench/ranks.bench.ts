/**
 * The leaderboard by bank or total and a member's rank, before and after they were sorted and counted by
 * the store: "before" is the algorithm the SDK used until then (read every user balance, fold wallets and
 * banks per member, sort in the process), "after" is `Store.rankedMembers` / `Store.memberRank`. Balances
 * are written in bulk by SQL (half the members hold a bank too); each call runs `--samples` times.
 *
 *   pnpm bench:ranks [-- --stores libsql,postgres --members 10000,100000 --samples 15]
 *
 * Prints a table and writes bench/results/ranks-<timestamp>.json at the repository root.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LibsqlStore } from '@guildmint/sdk/libsql';
import { PostgresStore } from '@guildmint/sdk/postgres';
import Database from 'libsql';
import pg from 'pg';
import {
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

const STORES = ['libsql', 'postgres'] as const;
const TENANT = 'bench-guild';
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const { values } = parseArgs({
  args: cliArgs(),
  options: {
    stores: { type: 'string', default: STORES.join(',') },
    members: { type: 'string', default: '10000,100000' },
    samples: { type: 'string', default: '15' },
  },
});
const stores = list(values.stores).map((s) => oneOf(s, STORES, '--stores'));
const sizes = list(values.members).map((m) => positive(m, '--members'));
const samples = positive(values.samples, '--samples');

type Store = LibsqlStore | PostgresStore;

/** The SDK's leaderboard before this change: every user balance into the process, folded and sorted. */
async function before(store: Store, userId: string) {
  const members = new Map<string, { wallet: bigint; bank: bigint }>();
  for (const row of await store.userBalances(TENANT)) {
    const bank = row.account.endsWith('.bank');
    const id = row.account.slice(5, bank ? -5 : undefined);
    const entry = members.get(id) ?? { wallet: 0n, bank: 0n };
    entry[bank ? 'bank' : 'wallet'] += row.balance;
    members.set(id, entry);
  }
  const board = [...members]
    .map(([id, h]) => ({ id, total: h.wallet + h.bank }))
    .filter((r) => r.total > 0n)
    .sort((a, b) => (a.total === b.total ? (a.id < b.id ? -1 : 1) : a.total > b.total ? -1 : 1));
  return { top: board.slice(0, 10), rank: board.findIndex((r) => r.id === userId) + 1 };
}

async function after(store: Store, userId: string) {
  const [top, rank] = await Promise.all([
    store.rankedMembers(TENANT, 'total', 10),
    store.memberRank(TENANT, userId, 'total'),
  ]);
  return { top, rank: rank.place };
}

function balanceRows(count: number): Array<[string, bigint]> {
  const rows: Array<[string, bigint]> = [];
  for (let i = 0; i < count; i++) {
    const id = (500000000000000000n + BigInt(i)).toString();
    rows.push([`user:${id}`, BigInt((i * 7919) % 100_000)]);
    if (i % 2 === 0) rows.push([`user:${id}.bank`, BigInt((i * 104729) % 50_000)]);
  }
  return rows;
}

async function seed(name: (typeof STORES)[number], url: string, count: number) {
  const rows = balanceRows(count);
  if (name === 'libsql') {
    const db = new Database(url.slice('file:'.length));
    const insert = db.prepare(
      'INSERT INTO gm_balances (tenant_id, account, slot, balance) VALUES (?, ?, 0, ?)',
    );
    db.exec('BEGIN');
    for (const [account, balance] of rows) insert.run(TENANT, account, balance);
    db.exec('COMMIT');
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (let i = 0; i < rows.length; i += 10_000) {
    const chunk = rows.slice(i, i + 10_000);
    await client.query(
      `INSERT INTO gm_balances (tenant_id, account, slot, balance)
       SELECT $1, a, 0, b FROM unnest($2::text[], $3::bigint[]) AS t(a, b)`,
      [TENANT, chunk.map((r) => r[0]), chunk.map((r) => r[1].toString())],
    );
  }
  await client.query('ANALYZE gm_balances');
  await client.end();
}

async function time(work: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await work(); // warm
  const took: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    await work();
    took.push(performance.now() - start);
  }
  took.sort((a, b) => a - b);
  return {
    p50: took[Math.floor(took.length / 2)]!,
    p95: took[Math.min(took.length - 1, Math.ceil(took.length * 0.95) - 1)]!,
  };
}

const results: Array<Record<string, unknown>> = [];
for (const name of stores) {
  for (const count of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'guildmint-ranks-'));
    const dbName = `gm_bench_ranks_${process.pid}`;
    const url =
      name === 'postgres' ? await recreateDatabase(ADMIN_URL, dbName) : `file:${join(dir, 'ranks.db')}`;
    const store: Store = name === 'postgres' ? new PostgresStore({ url }) : new LibsqlStore({ url });
    try {
      await store.migrate();
      await seed(name, url, count);
      // A member in the middle of the board.
      const member = (500000000000000000n + BigInt(Math.floor(count / 2))).toString();
      const a = await before(store, member);
      const b = await after(store, member);
      if (a.rank !== b.rank || a.top[0]!.id !== b.top[0]!.userId)
        throw new Error('before and after disagree');
      for (const [variant, work] of [
        ['before (read all, sort in JS)', () => before(store, member)],
        ['after (sorted and counted in SQL)', () => after(store, member)],
      ] as const) {
        const t = await time(work);
        results.push({ store: name, members: count, variant, p50: round(t.p50, 2), p95: round(t.p95, 2) });
        console.log(`${name} ${count} ${variant}: p50 ${ms(t.p50)} ms, p95 ${ms(t.p95)} ms`);
      }
    } finally {
      await store.close();
      if (name === 'postgres') await dropDatabase(ADMIN_URL, dbName);
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

console.log(describeMachine(machine()));
console.log(
  table(
    ['store', 'members', 'variant', 'p50 ms', 'p95 ms'],
    results.map((r) => [String(r.store), String(r.members), String(r.variant), String(r.p50), String(r.p95)]),
    (i) => i >= 3,
  ),
);
const root = fileURLToPath(new URL('../../..', import.meta.url));
console.log(
  `wrote ${writeJson(join(root, 'bench', 'results'), 'ranks', { machine: machine(), samples, results })}`,
);
