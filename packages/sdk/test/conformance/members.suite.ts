import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  defineEconomy,
  type Economy,
  type EconomyConfigInput,
  ErrorCode,
  seededRandom,
  type Tenant,
  verifyRobbery,
} from '../../src/index.js';
import { DAY, ManualClock } from '../support/clock.js';
import { expectCode } from '../support/expect.js';
import { type StoreTarget, tableRows } from '../support/stores.js';

const VETERAN = { joinedAt: new Date('2025-01-01T00:00:00Z') };

const base: EconomyConfigInput = {
  timeZone: 'Europe/Berlin',
  policy: { rateLimit: { perMemberPerMinute: 600 } },
  streaks: { daily: {} },
  faucets: { daily: { reward: { fixed: 10 }, streak: 'daily' } },
  bank: {
    enabled: true,
    minAmount: 5,
    maxBalance: 10_000,
    interest: { dailyRateBps: 100, maxPerDay: 50, maxDaysAccrued: 3 },
  },
  robbery: {
    enabled: true,
    minChanceBps: 10_000,
    maxChanceBps: 10_000,
    minStealBps: 5_000,
    maxStealBps: 5_000,
    fineBps: 1_000,
    minFine: 20,
    minWallet: 100,
    cooldownSeconds: 600,
    protectionAfterRobbedSeconds: 0,
    newMemberDays: 7,
    inactiveDays: 14,
    optOutRoles: ['777'],
  },
  roleIncome: {
    enabled: true,
    roles: [
      { roleId: '100', amount: 30, period: 'day' },
      { roleId: '200', amount: 500, period: 'week' },
    ],
  },
  shop: {
    gifts: true,
    sellBackBps: 5_000,
    items: {
      gem: { name: 'Gem', price: 101 },
      crown: { name: 'Crown', price: 1_000, effects: [{ type: 'role', roleId: '999' }] },
      pebble: { name: 'Pebble', price: 1 },
    },
  },
};

let counter = 0;

