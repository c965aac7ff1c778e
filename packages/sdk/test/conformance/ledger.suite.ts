import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Economy, ErrorCode, MAX_AMOUNT, type Tenant } from '../../src/index.js';
import type { NewTransfer } from '../../src/ledger/normalize.js';
import type { LedgerOp } from '../../src/stores/types.js';
import { expectCode } from '../support/expect.js';
import { itNeeds, type StoreTarget, spyOnGroupCommits, storeOf, tableRows } from '../support/stores.js';

/** Every tenant-visible fact a failed call must leave untouched, and every table's row count. */
async function snapshot(economy: Economy, tenant: Tenant, accounts: string[]) {
  const balances = await Promise.all(accounts.map((a) => tenant.ledger.balance(a)));
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await tenant.ledger.transfers({ limit: 1000, ...(cursor && { cursor }) });
    ids.push(...page.items.map((t) => t.id));
    cursor = page.next;
  } while (cursor);
  return { balances, ids, rows: await tableRows(economy, tenant.id) };
}

let tenantCounter = 0;

/** The ledger behaviours of SDK-CONTRACT.md, run unchanged against every store. */
export function describeLedgerConformance(target: StoreTarget): void {
  describe(`ledger conformance (${target.name})`, () => {
    let economy: Economy;
    let t: Tenant;
    /** A transfer as the SDK builds it for a store, from the seed faucet to user:z unless `overrides` say. */
    const line = (id: string, amount: bigint, overrides: Partial<NewTransfer> = {}): NewTransfer => ({
      id,
      from: 'faucet:seed',
      to: 'user:z',
      amount,
      code: 'faucet.seed',
      metadata: null,
      reverses: null,
      forced: false,
      ...overrides,
    });
    const fund = (user: string, amount: bigint) =>
      t.ledger.transfer({ from: 'faucet:seed', to: `user:${user}`, amount, code: 'faucet.seed' });

    beforeEach(() => {
      economy = target.open();
      t = economy.tenant(`conf_${process.pid}_${++tenantCounter}`);
    });
    afterEach(async () => {
      await economy.close();
    });

    it('moves money and returns the committed transfer', async () => {
      const transfer = await t.ledger.transfer({
        id: 'pay-1',
        from: 'faucet:daily',
        to: 'user:alice',
        amount: 250n,
        code: 'faucet.daily',
        metadata: { streak: 3 },
      });
      expect(transfer).toMatchObject({ id: 'pay-1', tenant: t.id, amount: 250n, metadata: { streak: 3 } });
      expect(transfer.createdAt).toBeInstanceOf(Date);
      expect(transfer.batchId).toBeUndefined();
      expect(await t.ledger.balance('user:alice')).toBe(250n);
      expect(await t.ledger.balance('faucet:daily')).toBe(-250n);
      expect(await t.ledger.balance('user:nobody')).toBe(0n);
    });

    it('generates an id when none is given', async () => {
      const a = await fund('a', 1n);
      const b = await fund('a', 1n);
      expect(a.id).not.toBe(b.id);
      expect(await t.ledger.balance('user:a')).toBe(2n);
    });

    it('replays the same id with the same content: the original back, no second effect', async () => {
      const input = {
        id: 'interaction-42',
        from: 'faucet:daily',
        to: 'user:bob',
        amount: 100n,
        code: 'faucet.daily',
      };
      const first = await t.ledger.transfer(input);
      const again = await t.ledger.transfer({ ...input });
      expect(again).toEqual(first);
      expect(await t.ledger.balance('user:bob')).toBe(100n);
      const concurrent = await Promise.all(Array.from({ length: 10 }, () => t.ledger.transfer({ ...input })));
      for (const c of concurrent) expect(c).toEqual(first);
      expect(await t.ledger.balance('user:bob')).toBe(100n);
    });

    it('rejects the same id with different content as IDEMPOTENCY_CONFLICT and changes nothing', async () => {
      await t.ledger.transfer({
        id: 'k1',
        from: 'faucet:daily',
        to: 'user:bob',
        amount: 100n,
        code: 'faucet.daily',
      });
      const before = await snapshot(economy, t, ['user:bob', 'user:carol', 'faucet:daily']);
      await expectCode(
        t.ledger.transfer({
          id: 'k1',
          from: 'faucet:daily',
          to: 'user:bob',
          amount: 101n,
          code: 'faucet.daily',
        }),
        ErrorCode.IDEMPOTENCY_CONFLICT,
      );
      await expectCode(
        t.ledger.transfer({
          id: 'k1',
          from: 'faucet:daily',
          to: 'user:carol',
          amount: 100n,
          code: 'faucet.daily',
        }),
        ErrorCode.IDEMPOTENCY_CONFLICT,
      );
      await expectCode(
        t.ledger.transfer({
          id: 'k1',
          from: 'faucet:daily',
          to: 'user:bob',
          amount: 100n,
          code: 'faucet.daily',
          metadata: { x: 1 },
        }),
        ErrorCode.IDEMPOTENCY_CONFLICT,
      );
      expect(await snapshot(economy, t, ['user:bob', 'user:carol', 'faucet:daily'])).toEqual(before);
    });

    it('treats metadata key order as the same content', async () => {
      const base = { id: 'm1', from: 'faucet:x', to: 'user:m', amount: 5n, code: 'faucet.x' };
      const first = await t.ledger.transfer({ ...base, metadata: { a: 1, b: [1, 2] } });
      const again = await t.ledger.transfer({ ...base, metadata: { b: [1, 2], a: 1 } });
      expect(again).toEqual(first);
    });

    it('never lets a user account go below zero; system accounts may', async () => {
      await fund('alice', 100n);
      const before = await snapshot(economy, t, ['user:alice', 'user:bob']);
      const error = await expectCode(
        t.ledger.transfer({ from: 'user:alice', to: 'user:bob', amount: 101n, code: 'transfer.p2p' }),
        ErrorCode.INSUFFICIENT_FUNDS,
      );
      expect(error.message).toContain('user:alice');
      expect(await snapshot(economy, t, ['user:alice', 'user:bob'])).toEqual(before);
      await t.ledger.transfer({ from: 'user:alice', to: 'user:bob', amount: 100n, code: 'transfer.p2p' });
      expect(await t.ledger.balance('user:alice')).toBe(0n);
      await t.ledger.transfer({ from: 'house:slots', to: 'user:bob', amount: 7n, code: 'game.slots.payout' });
      await t.ledger.transfer({ from: 'system:treasury', to: 'sink:burn', amount: 9n, code: 'sink.burn' });
      expect(await t.ledger.balance('house:slots')).toBe(-7n);
      expect(await t.ledger.balance('system:treasury')).toBe(-9n);
      expect(await t.ledger.verify()).toEqual({ ok: true, problems: [] });
    });

    it('rejects a balance beyond 2^63-1 with AMOUNT_OVERFLOW and changes nothing', async () => {
      await fund('whale', MAX_AMOUNT);
      const before = await snapshot(economy, t, ['user:whale']);
      await expectCode(fund('whale', 1n), ErrorCode.AMOUNT_OVERFLOW);
      await expectCode(fund('whale', MAX_AMOUNT + 1n), ErrorCode.AMOUNT_OVERFLOW);
      expect(await snapshot(economy, t, ['user:whale'])).toEqual(before);
    });

    itNeeds(target, 'tenant.ledger.transferAll')('applies transferAll atomically and in order', async () => {
      await fund('a', 50n);
      const batch = await t.ledger.transferAll([
        { id: 'b1', from: 'user:a', to: 'user:b', amount: 50n, code: 'game.bet' },
        { id: 'b2', from: 'user:b', to: 'user:c', amount: 30n, code: 'transfer.p2p' },
        { id: 'b3', from: 'sink:tax', to: 'user:c', amount: 1n, code: 'refund' },
      ]);
      expect(batch.map((x) => x.id)).toEqual(['b1', 'b2', 'b3']);
      expect(new Set(batch.map((x) => x.batchId)).size).toBe(1);
      expect(batch[0]!.batchId).toBeTruthy();
      expect(await t.ledger.balance('user:b')).toBe(20n);
      expect(await t.ledger.balance('user:c')).toBe(31n);

      const before = await snapshot(economy, t, ['user:a', 'user:b', 'user:c']);
      await expectCode(
        t.ledger.transferAll([
          { from: 'user:c', to: 'user:a', amount: 31n, code: 'transfer.p2p' },
          { from: 'user:b', to: 'user:a', amount: 21n, code: 'transfer.p2p' },
        ]),
        ErrorCode.INSUFFICIENT_FUNDS,
      );
      expect(await snapshot(economy, t, ['user:a', 'user:b', 'user:c'])).toEqual(before);
    });

    itNeeds(target, 'tenant.ledger.transferAll')(
      'replays a batch by its ids and rejects a partial overlap',
      async () => {
        const batch = [
          { id: 'r1', from: 'faucet:f', to: 'user:a', amount: 1n, code: 'faucet.f' },
          { id: 'r2', from: 'faucet:f', to: 'user:b', amount: 2n, code: 'faucet.f' },
        ];
        const first = await t.ledger.transferAll(batch);
        expect(await t.ledger.transferAll(batch.map((b) => ({ ...b })))).toEqual(first);
        await expectCode(t.ledger.transferAll([batch[0]!]), ErrorCode.IDEMPOTENCY_CONFLICT);
        await expectCode(t.ledger.transfer(batch[0]!), ErrorCode.IDEMPOTENCY_CONFLICT);
        await expectCode(
          t.ledger.transferAll([
            ...batch,
            { id: 'r3', from: 'faucet:f', to: 'user:c', amount: 3n, code: 'faucet.f' },
          ]),
          ErrorCode.IDEMPOTENCY_CONFLICT,
        );
        expect(await t.ledger.balance('user:c')).toBe(0n);
        expect(await t.ledger.balance('faucet:f')).toBe(-3n);
      },
    );

    it('keeps frozen accounts from sending, but not from receiving', async () => {
      await fund('x', 10n);
      await t.freeze('x', { reason: 'suspected alt farming' });
      const before = await snapshot(economy, t, ['user:x', 'user:y']);
      await expectCode(
        t.ledger.transfer({ from: 'user:x', to: 'user:y', amount: 1n, code: 'transfer.p2p' }),
        ErrorCode.ACCOUNT_FROZEN,
      );
      expect(await snapshot(economy, t, ['user:x', 'user:y'])).toEqual(before);
      await fund('x', 5n);
      expect(await t.ledger.balance('user:x')).toBe(15n);
      await t.unfreeze('x');
      await t.ledger.transfer({ from: 'user:x', to: 'user:y', amount: 1n, code: 'transfer.p2p' });
      expect(await t.ledger.balance('user:y')).toBe(1n);
    });

    describe('reverse', () => {
      it('writes a mirror transfer once', async () => {
        const original = await fund('a', 40n);
        const [mirror] = await t.ledger.reverse(original.id, { reason: 'mistake' });
        expect(mirror).toMatchObject({
          from: 'user:a',
          to: 'faucet:seed',
          amount: 40n,
          code: 'reversal',
          reverses: original.id,
          metadata: { reason: 'mistake' },
        });
        expect(await t.ledger.balance('user:a')).toBe(0n);
        await expectCode(t.ledger.reverse(original.id, { reason: 'again' }), ErrorCode.ALREADY_REVERSED);
        await expectCode(
          t.ledger.reverse(mirror!.id, { reason: 'undo the undo' }),
          ErrorCode.INVALID_TRANSFER,
        );
        expect(await t.ledger.balance('user:a')).toBe(0n);
      });

      it('is idempotent under its own id', async () => {
        const original = await fund('a', 40n);
        const first = await t.ledger.reverse(original.id, { id: 'rev-1', reason: 'mistake' });
        expect(await t.ledger.reverse(original.id, { id: 'rev-1', reason: 'mistake' })).toEqual(first);
        expect(await t.ledger.balance('user:a')).toBe(0n);
      });

      it('refuses to overdraw a user unless forced, and a forced reversal leaves a debt verify() accepts', async () => {
        const original = await fund('exploiter', 100n);
        await t.ledger.transfer({
          from: 'user:exploiter',
          to: 'user:friend',
          amount: 90n,
          code: 'transfer.p2p',
        });
        const before = await snapshot(economy, t, ['user:exploiter', 'user:friend']);
        await expectCode(t.ledger.reverse(original.id, { reason: 'exploit' }), ErrorCode.INSUFFICIENT_FUNDS);
        expect(await snapshot(economy, t, ['user:exploiter', 'user:friend'])).toEqual(before);
        await t.ledger.reverse(original.id, { reason: 'exploit', force: true });
        expect(await t.ledger.balance('user:exploiter')).toBe(-90n);
        expect(await t.ledger.verify()).toEqual({ ok: true, problems: [] });
      });

      itNeeds(target, 'tenant.ledger.transferAll')(
        'reverses a whole batch by its batch id, atomically',
        async () => {
          const batch = await t.ledger.transferAll([
            { from: 'faucet:f', to: 'user:a', amount: 5n, code: 'faucet.f' },
            { from: 'faucet:f', to: 'user:b', amount: 6n, code: 'faucet.f' },
          ]);
          const mirrors = await t.ledger.reverse(batch[0]!.batchId!, { reason: 'rollback' });
          expect(mirrors.map((m) => m.reverses)).toEqual(batch.map((b) => b.id));
          expect(new Set(mirrors.map((m) => m.batchId)).size).toBe(1);
          expect(await t.ledger.balance('user:a')).toBe(0n);
          expect(await t.ledger.balance('user:b')).toBe(0n);
          await expectCode(t.ledger.reverse(batch[1]!.id, { reason: 'again' }), ErrorCode.ALREADY_REVERSED);
        },
      );

      it('reverses even from a frozen account (admin rollback)', async () => {
        const original = await fund('frozen', 10n);
        await t.freeze('frozen', { reason: 'exploit' });
        await t.ledger.reverse(original.id, { reason: 'rollback' });
        expect(await t.ledger.balance('user:frozen')).toBe(0n);
      });

      it('answers NOT_FOUND for an unknown id', async () => {
        await expectCode(t.ledger.reverse('nope', { reason: 'x' }), ErrorCode.NOT_FOUND);
      });
    });

    describe('transfers()', () => {
      it('pages newest first with a cursor, filtered by account', async () => {
        for (let i = 0; i < 7; i++) {
          await t.ledger.transfer({
            id: `p${i}`,
            from: 'faucet:f',
            to: `user:${i % 2}`,
            amount: 1n,
            code: 'faucet.f',
          });
        }
        const page1 = await t.ledger.transfers({ limit: 3 });
        expect(page1.items.map((x) => x.id)).toEqual(['p6', 'p5', 'p4']);
        const page2 = await t.ledger.transfers({ limit: 3, cursor: page1.next! });
        expect(page2.items.map((x) => x.id)).toEqual(['p3', 'p2', 'p1']);
        const page3 = await t.ledger.transfers({ limit: 3, cursor: page2.next! });
        expect(page3.items.map((x) => x.id)).toEqual(['p0']);
        expect(page3.next).toBeUndefined();
        const user1 = await t.ledger.transfers({ account: 'user:1' });
        expect(user1.items.map((x) => x.id)).toEqual(['p5', 'p3', 'p1']);
        const exact = await t.ledger.transfers({ limit: 7 });
        expect(exact.items).toHaveLength(7);
        expect(exact.next).toBeUndefined();
      });

      it('never skips or repeats while others write', async () => {
        for (let i = 0; i < 60; i++) await fund(`u${i % 5}`, 1n);
        const existing = (await snapshot(economy, t, [])).ids;
        const writers = Promise.all(Array.from({ length: 40 }, (_, i) => fund(`w${i % 3}`, 1n)));
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await t.ledger.transfers({ limit: 7, ...(cursor && { cursor }) });
          seen.push(...page.items.map((x) => x.id));
          cursor = page.next;
        } while (cursor);
        await writers;
        expect(new Set(seen).size).toBe(seen.length);
        for (const id of existing) expect(seen).toContain(id);
      });
    });

    describe('tenant isolation', () => {
      it('shares nothing between tenants: balances, ids, reversals, pages', async () => {
        const other = economy.tenant(`${t.id}_other`);
        const mine = await t.ledger.transfer({
          id: 'same-id',
          from: 'faucet:f',
          to: 'user:1',
          amount: 10n,
          code: 'f',
        });
        const theirs = await other.ledger.transfer({
          id: 'same-id',
          from: 'faucet:f',
          to: 'user:1',
          amount: 99n,
          code: 'f',
        });
        expect(theirs.tenant).toBe(other.id);
        expect(await t.ledger.balance('user:1')).toBe(10n);
        expect(await other.ledger.balance('user:1')).toBe(99n);
        const mineOnly = await t.ledger.transfer({
          id: 'only-mine',
          from: 'faucet:f',
          to: 'user:2',
          amount: 1n,
          code: 'f',
        });
        await expectCode(other.ledger.reverse(mineOnly.id, { reason: 'steal' }), ErrorCode.NOT_FOUND);
        await other.ledger.reverse('same-id', { reason: 'theirs' });
        expect(await t.ledger.balance('user:1')).toBe(10n);
        expect((await t.ledger.reverse(mine.id, { reason: 'mine' }))[0]!.tenant).toBe(t.id);
        const page = await other.ledger.transfers();
        expect(page.items.every((x) => x.tenant === other.id)).toBe(true);
        const cursor = (await t.ledger.transfers({ limit: 1 })).next!;
        const viaForeignCursor = await other.ledger.transfers({ cursor });
        expect(viaForeignCursor.items.every((x) => x.tenant === other.id)).toBe(true);
        await other.freeze('2', { reason: 'other tenant only' });
        await t.ledger.transfer({ from: 'user:2', to: 'user:3', amount: 1n, code: 'p2p' });
        expect((await t.ledger.verify()).ok).toBe(true);
        expect((await other.ledger.verify()).ok).toBe(true);
      });
    });

    describe('ops the SDK builds itself (a reward floored to zero, text nobody checked)', () => {
      const op = (transfer: NewTransfer, extra: Partial<LedgerOp> = {}): LedgerOp => ({
        tenant: t.id,
        transfers: [transfer],
        batchId: null,
        ...extra,
      });
      const audit = (reason: string) => ({
        id: 'audit-1',
        actor: 'admin',
        action: 'grant',
        target: 'user:z',
        reason,
        details: null,
        createdAt: new Date(0),
      });

      it('fail alone with a typed error in the one transaction of their group, and leave no trace', async () => {
        await fund('z', 10n);
        const store = storeOf(economy);
        const rowsBefore = await tableRows(economy, t.id);
        const commits = spyOnGroupCommits(economy);
        // Submitted in one turn of the event loop: one group, one transaction.
        const results = await Promise.allSettled([
          store.commit(op(line('good-1', 5n))),
          store.commit(op(line('zero', 0n))),
          store.commit(op(line('negative', -3n))),
          store.commit(op(line('nul-code', 1n, { code: 'faucet.seed\u0000' }))),
          store.commit(op(line('nul-audit', 1n), { audit: [audit('because\u0000')] })),
          store.commit(
            op(line('lone', 1n), {
              effects: [
                {
                  kind: 'add',
                  scope: 'cap',
                  key: '\ud800',
                  delta: 1n,
                  fail: { code: 'LIMIT_REACHED', message: 'x' },
                },
              ],
            }),
          ),
          store.commit(op(line('good-2', 7n))),
        ]);
        const transactions = commits.mock.calls.length;
        commits.mockRestore();
        expect(
          results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as { code: string }).code)),
        ).toEqual([
          'ok',
          'INVALID_AMOUNT',
          'INVALID_AMOUNT',
          'INVALID_INPUT',
          'INVALID_INPUT',
          'INVALID_INPUT',
          'ok',
        ]);
        expect(transactions).toBe(1);
        expect(await t.ledger.balance('user:z')).toBe(22n);
        const rowsAfter = await tableRows(economy, t.id);
        expect(rowsAfter).toEqual({
          ...rowsBefore,
          gm_transfers: rowsBefore.gm_transfers! + 2,
          // The holdings histogram: the two good ops move z's holding into a bucket of its own (22).
          gm_rollups: rowsBefore.gm_rollups! + 1,
        });
        expect(await t.ledger.verify()).toEqual({ ok: true, problems: [] });
      });
    });

    describe('fresh ids (generated for the call, so not looked up on a first attempt)', () => {
      itNeeds(target, 'tenant.ledger.transferAll')(
        'are what the ledger marks: every id generated, none given',
        async () => {
          const commits = spyOnGroupCommits(economy);
          await t.ledger.transfer({ from: 'faucet:seed', to: 'user:f', amount: 1n, code: 'faucet.seed' });
          await t.ledger.transfer({
            id: 'given',
            from: 'faucet:seed',
            to: 'user:f',
            amount: 1n,
            code: 'faucet.seed',
          });
          await t.ledger.transferAll([
            { from: 'faucet:seed', to: 'user:f', amount: 1n, code: 'faucet.seed' },
            { from: 'faucet:seed', to: 'user:g', amount: 1n, code: 'faucet.seed' },
          ]);
          await t.ledger.transferAll([
            { from: 'faucet:seed', to: 'user:f', amount: 1n, code: 'faucet.seed' },
            { id: 'given-2', from: 'faucet:seed', to: 'user:g', amount: 1n, code: 'faucet.seed' },
          ]);
          const marks = commits.mock.calls.map(([ops]) => ops[0]!.freshIds === true);
          commits.mockRestore();
          expect(marks).toEqual([true, false, true, false]);
        },
      );

      it('one that is in the ledger after all is found on the retry: a replay, or a conflict, never a second move', async () => {
        expect(await t.ledger.balance('user:f')).toBe(0n); // (and the store is migrated)
        const original = await storeOf(economy).commit({
          tenant: t.id,
          transfers: [line('dup', 5n, { to: 'user:f' })],
          batchId: null,
        });
        const commits = spyOnGroupCommits(economy);
        const replay = await storeOf(economy).commit({
          tenant: t.id,
          transfers: [line('dup', 5n, { to: 'user:f' })],
          batchId: null,
          freshIds: true,
        });
        // The first attempt did not look the id up and failed on the primary key; the retry looked.
        expect(commits.mock.calls.map(([, retry]) => retry)).toEqual([false, true]);
        commits.mockRestore();
        expect(replay).toEqual(original);
        await expectCode(
          storeOf(economy).commit({
            tenant: t.id,
            transfers: [line('dup', 6n, { to: 'user:f' })],
            batchId: null,
            freshIds: true,
          }),
          ErrorCode.IDEMPOTENCY_CONFLICT,
        );
        expect(await t.ledger.balance('user:f')).toBe(5n);
        expect(await t.ledger.verify()).toEqual({ ok: true, problems: [] });
      });
    });

    itNeeds(target, 'economy.migrate')(
      'migrate() is idempotent and safe when called concurrently',
      async () => {
        await Promise.all([economy.migrate(), economy.migrate(), economy.migrate()]);
        if (target.name !== 'libsql-memory') {
          const second = target.open();
          await Promise.all([second.migrate(), economy.migrate(), second.migrate()]);
          await second.close();
        }
        await fund('m', 1n);
        expect(await t.ledger.balance('user:m')).toBe(1n);
      },
    );

    it('close() lets queued writes finish first, then refuses new work', async () => {
      await fund('warm', 1n);
      const pending = Array.from({ length: 100 }, () => fund('late', 1n));
      await economy.close();
      await Promise.all(pending);
      await expectCode(fund('late', 1n), ErrorCode.STORE_UNAVAILABLE);
      if (target.name !== 'libsql-memory') {
        const reopened = target.open();
        expect(await reopened.tenant(t.id).ledger.balance('user:late')).toBe(100n);
        await reopened.close();
      }
      economy = target.open();
    });
  });
}
