import { afterEach, describe, expect, it } from 'vitest';
import { defineEconomy, type Economy, presets } from '../../src/index.js';
import { postgresMigrations, sqliteMigrations } from '../../src/stores/migrations.generated.js';
import type { StoreTarget } from '../support/stores.js';
import { runSql } from './holdings-backfill.suite.js';

const TAG = '0006_bank_marker';

/**
 * The bank marker on a member's wallet row (`gm_balances.has_bank`): the write path reads a member's bank
 * only when it is set, so every way a bank comes to exist must set it, `verify()` must notice a bank it
 * does not mark, and migration 0006 must mark the banks of a database written before it.
 */
export function describeBankMarker(target: StoreTarget): void {
  describe(`bank marker (${target.name})`, () => {
    let economy: Economy | undefined;
    afterEach(async () => {
      await economy?.close();
    });
    /** A migrated economy on the target and a tenant of it on the classic preset. */
    const openTenant = async (id: string) => {
      economy = target.open();
      await economy.migrate();
      const t = economy.tenant(id);
      await t.configure(defineEconomy(presets.classic));
      return t;
    };

    it('is set however a bank comes to exist, and the holdings read through it stay exact', async () => {
      const t = await openTenant(`marker_${process.pid}`);
      await t.grant('depositor', 1_000n, { reason: 'seed' });
      await t.grant('wallet-first', 500n, { reason: 'seed' });
      // A deposit (wallet and bank in one transfer), a bank-only move into a member whose wallet exists, and a
      // member whose very first move is into their bank (no wallet row until then).
      await t.ledger.transfer({
        from: 'user:depositor',
        to: 'user:depositor.bank',
        amount: 400n,
        code: 'bank.deposit',
      });
      await t.ledger.transfer({
        from: 'faucet:bank-interest',
        to: 'user:wallet-first.bank',
        amount: 70n,
        code: 'faucet.bank-interest',
      });
      await t.ledger.transfer({
        from: 'faucet:bank-interest',
        to: 'user:bank-first.bank',
        amount: 9n,
        code: 'faucet.bank-interest',
      });
      expect(await t.ledger.verify()).toEqual({ ok: true, problems: [] });

      // Later moves of the wallet alone must still see the bank: the histogram counts wallet and bank together.
      await t.ledger.transfer({
        from: 'user:wallet-first',
        to: 'user:depositor',
        amount: 5n,
        code: 'transfer.p2p',
      });
      await t.ledger.transfer({
        from: 'faucet:work',
        to: 'user:bank-first',
        amount: 1n,
        code: 'faucet.work',
      });
      const headline = await t.analytics.headline();
      expect(headline.members).toBe(3);
      expect(headline.supply).toBe(1_000n + 500n + 70n + 9n + 1n);
      expect((await t.analytics.rebuild()).ok).toBe(true);
      // The wallet's activity survives a bank-only move (it did not move, so its last move stays as it was).
      expect((await t.analytics.headline()).members).toBe(3);
    });

    it('keeps the holdings exact when banks open while other groups move the same wallets', async () => {
      const t = await openTenant(`marker_race_${process.pid}`);
      const members = 48;
      for (let i = 0; i < members; i++) await t.grant(String(i), 1_000n, { reason: 'seed' });
      // Every member's bank opens (a bank-only move, or a deposit) in the same burst as payments between their
      // wallets, so on PostgreSQL groups holding a wallet's lock race groups opening its bank.
      const moves = [];
      for (let i = 0; i < members; i++) {
        const next = String((i + 1) % members);
        moves.push(
          i % 2 === 0
            ? t.ledger.transfer({
                from: 'faucet:bank-interest',
                to: `user:${i}.bank`,
                amount: 2n,
                code: 'faucet.bank-interest',
              })
            : t.ledger.transfer({
                from: `user:${i}`,
                to: `user:${i}.bank`,
                amount: 2n,
                code: 'bank.deposit',
              }),
          t.ledger.transfer({ from: `user:${i}`, to: `user:${next}`, amount: 3n, code: 'transfer.p2p' }),
          t.ledger.transfer({ from: `user:${next}`, to: `user:${i}`, amount: 1n, code: 'transfer.p2p' }),
        );
      }
      await Promise.all(moves);
      expect(await t.ledger.verify()).toEqual({ ok: true, problems: [] });
      expect((await t.analytics.rebuild()).ok).toBe(true);
      expect((await t.analytics.headline()).supply).toBe(BigInt(members) * 1_000n + BigInt(members / 2) * 2n);
    });

    it('is demanded by verify() and written for an older database by migration 0006', async () => {
      const t = await openTenant(`marker_old_${process.pid}`);
      await t.grant('a', 100n, { reason: 'seed' });
      await t.ledger.transfer({ from: 'user:a', to: 'user:a.bank', amount: 40n, code: 'bank.deposit' });
      await t.ledger.transfer({
        from: 'faucet:bank-interest',
        to: 'user:b.bank',
        amount: 3n,
        code: 'faucet.bank-interest',
      });
      const expected = await t.analytics.headline();

      // As a version before the marker left it: no marker, and a bank-only member without a wallet row.
      const tenant = `marker_old_${process.pid}`;
      await runSql(target.url(), [
        `UPDATE gm_balances SET has_bank = ${target.url().startsWith('postgres') ? 'FALSE' : '0'} WHERE tenant_id = '${tenant}'`,
        `DELETE FROM gm_balances WHERE tenant_id = '${tenant}' AND account = 'user:b'`,
      ]);
      const unmarked = await t.ledger.verify();
      expect(unmarked.ok).toBe(false);
      expect(unmarked.problems).toEqual([
        expect.stringMatching(/^user:a\.bank: its wallet's row does not mark the bank/),
        expect.stringMatching(/^user:b\.bank: its wallet's row does not mark the bank/),
      ]);

      const migration = (target.url().startsWith('postgres') ? postgresMigrations : sqliteMigrations).find(
        (m) => m.tag === TAG,
      )!;
      // Its first statement adds the column (already there); the second marks the banks.
      await runSql(target.url(), migration.statements.slice(1));
      expect(await t.ledger.verify()).toEqual({ ok: true, problems: [] });
      expect({ ...(await t.analytics.headline()), asOf: expected.asOf }).toEqual(expected);
      await t.ledger.transfer({ from: 'faucet:work', to: 'user:b', amount: 2n, code: 'faucet.work' });
      expect((await t.analytics.headline()).supply).toBe(expected.supply + 2n);
      expect((await t.analytics.rebuild()).ok).toBe(true);
    });
  });
}
