import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trpcCode } from '../../../../../test/support/expect';
import {
  createHarness,
  type Harness,
  nextId,
  onboarded,
  type StorageKind,
} from '../../../../../test/support/harness';

export function membersSuite(kind: StorageKind) {
  describe(`member admin (${kind})`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await createHarness(kind);
    });
    afterAll(() => h.close());

    it('grants coins with a reason: the balance, the leaderboard and the audit log show it', async () => {
      const { tenantId, caller, user } = await onboarded(h);
      const member = nextId();
      const key = randomUUID();
      const result = await caller.members.grant({
        tenantId,
        userId: member,
        amount: 500n,
        reason: 'event prize',
        key,
      });
      expect(result).toMatchObject({ amount: 500n, replayed: false, balance: 500n });
      expect(result.audit).toMatchObject({
        action: 'grant',
        actor: user.discordId,
        target: `user:${member}`,
        reason: 'event prize',
      });

      // The same confirmation sent twice (a double click, a retry) grants once.
      const again = await caller.members.grant({
        tenantId,
        userId: member,
        amount: 500n,
        reason: 'event prize',
        key,
      });
      expect(again).toMatchObject({ replayed: true, balance: 500n });

      expect(await caller.members.list({ tenantId })).toEqual([{ userId: member, balance: 500n }]);
      expect(await caller.members.get({ tenantId, userId: member })).toEqual({
        userId: member,
        balance: 500n,
        bank: 0n,
        total: 500n,
        frozen: false,
      });
      const audit = await caller.audit.list({ tenantId });
      expect(audit.items.map((e) => [e.action, e.target, e.reason])).toEqual([
        ['grant', `user:${member}`, 'event prize'],
      ]);
    });

    it('refuses to revoke more than a member has; nothing changes', async () => {
      const { tenantId, caller } = await onboarded(h);
      const member = nextId();
      await caller.members.grant({
        tenantId,
        userId: member,
        amount: 100n,
        reason: 'seed',
        key: randomUUID(),
      });
      expect(
        await trpcCode(
          caller.members.revoke({
            tenantId,
            userId: member,
            amount: 101n,
            reason: 'too much',
            key: randomUUID(),
          }),
        ),
      ).toBe('CONFLICT');
      expect(await h.economy.tenant(tenantId).balance(member)).toBe(100n);
      expect((await caller.audit.list({ tenantId })).items.length).toBe(1);
      const revoked = await caller.members.revoke({
        tenantId,
        userId: member,
        amount: 40n,
        reason: 'fine',
        key: randomUUID(),
      });
      expect(revoked.balance).toBe(60n);
    });

    it('rejects bad input before the SDK sees it: no amount ≤ 0, no empty reason', async () => {
      const { tenantId, caller } = await onboarded(h);
      const member = nextId();
      expect(
        await trpcCode(
          caller.members.grant({ tenantId, userId: member, amount: 0n, reason: 'x', key: randomUUID() }),
        ),
      ).toBe('BAD_REQUEST');
      expect(
        await trpcCode(
          caller.members.grant({ tenantId, userId: member, amount: 5n, reason: '  ', key: randomUUID() }),
        ),
      ).toBe('BAD_REQUEST');
      expect(
        await trpcCode(
          caller.members.grant({ tenantId, userId: 'abc', amount: 5n, reason: 'x', key: randomUUID() }),
        ),
      ).toBe('BAD_REQUEST');
      expect(await h.economy.tenant(tenantId).balance(member)).toBe(0n);
      expect((await caller.audit.list({ tenantId })).items).toEqual([]);
    });

    it('refuses reasons the SDK refuses, counted the SDK’s way; nothing changes', async () => {
      const { tenantId, caller } = await onboarded(h);
      const member = nextId();
      const reasons = [
        '🪙'.repeat(300), // 300 code points pass a code-point count of 500; 600 UTF-16 units do not
        'bonus\u0000hidden', // a NUL would cut the stored reason short
        'tab\tinside',
        '\u200b\u200c\u200d\ufeff', // zero-width only
        '\u3164', // a blank-looking letter
      ];
      for (const reason of reasons) {
        const grant = caller.members.grant({
          tenantId,
          userId: member,
          amount: 5n,
          reason,
          key: randomUUID(),
        });
        expect([reason, await trpcCode(grant)]).toEqual([reason, 'BAD_REQUEST']);
        expect([reason, await trpcCode(caller.members.freeze({ tenantId, userId: member, reason }))]).toEqual(
          [reason, 'BAD_REQUEST'],
        );
      }
      expect(await h.economy.tenant(tenantId).balance(member)).toBe(0n);
      expect(await h.economy.tenant(tenantId).isFrozen(member)).toBe(false);
      expect((await caller.audit.list({ tenantId })).items).toEqual([]);
    });

    it('pages an audit log whose entries share one millisecond without skipping any', async () => {
      const frozenClock = new Date('2026-06-01T12:00:00.000Z');
      const sameMs = await createHarness(kind, { clock: { now: () => frozenClock } });
      try {
        const { tenantId, caller } = await onboarded(sameMs);
        for (let i = 0; i < 5; i++)
          await caller.members.freeze({ tenantId, userId: nextId(), reason: `r${i}` });
        const seen: string[] = [];
        let cursor: { id: string } | undefined;
        for (let page = 0; page < 5; page++) {
          const { items, next } = await caller.audit.list({ tenantId, limit: 2, ...(cursor && { cursor }) });
          seen.push(...items.map((e) => e.reason ?? ''));
          if (!next) break;
          cursor = next;
        }
        expect(seen).toEqual(['r4', 'r3', 'r2', 'r1', 'r0']);
      } finally {
        await sameMs.close();
      }
    });

    it('freezes and unfreezes a wallet, each with an audit entry', async () => {
      const { tenantId, caller } = await onboarded(h);
      const member = nextId();
      await caller.members.grant({
        tenantId,
        userId: member,
        amount: 50n,
        reason: 'seed',
        key: randomUUID(),
      });
      const frozen = await caller.members.freeze({ tenantId, userId: member, reason: 'suspicious' });
      expect(frozen.audit).toMatchObject({ action: 'freeze', reason: 'suspicious' });
      // The member page shows it.
      expect(await caller.members.get({ tenantId, userId: member })).toMatchObject({ frozen: true });
      const pay = h.economy.tenant(tenantId).pay({ from: member, to: nextId(), amount: 10n });
      await expect(pay).rejects.toMatchObject({ code: 'ACCOUNT_FROZEN' });
      await caller.members.unfreeze({ tenantId, userId: member, reason: 'cleared' });
      expect(await caller.members.get({ tenantId, userId: member })).toMatchObject({ frozen: false });
      expect((await caller.audit.list({ tenantId })).items.map((e) => e.action)).toEqual([
        'unfreeze',
        'freeze',
        'grant',
      ]);
    });

    it('pages a member’s history with cursors, newest first', async () => {
      const { tenantId, caller } = await onboarded(h);
      const member = nextId();
      for (let i = 1; i <= 5; i++) {
        await caller.members.grant({
          tenantId,
          userId: member,
          amount: BigInt(i),
          reason: `#${i}`,
          key: randomUUID(),
        });
      }
      const first = await caller.members.history({ tenantId, userId: member, limit: 2 });
      expect(first.items.map((t) => t.delta)).toEqual([5n, 4n]);
      const second = await caller.members.history({
        tenantId,
        userId: member,
        limit: 2,
        cursor: first.next!,
      });
      expect(second.items.map((t) => t.delta)).toEqual([3n, 2n]);
      const last = await caller.members.history({ tenantId, userId: member, limit: 2, cursor: second.next! });
      expect(last.items.map((t) => t.delta)).toEqual([1n]);
      expect(last.next).toBeNull();
    });

    it('rolls back a member’s transfers since a moment', async () => {
      const { tenantId, caller } = await onboarded(h);
      const member = nextId();
      const since = new Date(Date.now() - 1000);
      await caller.members.grant({
        tenantId,
        userId: member,
        amount: 300n,
        reason: 'exploit payout',
        key: randomUUID(),
      });
      const result = await caller.members.rollback({ tenantId, userId: member, since, reason: 'exploit' });
      expect(result.reversed).toBe(1);
      expect(result.balance).toBe(0n);
      expect(result.audit).toMatchObject({ action: 'rollback', reason: 'exploit' });
    });

    it('pages the audit log', async () => {
      const { tenantId, caller } = await onboarded(h);
      for (let i = 0; i < 3; i++) {
        await caller.members.freeze({ tenantId, userId: nextId(), reason: `r${i}` });
      }
      const first = await caller.audit.list({ tenantId, limit: 2 });
      expect(first.items.map((e) => e.reason)).toEqual(['r2', 'r1']);
      expect(first.next).toEqual({ id: first.items[1]!.id });
      const rest = await caller.audit.list({ tenantId, limit: 2, cursor: first.next! });
      expect(rest.items.map((e) => e.reason)).toEqual(['r0']);
      expect(rest.next).toBeNull();
    });
  });
}