/** Bank, robbery, role income, gifts, buyback and profile (issue 14), run unchanged against every store. */
export function describeMembersConformance(target: StoreTarget): void {
  describe(`member features (${target.name})`, () => {
    let economy: Economy;
    let t: Tenant;
    let clock: ManualClock;
    const configure = (patch: EconomyConfigInput = {}) => t.configure(defineEconomy({ ...base, ...patch }));
    const snapshot = async (users: string[]) => ({
      holdings: await Promise.all(users.map((u) => t.holdings(u))),
      rows: await tableRows(economy, t.id),
    });
    const fund = (userId: string, amount: bigint) => t.grant(userId, amount, { reason: 'test funds' });
    const rob = (robber: string, target: string, key?: string) =>
      t.rob(robber, target, { robber: VETERAN, target: VETERAN, ...(key && { key }) });

    beforeEach(async () => {
      clock = new ManualClock('2026-03-02T10:00:00Z');
      economy = target.open({ clock, random: seededRandom(7) });
      t = economy.tenant(`mem_${process.pid}_${++counter}`);
      await configure();
    });
    afterEach(async () => {
      expect(await t.ledger.verify()).toEqual({ ok: true, problems: [] });
      await economy.close();
    });

    describe('wallet and bank', () => {
      it('moves coins between wallet and bank without changing the money supply', async () => {
        await fund('1', 1_000n);
        const before = (await t.stats()).moneySupply;
        const receipt = await t.deposit('1', 400n, { key: 'dep-1' });
        expect(receipt).toMatchObject({ id: 'dep-1', amount: 400n, interest: 0n, replayed: false });
        expect(await t.holdings('1')).toEqual({ wallet: 600n, bank: 400n, total: 1_000n });
        await t.withdraw('1', 150n, { key: 'wd-1' });
        expect(await t.holdings('1')).toEqual({ wallet: 750n, bank: 250n, total: 1_000n });
        const stats = await t.stats();
        expect(stats.moneySupply).toBe(before);
        // A wallet and its bank are one member, not two.
        expect(stats.members).toBe(1);
        expect(await t.balance('1')).toBe(750n);
      });

      it('is idempotent by key, bound to the amount and the direction', async () => {
        await fund('1', 1_000n);
        await t.deposit('1', 100n, { key: 'k1' });
        const again = await t.deposit('1', 100n, { key: 'k1' });
        expect(again).toMatchObject({ id: 'k1', amount: 100n, replayed: true });
        expect(await t.holdings('1')).toMatchObject({ wallet: 900n, bank: 100n });
        const before = await snapshot(['1']);
        await expectCode(t.deposit('1', 101n, { key: 'k1' }), ErrorCode.IDEMPOTENCY_CONFLICT);
        await expectCode(t.withdraw('1', 100n, { key: 'k1' }), ErrorCode.IDEMPOTENCY_CONFLICT);
        expect(await snapshot(['1'])).toEqual(before);
      });

      it('enforces the limits, each refusal changing nothing', async () => {
        await fund('1', 20_000n);
        await t.deposit('1', 9_000n);
        const before = await snapshot(['1']);
        await expectCode(t.deposit('1', 4n), ErrorCode.INVALID_AMOUNT);
        await expectCode(t.deposit('1', 1_001n), ErrorCode.LIMIT_REACHED);
        await expectCode(t.withdraw('1', 9_001n), ErrorCode.INSUFFICIENT_FUNDS);
        await expectCode(t.deposit('2', 10n), ErrorCode.INSUFFICIENT_FUNDS);
        await expectCode(t.deposit('1', 0n), ErrorCode.INVALID_AMOUNT);
        await expectCode(t.deposit('1', 10 as unknown as bigint), ErrorCode.INVALID_AMOUNT);
        await expectCode(t.deposit('1.bank', 10n), ErrorCode.INVALID_INPUT);
        await expectCode(t.pay({ from: '1', to: '1.bank', amount: 10n }), ErrorCode.INVALID_INPUT);
        await t.freeze('1', { reason: 'test' });
        await expectCode(t.withdraw('1', 10n), ErrorCode.ACCOUNT_FROZEN);
        await expectCode(t.deposit('1', 10n), ErrorCode.ACCOUNT_FROZEN);
        await t.unfreeze('1');
        const after = await snapshot(['1']);
        expect(after.holdings).toEqual(before.holdings);
        await configure({ bank: { enabled: false } });
        await expectCode(t.deposit('1', 10n), ErrorCode.NOT_FOUND);
      });

      it('pays interest for whole days, at most maxPerDay a day and maxDaysAccrued days, from a faucet', async () => {
        await fund('1', 6_000n);
        await t.deposit('1', 2_000n); // starts the interest clock today
        clock.advance(DAY);
        // 1 % of 2,000 = 20 a day.
        expect((await t.deposit('1', 3_000n)).interest).toBe(20n);
        expect((await t.holdings('1')).bank).toBe(5_020n);
        await expect(t.deposit('1', 5n)).resolves.toMatchObject({ interest: 0n }); // same day: nothing more
        clock.advance(10 * DAY);
        // 1 % of 5,025 = 50 (the cap) a day, for at most 3 days.
        const receipt = await t.withdraw('1', 5_175n);
        expect(receipt.interest).toBe(150n);
        expect(await t.holdings('1')).toEqual({ wallet: 6_170n, bank: 0n, total: 6_170n });
        expect((await t.stats()).faucets['bank-interest']?.last30Days).toBe(170n);
      });

      it('pays interest only from what is left of the daily emission budget', async () => {
        await configure({ policy: { dailyEmissionBudget: 25, rateLimit: { perMemberPerMinute: 600 } } });
        await fund('1', 5_000n);
        await t.deposit('1', 5_000n);
        clock.advance(DAY);
        await t.claim('daily', '1'); // 10 of today's 25
        expect((await t.withdraw('1', 5n)).interest).toBe(15n);
        clock.advance(DAY);
        expect((await t.withdraw('1', 5n)).interest).toBe(25n);
      });

      it('serializes racing moves of one bank: every coin accounted for, never below zero', async () => {
        await fund('1', 300n);
        const results = await Promise.allSettled(
          Array.from({ length: 6 }, (_, i) => t.deposit('1', 100n, { key: `race-${i}` })),
        );
        const done = results.filter((r) => r.status === 'fulfilled');
        expect(done).toHaveLength(3);
        for (const r of results) {
          if (r.status === 'rejected') expect(r.reason.code).toBe(ErrorCode.INSUFFICIENT_FUNDS);
        }
        expect(await t.holdings('1')).toEqual({ wallet: 0n, bank: 300n, total: 300n });
      });

      it('ranks members by wallet, bank or total', async () => {
        await fund('a', 1_000n);
        await fund('b', 800n);
        await fund('c', 300n);
        await t.deposit('a', 900n);
        await t.deposit('b', 100n);
        expect((await t.leaderboard({ by: 'wallet' })).map((r) => [r.userId, r.balance])).toEqual([
          ['b', 700n],
          ['c', 300n],
          ['a', 100n],
        ]);
        expect((await t.leaderboard({ by: 'bank' })).map((r) => [r.userId, r.balance])).toEqual([
          ['a', 900n],
          ['b', 100n],
        ]);
        expect(await t.leaderboard({ by: 'total', limit: 2 })).toEqual([
          { userId: 'a', balance: 1_000n, wallet: 100n, bank: 900n },
          { userId: 'b', balance: 800n, wallet: 700n, bank: 100n },
        ]);
        // Banks crowding the top of the store's balances still leave a full wallet board.
        await fund('d', 5_000n);
        await t.deposit('d', 5_000n);
        expect((await t.leaderboard({ limit: 1 })).map((r) => r.userId)).toEqual(['b']);
        await expectCode(t.leaderboard({ by: 'cash' as 'wallet' }), ErrorCode.INVALID_INPUT);
      });
    });

    describe('robbery', () => {
      it('is off by default', async () => {
        await t.configure(defineEconomy({}));
        await expectCode(rob('1', '2'), ErrorCode.NOT_FOUND);
      });

      it('steals from the wallet, never the bank, verifiable once the seed is revealed', async () => {
        await fund('1', 200n);
        await fund('2', 1_000n);
        await t.deposit('2', 600n);
        const result = await rob('1', '2', 'rob-1');
        expect(result.outcome).toMatchObject({ success: true, amount: '200', chanceBps: 10_000 });
        expect(result.proof.params).toMatchObject({ robberWallet: '200', targetWallet: '400' });
        expect(await t.holdings('2')).toEqual({ wallet: 200n, bank: 600n, total: 800n });
        expect(await t.balance('1')).toBe(400n);
        expect(await t.robbery('rob-1')).toMatchObject({ id: 'rob-1', outcome: result.outcome });
        const { revealedServerSeed } = await t.rotateSeed('1');
        expect(verifyRobbery(result, revealedServerSeed)).toBe(true);
        expect(
          verifyRobbery({ ...result, outcome: { ...result.outcome, amount: '201' } }, revealedServerSeed),
        ).toBe(false);
        expect(verifyRobbery(result, 'f'.repeat(64))).toBe(false);
        // The same nonce stream as the games: the robbery took nonce 0.
        expect(result.proof.nonce).toBe(0);
      });

      it('fines a failed robber into sink:robbery, at least minFine and never more than the wallet', async () => {
        await configure({ robbery: { ...base.robbery, minChanceBps: 0, maxChanceBps: 0 } });
        await fund('1', 500n);
        await fund('2', 1_000n);
        const result = await rob('1', '2');
        expect(result.outcome).toMatchObject({ success: false, amount: '50', stealBps: null });
        expect(await t.balance('1')).toBe(450n);
        expect(await t.balance('2')).toBe(1_000n);
        expect((await t.stats()).sinks.robbery?.last30Days).toBe(50n);
        const { revealedServerSeed } = await t.rotateSeed('1');
        expect(verifyRobbery(result, revealedServerSeed)).toBe(true);
      });

      it('answers a replayed key with the same robbery and refuses it for another target', async () => {
        await fund('1', 200n);
        await fund('2', 1_000n);
        await fund('3', 1_000n);
        const first = await rob('1', '2', 'same');
        const again = await rob('1', '2', 'same');
        expect(again).toMatchObject({ id: 'same', outcome: first.outcome, replayed: true });
        const before = await snapshot(['1', '2', '3']);
        await expectCode(rob('1', '3', 'same'), ErrorCode.IDEMPOTENCY_CONFLICT);
        expect(await snapshot(['1', '2', '3'])).toEqual(before);
      });

      it('protects new, inactive, opted-out and recently robbed members, with cooldowns; refusals change nothing', async () => {
        await configure({ robbery: { ...base.robbery, protectionAfterRobbedSeconds: 3_600 } });
        await fund('1', 200n);
        await fund('2', 1_000n);
        await fund('4', 50n);
        const before = await snapshot(['1', '2', '4']);
        const newcomer = { joinedAt: new Date(clock.now().getTime() - DAY) };
        await expectCode(t.rob('1', '2', { robber: VETERAN, target: newcomer }), ErrorCode.NOT_ELIGIBLE);
        await expectCode(t.rob('1', '2', { robber: VETERAN }), ErrorCode.NOT_ELIGIBLE);
        await expectCode(t.rob('1', '2', { robber: newcomer, target: VETERAN }), ErrorCode.NOT_ELIGIBLE);
        await expectCode(
          t.rob('1', '2', { robber: VETERAN, target: { ...VETERAN, roles: ['777'] } }),
          ErrorCode.NOT_ELIGIBLE,
        );
        await expectCode(
          t.rob('1', '2', { robber: { ...VETERAN, roles: ['777'] }, target: VETERAN }),
          ErrorCode.NOT_ELIGIBLE,
        );
        await expectCode(rob('4', '2'), ErrorCode.NOT_ELIGIBLE); // 50 < minWallet
        await expectCode(rob('1', '3'), ErrorCode.NOT_ELIGIBLE); // empty wallet (and never active)
        await expectCode(rob('1', '1'), ErrorCode.INVALID_INPUT);
        expect(await snapshot(['1', '2', '4'])).toEqual(before);

        await rob('1', '2');
        await fund('4', 100n);
        await expectCode(rob('4', '2'), ErrorCode.NOT_ELIGIBLE); // robbed a moment ago
        clock.advance(15 * DAY);
        await expectCode(rob('4', '2'), ErrorCode.NOT_ELIGIBLE); // 2 has been inactive for 15 days
      });

      it('keeps a robber to the cooldown', async () => {
        await fund('1', 200n);
        await fund('2', 1_000n);
        await fund('3', 1_000n);
        await rob('1', '2');
        const error = await expectCode(rob('1', '3'), ErrorCode.COOLDOWN);
        expect((error as { retryAt?: Date }).retryAt).toEqual(new Date(clock.now().getTime() + 600_000));
        clock.advance(600_000);
        await expect(rob('1', '3')).resolves.toMatchObject({ outcome: { success: true } });
      });

      it('decides racing robbers of one wallet one after the other, each on what the other left', async () => {
        await fund('2', 1_000n);
        const robbers = ['r1', 'r2', 'r3', 'r4'];
        for (const r of robbers) await fund(r, 100n);
        const results = await Promise.all(robbers.map((r) => rob(r, '2', `race-${r}`)));
        const seen = results.map((r) => BigInt(r.proof.params.targetWallet)).sort((a, b) => (a > b ? -1 : 1));
        // Half of the wallet each time: 1000 → 500 → 250 → 125 → 63 left.
        expect(seen).toEqual([1_000n, 500n, 250n, 125n]);
        expect(await t.balance('2')).toBe(63n);
        const stolen = results.reduce((sum, r) => sum + BigInt(r.outcome.amount), 0n);
        expect(stolen).toBe(937n);
      });
      it('stays consistent when the target pays someone while being robbed', async () => {
        await fund('2', 1_000n);
        const robbers = ['r1', 'r2', 'r3'];
        for (const r of robbers) await fund(r, 100n);
        const [payment, ...robberies] = await Promise.allSettled([
          t.pay({ from: '2', to: '9', amount: 600n }),
          ...robbers.map((r) => rob(r, '2')),
        ]);
        const paid =
          payment?.status === 'fulfilled' ? payment.value.amount + payment.value.tax + payment.value.fee : 0n;
        let stolen = 0n;
        for (const r of robberies) {
          // Each robbery took exactly half of the wallet its proof says it saw.
          expect(r.status).toBe('fulfilled');
          if (r.status !== 'fulfilled') continue;
          expect(BigInt(r.value.outcome.amount)).toBe(BigInt(r.value.proof.params.targetWallet) / 2n);
          stolen += BigInt(r.value.outcome.amount);
        }
        const left = await t.balance('2');
        expect(left).toBeGreaterThanOrEqual(0n);
        expect(left).toBe(1_000n - paid - stolen);
      });
    });

    describe('role income', () => {
      const member = { roles: ['100', '200', '300'] };

      it('pays each held role once per day or week', async () => {
        const first = await t.collect('1', { member, key: 'c1' });
        expect(first.paid.map((p) => [p.roleId, p.amount, p.period])).toEqual([
          ['100', 30n, 'day'],
          ['200', 500n, 'week'],
        ]);
        expect(first.total).toBe(530n);
        // Monday 2 March in Berlin: the next day starts at 23:00 UTC.
        expect(first.nextAt).toEqual(new Date('2026-03-02T23:00:00Z'));
        expect(await t.collect('1', { member, key: 'c1' })).toMatchObject({ replayed: true, total: 530n });
        await expectCode(t.collect('1', { member, key: 'c2' }), ErrorCode.COOLDOWN);
        clock.advance(DAY);
        expect((await t.collect('1', { member })).total).toBe(30n);
        clock.advance(6 * DAY); // Monday 9 March: a new week
        expect((await t.collect('1', { member })).total).toBe(530n);
        expect(await t.balance('1')).toBe(1_090n);
        await expectCode(
          t.collect('1', { member: { roles: ['100'] }, key: 'c1' }),
          ErrorCode.IDEMPOTENCY_CONFLICT,
        );
      });

      it('pays once per period however many collects race', async () => {
        const results = await Promise.allSettled(
          Array.from({ length: 5 }, (_, i) => t.collect('1', { member, key: `race-${i}` })),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of results) if (r.status === 'rejected') expect(r.reason.code).toBe(ErrorCode.COOLDOWN);
        expect(await t.balance('1')).toBe(530n);
      });

      it('refuses members without a paying role, and when off', async () => {
        const before = await snapshot(['1']);
        await expectCode(t.collect('1', { member: { roles: ['300'] } }), ErrorCode.NOT_ELIGIBLE);
        await expectCode(t.collect('1'), ErrorCode.NOT_ELIGIBLE);
        expect(await snapshot(['1'])).toEqual(before);
        await t.configure(defineEconomy({}));
        await expectCode(t.collect('1', { member }), ErrorCode.NOT_FOUND);
      });

      it('stays under the daily emission budget', async () => {
        await configure({ policy: { dailyEmissionBudget: 100, rateLimit: { perMemberPerMinute: 600 } } });
        await expectCode(t.collect('1', { member }), ErrorCode.BUDGET_EXHAUSTED);
        expect((await t.collect('1', { member: { roles: ['100'] } })).total).toBe(30n);
      });
    });

    describe('gifts and buyback', () => {
      it('gifts items between members, both or neither', async () => {
        await fund('1', 1_000n);
        await t.buy('1', 'gem', { quantity: 3 });
        expect(await t.gift({ from: '1', to: '2', item: 'gem', quantity: 2, key: 'g1' })).toMatchObject({
          quantity: 2,
          replayed: false,
        });
        expect(await t.gift({ from: '1', to: '2', item: 'gem', quantity: 2, key: 'g1' })).toMatchObject({
          replayed: true,
        });
        expect(await t.inventory('1')).toEqual([{ item: 'gem', quantity: 1 }]);
        expect(await t.inventory('2')).toEqual([{ item: 'gem', quantity: 2 }]);
        const before = await snapshot(['1', '2']);
        await expectCode(t.gift({ from: '1', to: '2', item: 'gem', quantity: 2 }), ErrorCode.NOT_FOUND);
        await expectCode(t.gift({ from: '1', to: '1', item: 'gem' }), ErrorCode.INVALID_TRANSFER);
        await expectCode(t.gift({ from: '1', to: '2', item: 'nope' }), ErrorCode.NOT_FOUND);
        await expectCode(t.gift({ from: '1', to: '2', item: 'gem', quantity: 0 }), ErrorCode.INVALID_INPUT);
        await expectCode(
          t.gift({ from: '1', to: '3', item: 'gem', key: 'g1' }),
          ErrorCode.IDEMPOTENCY_CONFLICT,
        );
        expect(await snapshot(['1', '2'])).toEqual(before);
        await configure({ shop: { ...base.shop, gifts: false } });
        await expectCode(t.gift({ from: '1', to: '2', item: 'gem' }), ErrorCode.NOT_FOUND);
      });

      it('refuses to pass on items whose purchase granted a role', async () => {
        await fund('1', 2_000n);
        await t.buy('1', 'crown');
        await expectCode(t.gift({ from: '1', to: '2', item: 'crown' }), ErrorCode.INVALID_INPUT);
        await expectCode(t.sell('1', 'crown'), ErrorCode.INVALID_INPUT);
      });

      it('buys items back at the set share of their price, floored, from sink:shop', async () => {
        await fund('1', 1_000n);
        await t.buy('1', 'gem', { quantity: 2 });
        const receipt = await t.sell('1', 'gem', { quantity: 2, key: 's1' });
        expect(receipt).toMatchObject({ amount: 100n, quantity: 2, replayed: false }); // 50 (of 101) each
        expect(await t.sell('1', 'gem', { quantity: 2, key: 's1' })).toMatchObject({
          amount: 100n,
          replayed: true,
        });
        expect(await t.balance('1')).toBe(898n);
        expect(await t.inventory('1')).toEqual([]);
        expect((await t.stats()).sinks.shop?.last30Days).toBe(102n);
        await t.buy('1', 'pebble');
        await expectCode(t.sell('1', 'pebble'), ErrorCode.INVALID_INPUT); // worth 0 to the shop
        await expectCode(t.sell('1', 'gem'), ErrorCode.NOT_FOUND);
        await configure({ shop: { ...base.shop, sellBackBps: 0 } });
        await expectCode(t.sell('1', 'pebble'), ErrorCode.NOT_FOUND);
      });

      it('sells the last unit once when two sales race', async () => {
        await fund('1', 1_000n);
        await t.buy('1', 'gem');
        const results = await Promise.allSettled([t.sell('1', 'gem'), t.sell('1', 'gem')]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(await t.balance('1')).toBe(949n);
      });
    });

    it('keeps tenants apart: banks, robberies, role income periods and inventories', async () => {
      const other = economy.tenant(`${t.id}_other`);
      await other.configure(defineEconomy(base));
      await fund('1', 1_000n);
      await fund('2', 1_000n);
      await t.deposit('1', 600n);
      const robbed = await rob('1', '2', 'shared-key');
      await t.collect('1', { member: { roles: ['100'] }, key: 'collect-key' });
      await t.buy('1', 'gem');
      expect(await other.holdings('1')).toEqual({ wallet: 0n, bank: 0n, total: 0n });
      await expectCode(other.robbery(robbed.id), ErrorCode.NOT_FOUND);
      // The same member collects in the other guild too, and the same keys are that guild's own.
      expect((await other.collect('1', { member: { roles: ['100'] }, key: 'collect-key' })).replayed).toBe(
        false,
      );
      expect(await other.inventory('1')).toEqual([]);
      await expectCode(other.gift({ from: '1', to: '2', item: 'gem' }), ErrorCode.NOT_FOUND);
      expect((await other.leaderboard({ by: 'total' })).map((r) => [r.userId, r.balance])).toEqual([
        ['1', 30n],
      ]);
      expect(await other.ledger.verify()).toEqual({ ok: true, problems: [] });
    });

    it('builds a profile: wallet, bank, rank by total, streak and the most valuable items', async () => {
      await fund('1', 3_000n);
      await fund('2', 2_000n);
      await t.deposit('1', 2_500n);
      await t.claim('daily', '1');
      await t.buy('1', 'pebble', { quantity: 5 });
      await t.buy('1', 'gem');
      const profile = await t.profile('1');
      expect(profile).toMatchObject({
        userId: '1',
        wallet: 404n,
        bank: 2_500n,
        total: 2_904n,
        rank: 1,
        ranked: 2,
        items: 2,
        highlights: [
          { item: 'gem', name: 'Gem', quantity: 1 },
          { item: 'pebble', name: 'Pebble', quantity: 5 },
        ],
      });
      expect(profile.streak).toMatchObject({ name: 'daily', current: 1 });
      expect(await t.profile('9')).toMatchObject({ total: 0n, rank: null, items: 0, highlights: [] });
    });

    it('follows the profile section: hidden parts read as empty, highlights counted, levels when on', async () => {
      await fund('1', 3_000n);
      await fund('2', 2_000n);
      await t.claim('daily', '1');
      await t.buy('1', 'pebble', { quantity: 5 });
      await t.buy('1', 'gem');
      await configure({
        levels: { enabled: true, message: { coins: { min: 1, max: 1 }, xp: { min: 15, max: 15 } } },
        profile: { highlights: 1, show: { rank: false, streak: false } },
      });
      await t.levels.message({ userId: '1', messageId: '5001', channelId: '800' });
      const shown = await t.profile('1');
      expect(shown).toMatchObject({
        rank: null,
        ranked: 0,
        streak: null,
        items: 2,
        highlights: [{ item: 'gem', name: 'Gem', quantity: 1 }],
        level: { level: expect.any(Number), xp: 15, rank: 1 },
        shown: { bank: true, rank: false, level: true, streak: false, inventory: true },
      });
      await configure({ profile: { highlights: 0, show: { inventory: false, level: false } } });
      const bare = await t.profile('1');
      expect(bare).toMatchObject({ items: 0, highlights: [], level: null, rank: 1, ranked: 2 });
      expect(bare.streak).toMatchObject({ name: 'daily', current: 1 });
      // Levels off: no level, whatever `show.level` says.
      await configure({ profile: { highlights: 0 } });
      expect((await t.profile('1')).level).toBeNull();
      // The bank hidden: neither the bank nor a total that would give it away.
      await t.deposit('1', 400n, { key: 'profile-dep' });
      expect(await t.profile('1')).toMatchObject({ bank: 400n, total: (await t.profile('1')).wallet + 400n });
      await configure({ profile: { show: { bank: false } } });
      const hidden = await t.profile('1');
      expect(hidden).toMatchObject({ bank: 0n, total: hidden.wallet });
      expect(hidden.wallet).toBeGreaterThan(0n);
    });

    it('refuses another member’s profile to a viewer when viewOthers is off, and every profile when off', async () => {
      await fund('1', 500n);
      expect((await t.profile('1', { viewer: '2' })).wallet).toBe(500n);
      await configure({ profile: { viewOthers: false } });
      await expectCode(t.profile('1', { viewer: '2' }), ErrorCode.FORBIDDEN);
      expect((await t.profile('1', { viewer: '1' })).wallet).toBe(500n);
      // No viewer: the owner's own tools (the API, the control plane) see every profile.
      expect((await t.profile('1')).wallet).toBe(500n);
      await expectCode(t.profile('1', { viewer: 'user:2' }), ErrorCode.INVALID_ACCOUNT);
      await configure({ profile: { enabled: false } });
      await expectCode(t.profile('1', { viewer: '1' }), ErrorCode.NOT_FOUND);
      await expectCode(t.profile('1'), ErrorCode.NOT_FOUND);
    });
  });
}
