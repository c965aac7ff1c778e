import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEconomy,
  defineEconomy,
  type Economy,
  type PlanEntitlement,
  plans,
  presets,
} from '../../src/index.js';
import { DAY, HOUR, ManualClock } from '../support/clock.js';
import { expectCode } from '../support/expect.js';
import { type StoreTarget, storeOf, tableRows } from '../support/stores.js';

/**
 * Plan entitlements, one suite for every store: what both rails (Stripe, Discord) record, the plan
 * that follows, and the plan limits a publish is checked against.
 */
export function describePlansConformance(store: StoreTarget) {
  describe(`plans and entitlements (${store.name})`, () => {
    const clock = new ManualClock('2026-06-01T00:00:00Z');
    let economy: Economy;
    beforeAll(async () => {
      economy = store.open({ clock, enforcePlans: true });
      await economy.migrate();
    });
    afterAll(() => economy.close());

    const stripe = (over: Partial<PlanEntitlement> = {}): PlanEntitlement => ({
      rail: 'stripe',
      ref: 'sub_1',
      plan: 'pro',
      status: 'active',
      currentPeriodEnd: new Date(clock.now().getTime() + 30 * DAY),
      graceUntil: null,
      observedAt: clock.now(),
      ...over,
    });

    it('is Free with no entitlement, Pro while a subscription is active, Free again when it ends', async () => {
      const t = economy.tenant('plan-basic');
      expect(await t.plan()).toMatchObject({ name: 'free', source: null, plan: { title: 'Free' } });
      const active = await t.recordEntitlement(stripe());
      expect(active).toMatchObject({
        name: 'pro',
        plan: { name: 'pro' },
        source: { rail: 'stripe', ref: 'sub_1', status: 'active', graceUntil: null },
      });
      expect(await t.plan()).toEqual(active);
      clock.advance(HOUR);
      expect((await t.recordEntitlement(stripe({ status: 'ended', observedAt: clock.now() }))).name).toBe(
        'free',
      );
      expect(await t.entitlements()).toEqual([stripe({ status: 'ended', observedAt: clock.now() })]);
      // Another tenant never sees it.
      expect((await economy.tenant('plan-basic_other').plan()).name).toBe('free');
      expect(await economy.tenant('plan-basic_other').entitlements()).toEqual([]);
    });

    it('keeps a newer observation when an older one arrives later (any order of events)', async () => {
      const t = economy.tenant('plan-order');
      const early = clock.now();
      const late = new Date(early.getTime() + 1000);
      // The cancellation was observed last but recorded first.
      await t.recordEntitlement(stripe({ status: 'ended', observedAt: late }));
      const rows = await tableRows(economy, t.id);
      const after = await t.recordEntitlement(stripe({ status: 'active', observedAt: early }));
      expect(after.name).toBe('free');
      expect((await t.entitlements())[0]).toMatchObject({ status: 'ended', observedAt: late });
      // Only the spent key of the stale call was written: no audit entry, no state change.
      const now = await tableRows(economy, t.id);
      expect(now.gm_audit).toBe(rows.gm_audit);
      expect(now.gm_state).toBe((rows.gm_state ?? 0) + 1);
    });

    it('keeps the plan through a grace period while past_due, then falls back to Free', async () => {
      const t = economy.tenant('plan-grace');
      const graceUntil = new Date(clock.now().getTime() + 3 * DAY);
      const pastDue = await t.recordEntitlement(stripe({ status: 'past_due', graceUntil }));
      expect(pastDue).toMatchObject({ name: 'pro', source: { status: 'past_due', graceUntil } });
      clock.advance(3 * DAY);
      expect(await t.plan()).toMatchObject({ name: 'free', source: null });
      clock.advance(-3 * DAY);
      // past_due without a grace period grants nothing.
      const t2 = economy.tenant('plan-grace-none');
      expect((await t2.recordEntitlement(stripe({ status: 'past_due' }))).name).toBe('free');
    });

    it('takes the best plan over both rails and names where it comes from', async () => {
      const t = economy.tenant('plan-rails');
      await t.recordEntitlement(stripe({ plan: 'pro' }));
      const both = await t.recordEntitlement({
        rail: 'discord',
        ref: '1300000000000000001',
        plan: 'scale',
        status: 'active',
        currentPeriodEnd: null,
        graceUntil: null,
        observedAt: clock.now(),
      });
      expect(both).toMatchObject({ name: 'scale', source: { rail: 'discord', ref: '1300000000000000001' } });
      clock.advance(1000);
      const ended = await t.recordEntitlement({
        ...(await t.entitlements()).find((e) => e.rail === 'discord')!,
        status: 'ended',
        observedAt: clock.now(),
      });
      expect(ended).toMatchObject({ name: 'pro', source: { rail: 'stripe', ref: 'sub_1' } });
      expect(await t.entitlements()).toHaveLength(2);
    });

    it('audit-logs each change, and a retried call with its key records nothing more', async () => {
      const t = economy.tenant('plan-keys');
      const e = stripe({ ref: 'sub_keyed' });
      await t.recordEntitlement(e, { key: 'evt_1' });
      const rows = await tableRows(economy, t.id);
      expect(await t.recordEntitlement(e, { key: 'evt_1' })).toMatchObject({ name: 'pro' });
      expect(await tableRows(economy, t.id)).toEqual(rows);
      await expectCode(
        t.recordEntitlement(stripe({ ref: 'sub_keyed', plan: 'scale' }), { key: 'evt_1' }),
        'IDEMPOTENCY_CONFLICT',
      );
      expect(await tableRows(economy, t.id)).toEqual(rows);
      const log = await t.auditLog();
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({
        actor: 'stripe',
        action: 'plan.entitlement',
        target: 'stripe:sub_keyed',
        details: { plan: 'pro', status: 'active', ref: 'sub_keyed' },
      });
    });

    it('moves observedAt on for the same state without another audit entry', async () => {
      const t = economy.tenant('plan-reobserved');
      const first = clock.now();
      await t.recordEntitlement(stripe({ ref: 'sub_same', observedAt: first }));
      const later = new Date(first.getTime() + 5000);
      await t.recordEntitlement(stripe({ ref: 'sub_same', observedAt: later }));
      expect(await t.auditLog()).toHaveLength(1);
      // An observation between the two is older than the stored one now: it cannot end the plan.
      const between = new Date(first.getTime() + 1000);
      expect(
        (await t.recordEntitlement(stripe({ ref: 'sub_same', status: 'ended', observedAt: between }))).name,
      ).toBe('pro');
      expect(await t.auditLog()).toHaveLength(1);
    });

    it('records concurrent observations of one entitlement so that the newest stands', async () => {
      const t = economy.tenant('plan-race');
      const base = clock.now().getTime();
      const statuses = ['active', 'past_due', 'ended', 'trialing', 'active', 'ended'] as const;
      await Promise.all(
        statuses.map((status, i) =>
          t.recordEntitlement(
            stripe({ ref: 'sub_race', status, observedAt: new Date(base + i * 10), graceUntil: null }),
          ),
        ),
      );
      expect(await t.entitlements()).toEqual([
        stripe({ ref: 'sub_race', status: 'ended', observedAt: new Date(base + 50) }),
      ]);
    });

    it('refuses a malformed entitlement with INVALID_INPUT and writes nothing', async () => {
      const t = economy.tenant('plan-bad');
      const rows = await tableRows(economy, t.id);
      const bad: Array<Record<string, unknown>> = [
        { rail: 'paypal' },
        { plan: 'enterprise' },
        { status: 'canceled' },
        { ref: '' },
        { ref: 'has space' },
        { observedAt: new Date('nope') },
        { observedAt: '2026-01-01' },
        { extra: 1 },
      ];
      for (const over of bad)
        await expectCode(t.recordEntitlement({ ...stripe(), ...over } as PlanEntitlement), 'INVALID_INPUT');
      expect(await tableRows(economy, t.id)).toEqual(rows);
      expect((await t.plan()).name).toBe('free');
    });

    it('refuses a new member beyond the plan; members holding an account keep earning and spending', async () => {
      const t = economy.tenant('plan-members');
      // The same store without enforcement: members the cap never saw (another process, a downgrade).
      const unheld = createEconomy({ storage: storeOf(economy), clock }).tenant(t.id);
      const limit = plans.free.limits.membersWithBalance;
      const credit = (to: string, id: string) => ({ id, from: 'faucet:seed', to, amount: 10n, code: 'seed' });
      await unheld.ledger.transferAll(
        Array.from({ length: limit - 1 }, (_, i) => credit(`user:m${i}`, `seed-${i}`)),
      );
      await t.ledger.transfer(credit('user:m0', 'again-m0'));
      await t.ledger.transfer(credit('user:n1', 'first-n1'));
      const rows = await tableRows(economy, t.id);
      const refused = await expectCode(t.ledger.transfer(credit('user:n2', 'first-n2')), 'PLAN_LIMIT');
      expect(refused.message).toBe(
        `the Free plan allows ${limit} members with a balance (${limit + 1} asked); the Pro plan includes up to 10000`,
      );
      await expectCode(t.ledger.transfer(credit('user:n2.bank', 'bank-n2')), 'PLAN_LIMIT');
      await expectCode(t.pay({ from: 'm1', to: 'n2', amount: 1n }), 'PLAN_LIMIT');
      expect(await tableRows(economy, t.id)).toEqual(rows);
      // Members already holding an account: paid, paying, banking.
      await t.pay({ from: 'm1', to: 'n1', amount: 5n });
      await t.deposit('m2', 5n);
      await t.ledger.transfer(credit('user:m3.bank', 'bank-m3'));
      // Over the limit (a downgrade): those beyond it, never seen here, still earn; newcomers do not.
      await unheld.ledger.transferAll([credit('user:m249', 'seed-249'), credit('user:m250', 'seed-250')]);
      await t.ledger.transfer(credit('user:m250', 'again-m250'));
      await expectCode(t.ledger.transfer(credit('user:n2', 'first-n2')), 'PLAN_LIMIT');
      expect(await t.balance('m250')).toBe(20n);
      // Another tenant is not held to this one's members.
      await economy.tenant('plan-members_other').ledger.transfer(credit('user:n2', 'other-n2'));
      // Pro includes more: the newcomer is welcome.
      await t.recordEntitlement(stripe({ ref: 'sub_members' }));
      await t.ledger.transfer(credit('user:n2', 'first-n2'));
      expect(await t.balance('n2')).toBe(10n);
    });

    it('refuses a batch as a whole when its newcomers together go beyond the plan', async () => {
      const t = economy.tenant('plan-members-batch');
      const limit = plans.free.limits.membersWithBalance;
      const credit = (to: string, id: string) => ({ id, from: 'faucet:seed', to, amount: 1n, code: 'seed' });
      await t.ledger.transferAll(Array.from({ length: limit - 1 }, (_, i) => credit(`user:m${i}`, `m${i}`)));
      const rows = await tableRows(economy, t.id);
      await expectCode(
        t.ledger.transferAll([credit('user:m0', 'b0'), credit('user:x1', 'b1'), credit('user:x2', 'b2')]),
        'PLAN_LIMIT',
      );
      expect(await tableRows(economy, t.id)).toEqual(rows);
      await t.ledger.transferAll([
        credit('user:m0', 'b0'),
        credit('user:x1', 'b1'),
        credit('user:x1.bank', 'b2'),
      ]);
      expect(await storeOf(economy).memberCensus(t.id, 'x1')).toEqual({ members: limit, present: true });
      expect(await storeOf(economy).memberCensus(t.id, 'x2')).toEqual({ members: limit, present: false });
    });

    it('counts each member once, whatever they hold, and nothing else', async () => {
      const t = economy.tenant('plan-census');
      const credit = (to: string, id: string) => ({ id, from: 'faucet:seed', to, amount: 1n, code: 'seed' });
      await t.ledger.transferAll([
        credit('user:wallet-only', 'c1'),
        credit('user:bank-only.bank', 'c2'),
        credit('user:both', 'c3'),
        credit('user:both.bank', 'c4'),
        credit('house:casino', 'c5'),
      ]);
      // A member whose wallet went back to zero still holds it.
      await t.ledger.transfer({
        id: 'c6',
        from: 'user:wallet-only',
        to: 'sink:shop',
        amount: 1n,
        code: 'spend',
      });
      await economy.tenant('plan-census_other').ledger.transfer(credit('user:elsewhere', 'c7'));
      const census = (userId: string) => storeOf(economy).memberCensus(t.id, userId);
      expect(await census('wallet-only')).toEqual({ members: 3, present: true });
      expect(await census('bank-only')).toEqual({ members: 3, present: true });
      expect(await census('both')).toEqual({ members: 3, present: true });
      expect(await census('elsewhere')).toEqual({ members: 3, present: false });
      expect(await census('casino')).toEqual({ members: 3, present: false });
    });

    it('publishes custom branding only on a plan that includes it', async () => {
      const t = economy.tenant('plan-branding');
      const branded = defineEconomy({ ...presets.cozy, branding: { color: '#1abc9c', footer: 'Moonlight' } });
      const error = await expectCode(t.configure(branded), 'PLAN_LIMIT');
      expect(error.message).toBe(
        'the Free plan does not include custom branding of replies; the Pro plan does',
      );
      expect(await t.configHistory()).toEqual([]);
      await t.recordEntitlement(stripe({ ref: 'sub_branding' }));
      await t.configure(branded);
      expect((await t.config()).branding).toEqual({ color: '#1abc9c', footer: 'Moonlight' });
    });

    it('checks a publish against the plan: PLAN_LIMIT names the plan that includes it', async () => {
      const t = economy.tenant('plan-publish');
      const items = Object.fromEntries(
        Array.from({ length: 11 }, (_, i) => [`item${i}`, { name: `Item ${i}`, price: 10 }]),
      );
      const big = defineEconomy({ ...presets.cozy, shop: { items } });
      const error = await expectCode(t.configure(big), 'PLAN_LIMIT');
      expect(error.message).toBe(
        'the Free plan allows 10 shop items (11 asked); the Pro plan includes up to 100',
      );
      expect(await t.configHistory()).toEqual([]);
      // Every preset fits Free: onboarding publishes one before anyone pays.
      for (const preset of Object.values(presets)) await t.configure(preset);
      await t.recordEntitlement(stripe({ ref: 'sub_publish' }));
      const { version } = await t.configure(big);
      // A downgrade keeps the published config in force; the next publish must fit again.
      clock.advance(1000);
      await t.recordEntitlement(stripe({ ref: 'sub_publish', status: 'ended', observedAt: clock.now() }));
      expect((await t.config()).version).toBe(version);
      expect(Object.keys((await t.config()).shop.items)).toHaveLength(11);
      // Publishing the same config again changes nothing (no new version); a changed one must fit Free.
      expect(await t.configure(big)).toEqual({ version });
      await expectCode(t.configure({ ...big, name: 'Bigger' }), 'PLAN_LIMIT');
      const events = Array.from({ length: 2 }, (_, i) => ({
        id: `e${i}`,
        name: `Event ${i}`,
        startsAt: '2026-06-01T00:00:00Z',
        endsAt: '2026-06-02T00:00:00Z',
        multiplierBps: 20_000,
      }));
      expect(
        (await expectCode(t.configure(defineEconomy({ ...presets.cozy, events })), 'PLAN_LIMIT')).message,
      ).toMatch(/^the Free plan allows 1 events \(2 asked\); the Pro plan includes up to 20$/);
    });

    it('holds nobody to a plan unless asked: an economy run without enforcePlans publishes what it likes', async () => {
      const own = store.open({ clock });
      try {
        const items = Object.fromEntries(
          Array.from({ length: 11 }, (_, i) => [`item${i}`, { name: `Item ${i}`, price: 10 }]),
        );
        const t = own.tenant('plan-own');
        expect((await t.plan()).name).toBe('free');
        const { version } = await t.configure(defineEconomy({ ...presets.cozy, shop: { items } }));
        expect((await t.config()).version).toBe(version);
      } finally {
        await own.close();
      }
    });
  });
}
