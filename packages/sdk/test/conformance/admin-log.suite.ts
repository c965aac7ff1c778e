import { describe, expect, it } from 'vitest';
import { presets } from '../../src/index.js';
import { ManualClock } from '../support/clock.js';
import { expectCode } from '../support/expect.js';
import { type StoreTarget, tableRows } from '../support/stores.js';

/**
 * The audit log read a page at a time, and publishing as a compare-and-set: one suite, every store.
 * Both are what the control plane builds its audit page and its editor's publish on.
 */
export function describeAdminLogConformance(store: StoreTarget) {
  describe(`audit paging and config compare-and-set (${store.name})`, () => {
    it('pages through entries that share one millisecond without skipping or repeating any', async () => {
      // Every entry is written in the same millisecond: a page cut by time alone loses the rest of it.
      const clock = new ManualClock();
      const economy = store.open({ clock });
      await economy.migrate();
      try {
        const tenant = economy.tenant('audit-paging');
        for (let i = 0; i < 7; i++)
          await tenant.grant(`10000000000000000${i}`, 1n, { reason: `grant ${i}`, actor: 'test' });
        const written = await tenant.auditLog({ limit: 500 });
        expect(written).toHaveLength(7);

        const seen: string[] = [];
        let before: { id: string } | undefined;
        for (let page = 0; page < 10; page++) {
          const entries = await tenant.auditLog({ limit: 3, ...(before && { before }) });
          seen.push(...entries.map((e) => e.id));
          if (entries.length < 3) break;
          before = entries.at(-1)!;
        }
        expect(seen).toHaveLength(7);
        expect(new Set(seen)).toEqual(new Set(written.map((e) => e.id)));
        // The pages read in the order of one listing.
        expect(seen).toEqual(written.map((e) => e.id));
        // A plain Date still means "strictly older than this moment".
        expect(await tenant.auditLog({ before: clock.now() })).toEqual([]);
      } finally {
        await economy.close();
      }
    });

    it('writes the audit entry asked for beside a transfer or a reversal, once, with the money', async () => {
      const clock = new ManualClock();
      const economy = store.open({ clock });
      await economy.migrate();
      try {
        const t = economy.tenant('audit-beside');
        const credit = {
          id: 'pack.pi_1',
          from: 'faucet:purchase',
          to: 'user:m1',
          amount: 50n,
          code: 'purchase.pack',
        };
        await t.ledger.transfer(credit);
        await t.ledger.transfer({
          id: 'spend',
          from: 'user:m1',
          to: 'sink:shop',
          amount: 30n,
          code: 'shop.buy',
        });
        const audit = { actor: 'stripe', action: 'purchase.refund', details: { charge: 'ch_1' } };
        const rows = await tableRows(economy, t.id);
        // A bad note refuses the call before anything is written.
        for (const bad of [
          { ...audit, actor: '' },
          { ...audit, action: 'has space' },
          { ...audit, details: [] },
        ])
          await expectCode(
            t.ledger.reverse('pack.pi_1', {
              id: 'pack.pi_1.reversed',
              reason: 'refund',
              force: true,
              audit: bad as never,
            }),
            'INVALID_INPUT',
          );
        expect(await tableRows(economy, t.id)).toEqual(rows);
        const reverse = () =>
          t.ledger.reverse('pack.pi_1', {
            id: 'pack.pi_1.reversed',
            reason: 'charge ch_1 refunded',
            force: true,
            audit,
          });
        await reverse();
        // A redelivery replays the reversal: no second entry.
        await reverse();
        expect(await t.balance('m1')).toBe(-30n);
        const reinstate = () =>
          t.ledger.transfer(
            { ...credit, id: 'pack.pi_1.reinstated', code: 'purchase.dispute_won' },
            { audit: { actor: 'stripe', action: 'purchase.dispute_won', reason: 'dispute dp_1 won' } },
          );
        await reinstate();
        await reinstate();
        const log = await t.auditLog();
        expect(log).toHaveLength(2);
        expect(log).toMatchObject([
          {
            actor: 'stripe',
            action: 'purchase.dispute_won',
            target: 'user:m1',
            reason: 'dispute dp_1 won',
            details: null,
          },
          {
            actor: 'stripe',
            action: 'purchase.refund',
            target: 'user:m1',
            reason: 'charge ch_1 refunded',
            details: { charge: 'ch_1' },
          },
        ]);
      } finally {
        await economy.close();
      }
    });

    it('publishes over the version it was based on, and refuses when another came first', async () => {
      const economy = store.open();
      await economy.migrate();
      try {
        const tenant = economy.tenant('publish-cas');
        expect(await tenant.configure(presets.cozy, { basedOn: 0 })).toEqual({ version: 1 });
        // Two editors both started from version 1 and publish at the same time: exactly one wins.
        const results = await Promise.allSettled([
          tenant.configure(presets.classic, { basedOn: 1, actor: 'a' }),
          economy.tenant('publish-cas').configure(presets.casino, { basedOn: 1, actor: 'b' }),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled').map((r) => r.value)).toEqual([{ version: 2 }]);
        const refused = results.find((r) => r.status === 'rejected');
        expect(refused?.reason).toMatchObject({
          code: 'CONCURRENT_UPDATE',
          message: expect.stringMatching(/published after version 1/),
        });
        expect((await tenant.configHistory()).map((v) => v.version)).toEqual([2, 1]);
        // A stale base is refused on its own too, and nothing is written.
        await expect(tenant.configure(presets.classic, { basedOn: 1 })).rejects.toMatchObject({
          code: 'CONCURRENT_UPDATE',
        });
        expect((await tenant.config()).version).toBe(2);
        await expect(tenant.configure(presets.classic, { basedOn: -1 })).rejects.toMatchObject({
          code: 'INVALID_INPUT',
        });
      } finally {
        await economy.close();
      }
    });
    it('keeps the log cursor as a compare-and-set: two followers racing, exactly one moves it', async () => {
      const economy = store.open();
      await economy.migrate();
      try {
        const tenant = economy.tenant('log-cursor');
        expect(await tenant.logCursor()).toBeNull();
        await tenant.grant('100000000000000001', 5n, { reason: 'cursor', actor: 'test' });
        const [entry] = await tenant.auditLog({ limit: 1 });
        const to = { auditId: entry!.id, configVersion: 0, anomaliesAt: 1_000 };
        // Two processes that both read "no cursor" try to take the same step: one wins.
        const raced = await Promise.all([
          tenant.advanceLogCursor(null, to),
          economy.tenant('log-cursor').advanceLogCursor(null, to),
        ]);
        expect(raced.filter(Boolean)).toHaveLength(1);
        const cursor = await tenant.logCursor();
        expect(cursor).toMatchObject(to);
        expect(await tenant.advanceLogCursor(cursor, { ...to, configVersion: 3 })).toBe(true);
        // The cursor read before that step is stale now: refused, nothing written.
        expect(await tenant.advanceLogCursor(cursor, { ...to, auditId: null, configVersion: 9 })).toBe(false);
        expect(await tenant.logCursor()).toMatchObject({ ...to, configVersion: 3 });
        // Another tenant's cursor is its own.
        expect(await economy.tenant('log-cursor-other').logCursor()).toBeNull();
        await expectCode(tenant.advanceLogCursor(cursor, { ...to, auditId: '' }), 'INVALID_INPUT');
        await expectCode(tenant.advanceLogCursor(cursor, { ...to, configVersion: -1 }), 'INVALID_INPUT');
        await expectCode(tenant.advanceLogCursor(cursor, { ...to, anomaliesAt: 0.5 }), 'INVALID_INPUT');
      } finally {
        await economy.close();
      }
    });
  });
}
