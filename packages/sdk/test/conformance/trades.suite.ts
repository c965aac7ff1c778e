import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  defineEconomy,
  type Economy,
  type EconomyConfigInput,
  ErrorCode,
  type Tenant,
} from '../../src/index.js';
import { ManualClock } from '../support/clock.js';
import { expectCode } from '../support/expect.js';
import { type StoreTarget, tableRows } from '../support/stores.js';

const base: EconomyConfigInput = {
  policy: { rateLimit: { perMemberPerMinute: 600 } },
  trades: { enabled: true, feeBps: 1_000, expirySeconds: 600 },
  shop: {
    items: {
      gem: { name: 'Gem', price: 100 },
      sword: { name: 'Sword', price: 300 },
      crown: { name: 'Crown', price: 1_000, effects: [{ type: 'role', roleId: '999' }] },
    },
  },
};

let counter = 0;

/** `/trade` (issue 14 §5): an atomic swap through escrow, run unchanged against every store. */
export function describeTradesConformance(target: StoreTarget): void {
  describe(`trades (${target.name})`, () => {
    let economy: Economy;
    let t: Tenant;
    let clock: ManualClock;
    const configure = (patch: EconomyConfigInput = {}) => t.configure(defineEconomy({ ...base, ...patch }));
    const fund = (userId: string, amount: bigint) => t.grant(userId, amount, { reason: 'test funds' });
    /** Balances, inventories and row counts: what a refused call must leave as it found it. */
    const snapshot = async () => ({
      balances: await Promise.all(['1', '2'].map((u) => t.balance(u))),
      inventories: await Promise.all(['1', '2'].map((u) => t.inventory(u))),
      rows: await tableRows(economy, t.id),
    });
    /** 1 offers 200 coins and 2 gems for 2's sword; 10 % fee on the coins (20, escrowed with them). */
    const offer = (key = 'p1') =>
      t.proposeTrade({
        from: '1',
        to: '2',
        give: { coins: 200n, items: { gem: 2 } },
        take: { items: { sword: 1 } },
        key,
      });

    beforeEach(async () => {
      clock = new ManualClock('2026-03-02T10:00:00Z');
      economy = target.open({ clock });
      t = economy.tenant(`trd_${process.pid}_${++counter}`);
      await configure();
      await fund('1', 1_000n);
      await fund('2', 1_000n);
      await t.buy('1', 'gem', { quantity: 3 });
      await t.buy('2', 'sword');
    });
    afterEach(async () => {
      expect(await t.ledger.verify()).toEqual({ ok: true, problems: [] });
      await economy.close();
    });

    it('escrows the proposer side, then swaps both sides at once on acceptance', async () => {
      const proposed = await offer();
      expect(proposed).toMatchObject({
        from: '1',
        to: '2',
        status: 'open',
        fee: { give: 20n, take: 0n },
        replayed: false,
      });
      expect(await t.balance('1')).toBe(1_000n - 300n - 220n);
      expect(await t.inventory('1')).toEqual([{ item: 'gem', quantity: 1 }]);
      expect(
        await t.proposeTrade({
          from: '1',
          to: '2',
          give: { coins: 200n, items: { gem: 2 } },
          take: { items: { sword: 1 } },
          key: 'p1',
        }),
      ).toMatchObject({ id: proposed.id, replayed: true });

      const done = await t.acceptTrade(proposed.id, { userId: '2', key: 'a1' });
      expect(done).toMatchObject({ status: 'completed', closedBy: '2', replayed: false });
      expect(await t.balance('1')).toBe(480n);
      expect(await t.balance('2')).toBe(700n + 200n);
      expect(await t.inventory('1')).toEqual([
        { item: 'gem', quantity: 1 },
        { item: 'sword', quantity: 1 },
      ]);
      expect(await t.inventory('2')).toEqual([{ item: 'gem', quantity: 2 }]);
      expect((await t.stats()).sinks.trade?.last30Days).toBe(20n);
      // The same press again answers the same; nothing moves twice.
      expect(await t.acceptTrade(proposed.id, { userId: '2', key: 'a1' })).toMatchObject({
        status: 'completed',
        replayed: true,
      });
      expect(await t.balance('2')).toBe(900n);
    });

    it('completes exactly once when the same trade is accepted twice at the same moment', async () => {
      await fund('1', 5_000n);
      for (let round = 0; round < 5; round++) {
        const { id } = await t.proposeTrade({
          from: '1',
          to: '2',
          give: { coins: 100n },
          key: `race-${round}`,
        });
        const before = (await t.balance('1')) + (await t.balance('2'));
        const results = await Promise.allSettled([
          t.acceptTrade(id, { userId: '2', key: `a-${round}` }),
          t.acceptTrade(id, { userId: '2', key: `b-${round}` }),
          t.cancelTrade(id, { userId: '1', key: `c-${round}` }),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of results) {
          if (r.status === 'rejected') expect((r.reason as { code: string }).code).toBe(ErrorCode.NOT_FOUND);
        }
        const { status } = await t.trade(id);
        // Whoever won, the escrow is emptied exactly once: 100 + 10 fee to 2 (fee burned) or back to 1.
        const after = (await t.balance('1')) + (await t.balance('2'));
        expect(after - before).toBe(status === 'completed' ? 100n : 110n);
        expect(await t.ledger.balance(`system:trade.${id}`)).toBe(0n);
      }
    });

    it('returns everything when cancelled or declined, and only the two sides may do it', async () => {
      const { id } = await offer();
      await expectCode(t.cancelTrade(id, { userId: '3' }), ErrorCode.FORBIDDEN);
      await expectCode(t.acceptTrade(id, { userId: '1' }), ErrorCode.FORBIDDEN);
      const declined = await t.cancelTrade(id, { userId: '2', key: 'd1' });
      expect(declined).toMatchObject({ status: 'cancelled', closedBy: '2' });
      expect(await t.balance('1')).toBe(700n);
      expect(await t.inventory('1')).toEqual([{ item: 'gem', quantity: 3 }]);
      await expectCode(t.acceptTrade(id, { userId: '2' }), ErrorCode.NOT_FOUND);
      await expectCode(t.cancelTrade(id, { userId: '1' }), ErrorCode.NOT_FOUND);
      expect(await t.cancelTrade(id, { userId: '2', key: 'd1' })).toMatchObject({ replayed: true });
    });

    it('expires: acceptance is refused after the expiry and the sweeper returns the escrow once', async () => {
      const { id } = await offer();
      clock.advance(600_000);
      const before = await snapshot();
      await expectCode(t.acceptTrade(id, { userId: '2' }), ErrorCode.NOT_FOUND);
      expect(await snapshot()).toEqual(before);
      const [a, b] = await Promise.all([t.settleExpiredTrades(), t.settleExpiredTrades()]);
      expect(a + b).toBe(1);
      expect(await t.trade(id)).toMatchObject({ status: 'expired', closedBy: 'expiry' });
      expect(await t.balance('1')).toBe(700n);
      expect(await t.inventory('1')).toEqual([{ item: 'gem', quantity: 3 }]);
      expect(await t.settleExpiredTrades()).toBe(0);
    });

    it('calls off the trades of a member who left', async () => {
      const { id } = await offer();
      const other = await t.proposeTrade({ from: '2', to: '3', give: { coins: 10n }, key: 'p2' });
      expect((await t.openTrades()).map((x) => x.id).sort()).toEqual([id, other.id].sort());
      expect(await t.abandonTrades('1')).toBe(1);
      // Only the trade the member left is closed; the runtime's sweep lists what is still open.
      expect((await t.openTrades()).map((x) => [x.id, x.from, x.to])).toEqual([[other.id, '2', '3']]);
      expect((await t.trade(id)).status).toBe('cancelled');
      expect(await t.balance('1')).toBe(700n);
      expect(await t.abandonTrades('1')).toBe(0);
    });

    it('changes nothing when the asked side no longer has its coins or items, and the trade stays open', async () => {
      const { id } = await offer();
      // The sword leaves 2's hands (sold back) before they accept.
      await configure({ shop: { ...base.shop, sellBackBps: 5_000 } });
      await t.sell('2', 'sword');
      let before = await snapshot();
      await expectCode(t.acceptTrade(id, { userId: '2' }), ErrorCode.NOT_FOUND);
      expect(await snapshot()).toEqual(before);
      expect((await t.trade(id)).status).toBe('open');

      const coins = await t.proposeTrade({
        from: '1',
        to: '2',
        give: { items: { gem: 1 } },
        take: { coins: 5_000n },
        key: 'p3',
      });
      before = await snapshot();
      await expectCode(t.acceptTrade(coins.id, { userId: '2' }), ErrorCode.INSUFFICIENT_FUNDS);
      expect(await snapshot()).toEqual(before);
    });

    it('refuses bad proposals and changes nothing', async () => {
      const before = await snapshot();
      await expectCode(
        t.proposeTrade({ from: '1', to: '1', give: { coins: 1n } }),
        ErrorCode.INVALID_TRANSFER,
      );
      await expectCode(t.proposeTrade({ from: '1', to: '2' }), ErrorCode.INVALID_INPUT);
      await expectCode(
        t.proposeTrade({ from: '1', to: '2', give: { coins: -5n } }),
        ErrorCode.INVALID_AMOUNT,
      );
      await expectCode(
        t.proposeTrade({ from: '1', to: '2', give: { coins: 5 as unknown as bigint } }),
        ErrorCode.INVALID_AMOUNT,
      );
      await expectCode(
        t.proposeTrade({ from: '1', to: '2', give: { items: { gem: 0 } } }),
        ErrorCode.INVALID_INPUT,
      );
      await expectCode(
        t.proposeTrade({ from: '1', to: '2', give: { items: { nope: 1 } } }),
        ErrorCode.NOT_FOUND,
      );
      await expectCode(
        t.proposeTrade({ from: '1', to: '2', take: { items: { crown: 1 } } }),
        ErrorCode.INVALID_INPUT,
      );
      await expectCode(
        t.proposeTrade({ from: '1', to: '2', give: { items: { gem: 9 } } }),
        ErrorCode.NOT_FOUND,
      );
      await expectCode(
        t.proposeTrade({ from: '1', to: '2', give: { coins: 5_000n } }),
        ErrorCode.INSUFFICIENT_FUNDS,
      );
      await expectCode(t.acceptTrade('0'.repeat(24), { userId: '2' }), ErrorCode.NOT_FOUND);
      await expectCode(t.acceptTrade('not a trade', { userId: '2' }), ErrorCode.INVALID_INPUT);
      await offer('k');
      await expectCode(
        t.proposeTrade({ from: '1', to: '2', give: { coins: 1n }, key: 'k' }),
        ErrorCode.IDEMPOTENCY_CONFLICT,
      );
      await t.cancelTrade((await t.proposeTrade({ from: '1', to: '2', give: { coins: 1n }, key: 'k2' })).id, {
        userId: '1',
      });
      await t.cancelTrade((await t.trade((await offer('k')).id)).id, { userId: '1' });
      const after = await snapshot();
      expect(after.balances).toEqual(before.balances);
      expect(after.inventories).toEqual(before.inventories);
      await configure({ trades: { enabled: false } });
      await expectCode(offer('k9'), ErrorCode.NOT_FOUND);
    });

    it('keeps trades apart per tenant', async () => {
      const { id } = await offer();
      const other = economy.tenant(`${t.id}_other`);
      await other.configure(defineEconomy(base));
      await expectCode(other.acceptTrade(id, { userId: '2' }), ErrorCode.NOT_FOUND);
      await expectCode(other.cancelTrade(id, { userId: '1' }), ErrorCode.NOT_FOUND);
      expect(await other.abandonTrades('1')).toBe(0);
      expect((await t.trade(id)).status).toBe('open');
    });
  });
}
