import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createEconomy,
  type Economy,
  ErrorCode,
  GuildmintError,
  type Tenant,
  type Transfer,
} from '../../src/index.js';
import { openStore } from '../../src/stores/open.js';
import type { Store } from '../../src/stores/types.js';
import { ManualClock } from '../support/clock.js';
import { expectCode } from '../support/expect.js';
import type { StoreTarget } from '../support/stores.js';
import { readAllTransfers } from './concurrency-workload.js';

/** More transfers in the window than the rollback reads in one page (it pages by 500 or fewer). */
const AT_THE_BOUNDARY = 1_200;
let counter = 0;

/** `tenant.rollback()`, run unchanged against every store: its window, and all or nothing. */
export function describeRollbackConformance(target: StoreTarget): void {
  describe(`rollback conformance (${target.name})`, () => {
    let clock: ManualClock;
    let economy: Economy;
    let t: Tenant;
    /** When set, the store refuses the commit that carries the rollback's audit entry. */
    let refuseRollbackAudit = false;

    beforeEach(() => {
      clock = new ManualClock('2026-03-02T10:00:00Z');
      const store = openStore(target.url(), clock);
      const failing: Store = {
        ...store,
        commit: (op) =>
          refuseRollbackAudit && op.audit?.some((entry) => entry.action === 'rollback')
            ? Promise.reject(new GuildmintError(ErrorCode.STORE_UNAVAILABLE, 'injected: the store went away'))
            : store.commit(op),
      };
      economy = createEconomy({ storage: failing, clock });
      t = economy.tenant(`rb_${process.pid}_${++counter}`);
      refuseRollbackAudit = false;
    });
    afterEach(async () => {
      await economy.close();
    });

    const reversalsOf = async (account: string): Promise<Transfer[]> =>
      (await readAllTransfers(t.ledger)).filter(
        (tr) => tr.code === 'reversal' && (tr.from === account || tr.to === account),
      );

    it('reverses every transfer created since `since`, many in its first millisecond, even after the clock stepped back', async () => {
      const since = new Date('2026-03-02T11:00:00Z');
      const mint = (id: string, amount: bigint) =>
        t.ledger.transfer({ id, from: 'faucet:mint', to: 'user:x', amount, code: 'farm' });
      clock.set(new Date(since.getTime() - 1));
      await mint('before', 1000n);
      clock.set(since);
      await Promise.all(Array.from({ length: AT_THE_BOUNDARY }, (_, i) => mint(`edge-${i}`, 1n)));
      // The clock steps back (NTP) by a millisecond: committed later, yet created before the window.
      clock.set(new Date(since.getTime() - 1));
      await mint('stepped-back', 7n);
      clock.set(new Date(since.getTime() + 1));
      await t.ledger.transfer({
        id: 'paid-out',
        from: 'user:x',
        to: 'user:alt',
        amount: 50n,
        code: 'transfer.p2p',
      });

      const { reversed } = await t.rollback('x', { since, reason: 'farming exploit', actor: 'mod' });

      expect(reversed).toBe(AT_THE_BOUNDARY + 1);
      const mirrors = await reversalsOf('user:x');
      expect(new Set(mirrors.map((m) => m.reverses)).size).toBe(AT_THE_BOUNDARY + 1);
      expect(mirrors.map((m) => m.reverses)).not.toContain('before');
      expect(mirrors.map((m) => m.reverses)).not.toContain('stepped-back');
      expect(await t.balance('x')).toBe(1007n);
      expect(await t.balance('alt')).toBe(0n);
      expect(await t.ledger.verify()).toEqual({ ok: true, problems: [] });
      const [entry] = await t.auditLog({ limit: 1 });
      expect(entry).toMatchObject({
        action: 'rollback',
        target: 'user:x',
        details: { reversed: AT_THE_BOUNDARY + 1 },
      });
    });

    it('writes its reversals and its audit entry in one commit: a failed commit leaves neither', async () => {
      const since = clock.now();
      for (let i = 0; i < 5; i++) {
        await t.ledger.transfer({
          id: `in-${i}`,
          from: 'faucet:mint',
          to: 'user:x',
          amount: 10n,
          code: 'farm',
        });
        clock.advance(1);
      }
      await t.ledger.transfer({
        id: 'out',
        from: 'user:x',
        to: 'user:alt',
        amount: 30n,
        code: 'transfer.p2p',
      });
      const before = await readAllTransfers(t.ledger);

      refuseRollbackAudit = true;
      await expectCode(t.rollback('x', { since, reason: 'exploit' }), ErrorCode.STORE_UNAVAILABLE);
      expect(await readAllTransfers(t.ledger)).toEqual(before);
      expect(await t.auditLog()).toEqual([]);
      expect(await t.balance('x')).toBe(20n);

      refuseRollbackAudit = false;
      expect(await t.rollback('x', { since, reason: 'exploit' })).toEqual({ reversed: 6 });
      expect(await t.balance('x')).toBe(0n);
      expect(await t.balance('alt')).toBe(0n);
      expect((await t.auditLog()).map((e) => e.action)).toEqual(['rollback']);
      expect(await t.ledger.verify()).toEqual({ ok: true, problems: [] });
    });

    it('leaves alone what was reversed before, and reverses nothing twice when run again', async () => {
      const since = clock.now();
      await t.ledger.transfer({ id: 'a', from: 'faucet:mint', to: 'user:x', amount: 10n, code: 'farm' });
      await t.ledger.transferAll([
        { id: 'b1', from: 'faucet:mint', to: 'user:x', amount: 5n, code: 'farm' },
        { id: 'b2', from: 'faucet:mint', to: 'user:other', amount: 5n, code: 'farm' },
      ]);
      await t.ledger.reverse('a', { reason: 'by hand' });
      // Only one member of the batch was undone by hand: the rollback undoes the other.
      await t.ledger.reverse('b2', { reason: 'by hand' });

      expect(await t.rollback('x', { since, reason: 'exploit' })).toEqual({ reversed: 1 });
      expect(await t.rollback('x', { since, reason: 'exploit again' })).toEqual({ reversed: 0 });
      expect(await t.balance('x')).toBe(0n);
      expect(await t.balance('other')).toBe(0n);
      expect(await t.ledger.verify()).toEqual({ ok: true, problems: [] });
      expect((await t.auditLog()).map((e) => [e.action, e.details?.reversed])).toEqual([
        ['rollback', 0],
        ['rollback', 1],
      ]);
    });
  });
}
