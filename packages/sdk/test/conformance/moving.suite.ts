import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineEconomy, type Economy, ErrorCode, seededRandom, type Tenant } from '../../src/index.js';
import { ManualClock } from '../support/clock.js';
import { expectCode } from '../support/expect.js';
import { type StoreTarget, tableRows } from '../support/stores.js';

let counter = 0;

/** The leaderboard and rank read by the store (sorted and counted in SQL), and imported balances, on every store. */
export function describeMovingConformance(target: StoreTarget): void {
  describe(`ranks and imports (${target.name})`, () => {
    let economy: Economy;
    let t: Tenant;

    beforeEach(async () => {
      economy = target.open({ clock: new ManualClock('2026-03-02T10:00:00Z'), random: seededRandom(11) });
      t = economy.tenant(`mov_${process.pid}_${++counter}`);
      await t.configure(defineEconomy({ bank: { enabled: true, minAmount: 1 } }));
    });
    afterEach(async () => {
      expect(await t.ledger.verify()).toEqual({ ok: true, problems: [] });
      await economy.close();
    });

    /** Members with seeded wallets and banks, and the board a plain sort in JavaScript gives. */
    async function seedMembers(count: number, seed: number) {
      console.log(`ranks: seed ${seed}`);
      const random = seededRandom(seed);
      const held = new Map<string, { wallet: bigint; bank: bigint }>();
      for (let i = 0; i < count; i++) {
        // Ids of mixed lengths and cases, and amounts with ties, so the order of ties by id is tested.
        const userId = `${['m', 'M', 'mm', 'm_'][i % 4]}${random.int(50)}`;
        const wallet = BigInt(random.int(6) * 100);
        const bank = BigInt(random.int(4) * 100);
        if (held.has(userId) || wallet + bank === 0n) continue;
        held.set(userId, { wallet, bank });
        await t.importBalance(userId, { wallet, bank, source: 'test' });
      }
      return held;
    }
    const expected = (held: Map<string, { wallet: bigint; bank: bigint }>, by: 'wallet' | 'bank' | 'total') =>
      [...held]
        .map(([userId, h]) => ({
          userId,
          score: by === 'wallet' ? h.wallet : by === 'bank' ? h.bank : h.wallet + h.bank,
        }))
        .filter((r) => r.score > 0n)
        .sort((a, b) => (a.score === b.score ? (a.userId < b.userId ? -1 : 1) : a.score > b.score ? -1 : 1));

    it('sorts the board by wallet, bank and total as a full sort would, ties by id (seed 2026)', async () => {
      const held = await seedMembers(120, 2026);
      for (const by of ['wallet', 'bank', 'total'] as const) {
        const board = await t.leaderboard({ by, limit: 100 });
        expect(board.map((r) => [r.userId, r.balance])).toEqual(
          expected(held, by)
            .slice(0, 100)
            .map((r) => [r.userId, r.score]),
        );
        if (by !== 'wallet') {
          for (const row of board)
            expect(row.wallet! + row.bank!).toBe(held.get(row.userId)!.wallet + held.get(row.userId)!.bank);
        }
      }
    });

    it('counts a member’s place as the sorted board shows it (seed 7)', async () => {
      const held = await seedMembers(80, 7);
      for (const by of ['wallet', 'bank', 'total'] as const) {
        const board = expected(held, by);
        for (const [userId] of held) {
          const index = board.findIndex((r) => r.userId === userId);
          expect(await t.rank(userId, by)).toEqual({
            place: index < 0 ? null : index + 1,
            ranked: board.length,
          });
        }
      }
      expect(await t.rank('nobody')).toEqual({ place: null, ranked: expected(held, 'total').length });
      const richest = expected(held, 'total')[0]!;
      expect((await t.profile(richest.userId)).rank).toBe(1);
      await expectCode(t.rank('x.bank'), ErrorCode.INVALID_INPUT);
      await expectCode(t.rank('1', 'cash' as 'wallet'), ErrorCode.INVALID_INPUT);
    });

    it('pages through every member by id, wallet and bank folded, bank-only members included', async () => {
      const held = await seedMembers(60, 99);
      await t.importBalance('zz', { wallet: 0n, bank: 9n, source: 'test' });
      held.set('zz', { wallet: 0n, bank: 9n });
      const seen: Array<[string, bigint, bigint]> = [];
      for (let after = ''; ; ) {
        const page = await t.memberBalances({ after, limit: 7 });
        seen.push(...page.map((m): [string, bigint, bigint] => [m.userId, m.wallet, m.bank]));
        if (page.length < 7) break;
        after = page[page.length - 1]!.userId;
      }
      const ids = [...held.keys()].sort((a, b) => (a < b ? -1 : 1));
      expect(seen).toEqual(ids.map((id) => [id, held.get(id)!.wallet, held.get(id)!.bank]));
      await expectCode(t.memberBalances({ limit: 0 }), ErrorCode.INVALID_INPUT);
    });

    it('keeps other tenants out of the board and the rank', async () => {
      const other = economy.tenant(`${t.id}_other`);
      await other.importBalance('rich', { wallet: 10_000n, bank: 10_000n, source: 'test' });
      await t.importBalance('poor', { wallet: 1n, bank: 0n, source: 'test' });
      expect((await t.leaderboard({ by: 'total' })).map((r) => r.userId)).toEqual(['poor']);
      expect(await t.rank('poor')).toEqual({ place: 1, ranked: 1 });
      expect(await t.rank('rich')).toEqual({ place: null, ranked: 1 });
    });

    it('imports a balance once per key: wallet to the wallet, bank to the bank, with an audit entry', async () => {
      const input = {
        wallet: 700n,
        bank: 300n,
        source: 'unbelievaboat',
        key: 'import-unbelievaboat-42',
        actor: 'owner-1',
      };
      const first = await t.importBalance('42', input);
      expect(first).toMatchObject({
        id: 'import-unbelievaboat-42',
        wallet: 700n,
        bank: 300n,
        replayed: false,
      });
      expect(first.transfers.map((x) => [x.from, x.to, x.amount, x.code])).toEqual([
        ['faucet:import', 'user:42', 700n, 'faucet.import'],
        ['faucet:import', 'user:42.bank', 300n, 'faucet.import'],
      ]);
      expect(await t.holdings('42')).toEqual({ wallet: 700n, bank: 300n, total: 1000n });
      const [audit] = await t.auditLog({ limit: 1 });
      expect(audit).toMatchObject({ actor: 'owner-1', action: 'import', target: 'user:42' });
      expect(audit!.details).toMatchObject({ wallet: '700', bank: '300', source: 'unbelievaboat' });

      const rows = await tableRows(economy, t.id);
      // The same key again, by another actor: the first receipt, nothing written.
      expect(await t.importBalance('42', { ...input, actor: 'owner-2' })).toMatchObject({
        replayed: true,
        wallet: 700n,
      });
      // The same key with another amount: refused, nothing written.
      await expectCode(t.importBalance('42', { ...input, wallet: 800n }), ErrorCode.IDEMPOTENCY_CONFLICT);
      expect(await tableRows(economy, t.id)).toEqual(rows);
      expect(await t.holdings('42')).toEqual({ wallet: 700n, bank: 300n, total: 1000n });

      // Bank only: the bank transfer carries the key.
      const bankOnly = await t.importBalance('43', {
        wallet: 0n,
        bank: 5n,
        source: 'csv',
        key: 'import-csv-43',
      });
      expect(bankOnly.transfers.map((x) => [x.id, x.to])).toEqual([['import-csv-43', 'user:43.bank']]);
    });

    it('refuses bad imports, changing nothing', async () => {
      const rows = await tableRows(economy, t.id);
      await expectCode(
        t.importBalance('1', { wallet: -1n, bank: 0n, source: 'csv' }),
        ErrorCode.INVALID_AMOUNT,
      );
      await expectCode(
        t.importBalance('1', { wallet: 0n, bank: 0n, source: 'csv' }),
        ErrorCode.INVALID_INPUT,
      );
      await expectCode(
        t.importBalance('1', { wallet: 5 as unknown as bigint, bank: 0n, source: 'csv' }),
        ErrorCode.INVALID_AMOUNT,
      );
      await expectCode(
        t.importBalance('1', { wallet: 5n, bank: 0n, source: 'Not a source!' }),
        ErrorCode.INVALID_INPUT,
      );
      await expectCode(
        t.importBalance('1.bank', { wallet: 5n, bank: 0n, source: 'csv' }),
        ErrorCode.INVALID_INPUT,
      );
      expect(await tableRows(economy, t.id)).toEqual(rows);
    });
  });
}
