import Database from 'libsql';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { distribution } from '../../src/analytics/holdings.js';
import { defineEconomy, type Economy, presets } from '../../src/index.js';
import { postgresMigrations, sqliteMigrations } from '../../src/stores/migrations.generated.js';
import type { StoreTarget } from '../support/stores.js';

const TAG = '0005_holdings_backfill';

/** Runs SQL on the target's database outside the SDK, as an older version left it or a migration runs. */
export async function runSql(url: string, statements: readonly string[]): Promise<void> {
  if (url.startsWith('postgres')) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const sql of statements) await client.query(sql);
    } finally {
      await client.end();
    }
    return;
  }
  const db = new Database(url.slice('file:'.length));
  try {
    for (const sql of statements) db.exec(sql);
  } finally {
    db.close();
  }
}

/**
 * Migration 0005 fills the holdings histogram of a database whose history predates it: the same rows the
 * rebuild derives from the ledger (a file or server database: the migration runs on another connection).
 */
export function describeHoldingsBackfill(target: StoreTarget): void {
  describe(`holdings backfill (${target.name})`, () => {
    let economy: Economy | undefined;
    afterEach(async () => {
      await economy?.close();
    });

    it('gives every member with a moved wallet or bank their bucket, debts and banks included', async () => {
      economy = target.open();
      await economy.migrate();
      const t = economy.tenant(`backfill_${process.pid}`);
      await t.configure(defineEconomy(presets.classic));
      const amounts = [5n, 300n, 4_000n, 70_000n, 1_000_000n];
      for (const [i, amount] of amounts.entries()) await t.grant(String(i), amount, { reason: 'seed' });
      await t.ledger.transfer({ from: 'user:1', to: 'user:1.bank', amount: 100n, code: 'bank.deposit' });
      await t.ledger.transfer({ from: 'faucet:x', to: 'user:9.bank', amount: 900n, code: 'x' });
      const paid = await t.grant('debtor', 50n, { reason: 'seed' });
      await t.ledger.transfer({ from: 'user:debtor', to: 'sink:shop', amount: 50n, code: 'sink.shop' });
      await t.ledger.reverse(paid.transfers[0]!.id, { reason: 'exploit', force: true });
      await t.freeze('never-moved', { reason: 'a row without a move: not a member of the histogram' });
      const expected = await t.analytics.headline();
      expect(expected.members).toBe(7);
      expect(expected).toMatchObject(distribution([5n, 300n, 4_000n, 70_000n, 1_000_000n, 900n, -50n]));

      // As before the upgrade: no histogram. Then the migration's statement.
      const migration = (target.url().startsWith('postgres') ? postgresMigrations : sqliteMigrations).find(
        (m) => m.tag === TAG,
      )!;
      await runSql(target.url(), [
        "DELETE FROM gm_rollups WHERE metric = 'holdings'",
        ...migration.statements,
      ]);
      expect({ ...(await t.analytics.headline()), asOf: expected.asOf }).toEqual(expected);
      expect((await t.analytics.rebuild()).ok).toBe(true);
    });
  });
}
