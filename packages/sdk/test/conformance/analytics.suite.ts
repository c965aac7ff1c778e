import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { distribution } from '../../src/analytics/holdings.js';
import {
  defineEconomy,
  type Economy,
  ErrorCode,
  presets,
  seededRandom,
  type Tenant,
} from '../../src/index.js';
import { DAY, HOUR, ManualClock } from '../support/clock.js';
import { expectCode } from '../support/expect.js';
import { type StoreTarget, storeOf, tableRows } from '../support/stores.js';

let counter = 0;

/** The analytics rollups, report calls and member profiles, run unchanged against every store. */
export function describeAnalyticsConformance(target: StoreTarget): void {
  describe(`analytics conformance (${target.name})`, () => {
    let economy: Economy;
    let t: Tenant;
    let other: Tenant;
    let clock: ManualClock;

    beforeEach(async () => {
      // 23:30 UTC on Sunday 31 May: the next hour is a new UTC day, week (Monday) and month.
      clock = new ManualClock('2026-05-31T23:30:00Z');
      economy = target.open({ clock, random: seededRandom(7) });
      await economy.migrate();
      counter += 1;
      t = economy.tenant(`an_${process.pid}_${counter}`);
      other = economy.tenant(`an_${process.pid}_${counter}_other`);
      const config = defineEconomy({
        ...presets.classic,
        timeZone: 'UTC',
        sinks: { ...presets.classic.sinks, transferTaxBps: 1000, transferFee: 0, minTransfer: 1 },
      });
      await t.configure(config);
      await other.configure(config);
    });
    afterEach(async () => {
      await economy.close();
    });

    /** A day of activity: faucets, a payment with tax, a purchase, games, an admin grant and revoke. */
    async function activity(tenant: Tenant): Promise<void> {
      await tenant.claim('daily', 'alice');
      await tenant.claim('work', 'bob');
      await tenant.grant('carol', 1_000n, { reason: 'event prize' });
      await tenant.pay({ from: 'carol', to: 'alice', amount: 200n });
      const item = Object.keys((await tenant.config()).shop.items)[0]!;
      await tenant.buy('carol', item);
      await tenant.play('coinflip', 'carol', { bet: 50n, side: 'heads' });
      await tenant.play('dice', 'carol', { bet: 40n, target: 50, direction: 'over' });
      await tenant.revoke('carol', 10n, { reason: 'spam' });
    }

    it('keeps rollups with the money that equal a rebuild from the ledger', async () => {
      await activity(t);
      clock.advance(DAY);
      await activity(t);
      const check = await t.analytics.rebuild();
      expect(check).toMatchObject({ ok: true, differences: [], repaired: false });
      expect(check.transfers).toBeGreaterThan(10);
      expect(check.rows).toBeGreaterThan(10);
    });

    it('tells faucets from sinks by source, and their net equals the change of the supply', async () => {
      await activity(t);
      const flows = await t.analytics.flowsBySource();
      const minted = Object.fromEntries(flows.minted.map((m) => [m.source, m.amount]));
      const burned = Object.fromEntries(flows.burned.map((b) => [b.source, b.amount]));
      expect(Object.keys(minted)).toEqual(
        expect.arrayContaining(['faucet.daily', 'faucet.work', 'admin.grant']),
      );
      expect(minted['admin.grant']).toBe(1_000n);
      expect(burned['sink.tax']).toBe(20n);
      expect(burned['admin.revoke']).toBe(10n);
      expect(burned['game.coinflip.bet']).toBe(50n);
      expect(burned['game.dice.bet']).toBe(40n);
      expect(flows.minted.reduce((a, m) => a + m.shareBps, 0n)).toBeLessThanOrEqual(10_000n);

      const issuance = await t.analytics.netIssuance();
      const net = issuance.reduce((a, d) => a + d.net, 0n);
      const supply = (await t.analytics.supply()).at(-1)!.supply;
      const balances = (await Promise.all(['alice', 'bob', 'carol'].map((u) => t.balance(u)))).reduce(
        (a, b) => a + b,
        0n,
      );
      expect(supply).toBe(balances);
      expect(net).toBe(balances);
    });

    it('walks the supply back day by day in the tenant time zone', async () => {
      await t.grant('alice', 100n, { reason: 'day one' });
      clock.advance(DAY);
      await t.grant('alice', 50n, { reason: 'day two' });
      clock.advance(DAY);
      await t.revoke('alice', 30n, { reason: 'day three' });
      const series = await t.analytics.supply({ from: new Date('2026-05-30T00:00:00Z') });
      expect(series).toEqual([
        { day: '2026-05-30', supply: 0n },
        { day: '2026-05-31', supply: 100n },
        { day: '2026-06-01', supply: 150n },
        { day: '2026-06-02', supply: 120n },
      ]);
      // In Tokyo (UTC+9) the first grant (23:30 UTC) is already on the next local day.
      const tokyo = await t.analytics.supply({
        from: new Date('2026-05-31T00:00:00Z'),
        timeZone: 'Asia/Tokyo',
      });
      expect(tokyo.map((d) => d.day)).toEqual(['2026-05-31', '2026-06-01', '2026-06-02', '2026-06-03']);
      expect(tokyo.map((d) => d.supply)).toEqual([0n, 100n, 150n, 120n]);
    });

    it('counts members active per UTC day, week and month once, and new members on their first day', async () => {
      await t.grant('alice', 10n, { reason: 'a' });
      await t.grant('alice', 10n, { reason: 'again the same day' });
      clock.advance(HOUR); // Sunday 23:30 → Monday 00:30, June 1st: a new day, week and month
      await t.grant('alice', 10n, { reason: 'b' });
      await t.grant('bob', 10n, { reason: 'b' });
      await t.pay({ from: 'bob', to: 'alice', amount: 5n });
      clock.advance(DAY);
      await t.grant('bob', 10n, { reason: 'c' });
      const active = await t.analytics.activeMembers({ from: new Date('2026-05-31T00:00:00Z') });
      expect(active.daily).toEqual([
        { start: '2026-05-31', members: 1 },
        { start: '2026-06-01', members: 2 },
        { start: '2026-06-02', members: 1 },
      ]);
      expect(active.newMembers).toEqual([
        { start: '2026-05-31', members: 1 },
        { start: '2026-06-01', members: 1 },
        { start: '2026-06-02', members: 0 },
      ]);
      // Only the week starting inside the range (Monday 1 June); May overlaps the range, so it is listed.
      expect(active.weekly).toEqual([{ start: '2026-06-01', members: 2 }]);
      expect(active.monthly).toEqual([
        { start: '2026-05-01', members: 1 },
        { start: '2026-06-01', members: 2 },
      ]);
      expect((await t.analytics.rebuild()).ok).toBe(true);
    });

    it('counts a member once with their bank account, whose moves alone are not activity', async () => {
      await t.grant('1', 100n, { reason: 'x' });
      clock.advance(DAY);
      await t.ledger.transfer({
        from: 'faucet:bank-interest',
        to: 'user:1.bank',
        amount: 5n,
        code: 'faucet.bank-interest',
      });
      const active = await t.analytics.activeMembers({ from: new Date('2026-05-31T00:00:00Z') });
      expect(active.daily.map((d) => d.members)).toEqual([1, 0]);
      expect(active.newMembers.map((d) => d.members)).toEqual([1, 0]);
      const h = await t.analytics.headline();
      expect([h.members, h.supply]).toEqual([1, 105n]);
      expect((await t.members()).members.map((m) => m.userId)).toEqual(['1']);
      expect((await t.analytics.rebuild()).ok).toBe(true);
    });

    it('reports rounds, wagers and payouts per game against the configured RTP, and shop sales per item', async () => {
      await t.grant('carol', 10_000n, { reason: 'bankroll' });
      for (let i = 0; i < 5; i++) await t.play('coinflip', 'carol', { bet: 100n, side: 'heads' });
      const item = Object.keys((await t.config()).shop.items)[0]!;
      await t.buy('carol', item, { quantity: 2 });
      const games = await t.analytics.games();
      const coinflip = games.find((g) => g.game === 'coinflip')!;
      expect(coinflip).toMatchObject({ rounds: 5, wagered: 500n });
      expect(coinflip.configuredRtp).toBeGreaterThan(0.9);
      expect(coinflip.observedRtp).toBe(Number(coinflip.paidOut) / 500);
      const shop = await t.analytics.shop();
      expect(shop).toEqual([
        { item, units: 2, coins: 2n * BigInt((await t.config()).shop.items[item]!.price) },
      ]);
    });

    it('computes the headline from balances: supply, Gini, top-10 % share, 30-day inflation', async () => {
      await t.grant('alice', 300n, { reason: 'x' });
      await t.grant('bob', 100n, { reason: 'x' });
      clock.advance(31 * DAY);
      await t.grant('carol', 400n, { reason: 'x' });
      const h = await t.analytics.headline();
      expect(h.supply).toBe(800n);
      expect(h.members).toBe(3);
      expect(h.supply30dAgo).toBe(400n);
      expect(h.inflation30dBps).toBe(10_000n);
      // Sorted 100, 300, 400: G = 2·(100 + 600 + 1200) / (3·800) − 4/3 = 0.25
      expect(h.gini).toBe(0.25);
      expect(h.top10ShareBps).toBe(5_000n);
      expect(h.dailyActive).toBe(1);
    });

    it('keeps the holdings histogram with each commit: the distribution of every balance (banks with wallets)', async () => {
      const random = seededRandom(20_261_205);
      console.log('distribution seed 20261205');
      for (let i = 1; i <= 23; i++) {
        await t.grant(String(i), BigInt(1 + random.int(5_000)), { reason: 'seed' });
        if (i % 4 === 0) {
          await t.ledger.transfer({
            from: 'faucet:bank-interest',
            to: `user:${i}.bank`,
            amount: BigInt(1 + random.int(900)),
            code: 'faucet.bank-interest',
          });
        }
      }
      // A member whose first move is into their bank, and one moving money between their own accounts.
      await t.ledger.transfer({
        from: 'faucet:bank-interest',
        to: 'user:24.bank',
        amount: 7_000n,
        code: 'x',
      });
      await t.ledger.transfer({ from: 'user:4', to: 'user:4.bank', amount: 1n, code: 'bank.deposit' });
      const held = new Map<string, bigint>();
      for (let i = 1; i <= 24; i++) {
        const wallet = await t.balance(String(i));
        const bank = await t.ledger.balance(`user:${i}.bank`);
        held.set(String(i), wallet + bank);
      }
      const h = await t.analytics.headline();
      const expected = distribution([...held.values()]);
      expect({ ...h, asOf: undefined }).toMatchObject({ ...expected });
      expect(h.members).toBe(24);
      expect((await t.analytics.rebuild()).ok).toBe(true);
    });

    it('counts the streak lengths members reach, milestones included, from the claims; a rebuild agrees', async () => {
      for (let day = 1; day <= 8; day++) {
        await t.claim('daily', 'alice'); // day 7 pays a milestone bonus: a second transfer, not a second count
        if (day >= 6) await t.claim('daily', 'bob');
        clock.advance(DAY);
      }
      await t.claim('daily', 'carol');
      await expectCode(t.claim('daily', 'carol'), ErrorCode.COOLDOWN); // no claim, no count
      const [daily] = await t.analytics.streaks({ from: new Date('2026-05-01T00:00:00Z') });
      expect(daily).toEqual({
        streak: 'daily',
        lengths: [
          { length: 1, members: 3 },
          { length: 2, members: 2 },
          { length: 3, members: 2 },
          ...[4, 5, 6, 7, 8].map((length) => ({ length, members: 1 })),
        ],
      });
      // A range of the last two days only: alice's 8, bob's 3 and carol's 1.
      const recent = await t.analytics.streaks({ from: new Date(clock.now().getTime() - DAY) });
      expect(recent[0]!.lengths).toEqual([
        { length: 1, members: 1 },
        { length: 3, members: 1 },
        { length: 8, members: 1 },
      ]);
      expect((await t.analytics.rebuild()).ok).toBe(true);
    });

    it('sums hours into local days in the database across a 25-hour day (New York, clocks back)', async () => {
      // 1 November 2026: clocks go back at 06:00 UTC, so the local day runs 04:00 UTC to 05:00 UTC next day.
      clock.set('2026-11-01T03:30:00Z'); // 23:30 on 31 October in New York
      await t.grant('alice', 1n, { reason: 'x' });
      clock.set('2026-11-02T04:30:00Z'); // 23:30 on 1 November (EST): the day's 25th hour
      await t.grant('alice', 10n, { reason: 'x' });
      clock.set('2026-11-02T05:30:00Z'); // 00:30 on 2 November
      await t.grant('alice', 100n, { reason: 'x' });
      const range = { from: new Date('2026-10-31T12:00:00Z'), timeZone: 'America/New_York' };
      const flows = await t.analytics.flowsBySource(range);
      expect(flows.days.map((d) => [d.day, d.minted['admin.grant'] ?? 0n])).toEqual([
        ['2026-10-31', 1n],
        ['2026-11-01', 10n],
        ['2026-11-02', 100n],
      ]);
      const supply = await t.analytics.supply({ ...range, to: new Date('2026-11-01T12:00:00Z') });
      expect(supply.map((d) => d.supply)).toEqual([1n, 11n]);
      expect((await t.analytics.games(range)).every((g) => g.rounds === 0)).toBe(true);
    });

    it('keeps tenants apart: another tenant sees none of these figures', async () => {
      await activity(t);
      const otherFlows = await other.analytics.flowsBySource();
      expect(otherFlows.minted).toEqual([]);
      expect(otherFlows.burned).toEqual([]);
      expect((await other.analytics.headline()).supply).toBe(0n);
      expect(await other.analytics.games()).toSatisfy((g: Array<{ rounds: number }>) =>
        g.every((x) => x.rounds === 0),
      );
      expect((await other.members()).members).toEqual([]);
      // Breaking one tenant's rollups leaves the other's intact, and the rebuild repairs them.
      await activity(other);
      await storeOf(economy).replaceRollups(t.id, []);
      const broken = await t.analytics.rebuild();
      expect(broken.ok).toBe(false);
      expect(broken.differences.length).toBeGreaterThan(0);
      expect((await other.analytics.rebuild()).ok).toBe(true);
      expect((await t.analytics.rebuild({ repair: true })).repaired).toBe(true);
      expect((await t.analytics.rebuild()).ok).toBe(true);
    });

    it('records names and avatars only when they change, and lists members with search and paging', async () => {
      for (const [i, user] of ['100', '200', '300', '400'].entries()) {
        await t.grant(user, BigInt(10 * (i + 1)), { reason: 'x' });
      }
      expect(await t.recordMember('100', { name: 'Alice 100%', avatar: 'a1' })).toBe(true);
      expect(await t.recordMember('100', { name: 'Alice 100%', avatar: 'a1' })).toBe(false);
      expect(await t.recordMember('100', { name: 'Alice 100%', avatar: 'a2' })).toBe(true);
      expect(await t.recordMember('200', { name: 'Bob' })).toBe(true);
      expect(await t.recordMember('300', { name: 'alicia' })).toBe(true);

      const first = await t.members({ limit: 2 });
      expect(first.members.map((m) => m.userId)).toEqual(['100', '200']);
      expect(first.members[0]).toEqual({ userId: '100', balance: 10n, name: 'Alice 100%', avatar: 'a2' });
      const second = await t.members({ limit: 2, cursor: first.next! });
      expect(second.members.map((m) => [m.userId, m.name])).toEqual([
        ['300', 'alicia'],
        ['400', null],
      ]);
      expect(second.next).toBeUndefined();
      expect((await t.members({ search: 'ALI' })).members.map((m) => m.userId)).toEqual(['100', '300']);
      // LIKE's wildcards are taken literally.
      expect((await t.members({ search: '0%' })).members.map((m) => m.userId)).toEqual(['100']);
      expect((await t.members({ search: '_' })).members).toEqual([]);
      expect((await t.members({ search: '40' })).members.map((m) => m.userId)).toEqual(['400']);
      expect((await other.members({ search: 'ali' })).members).toEqual([]);
    });

    it('records profiles sent at once (a burst of new members) each as if alone, tenants apart', async () => {
      const burst = await Promise.all([
        ...Array.from({ length: 40 }, (_, i) => t.recordMember(String(500 + i), { name: `Member ${i}` })),
        other.recordMember('500', { name: 'Someone else' }),
        t.recordMember('600', { name: 'Twice' }),
        t.recordMember('600', { name: 'Twice' }),
      ]);
      expect(burst.slice(0, 41)).toEqual(Array(41).fill(true));
      // The same profile twice at once: written once, whichever call writes it.
      expect(burst.slice(41).sort()).toEqual([false, true]);
      // Each was stored as given, in its own tenant: the same again changes nothing.
      const again = await Promise.all([
        ...Array.from({ length: 40 }, (_, i) => t.recordMember(String(500 + i), { name: `Member ${i}` })),
        other.recordMember('500', { name: 'Someone else' }),
      ]);
      expect(again).toEqual(Array(41).fill(false));
      expect(await t.recordMember('500', { name: 'Someone else' })).toBe(true);

      // Names that array and JSON encodings must carry as they are, sent together.
      const odd = ['a "quoted", {braced} name', 'back\\slash', 'NULL', '🎲 dice', "it's"];
      await t.grant('700', 1n, { reason: 'x' });
      const written = await Promise.all(
        odd.map((name, i) => t.recordMember(String(700 + i), { name, avatar: i === 0 ? null : `av${i}` })),
      );
      expect(written).toEqual(odd.map(() => true));
      const stored = await t.members({ search: 'quoted' });
      expect(stored.members).toEqual([{ userId: '700', balance: 1n, name: odd[0], avatar: null }]);
      const resent = await Promise.all(
        odd.map((name, i) => t.recordMember(String(700 + i), { name, avatar: i === 0 ? null : `av${i}` })),
      );
      expect(resent).toEqual(odd.map(() => false));
    });

    for (const zone of ['Asia/Kolkata', 'Asia/Kathmandu']) {
      it(`sums and counts activity per local day of ${zone} exactly as a recomputation from the ledger (seeded property)`, async () => {
        const seed = 1_000 + counter;
        console.log(`local days in ${zone}: seed ${seed}`);
        const rand = seededRandom(seed);
        await t.configure({ ...(await t.config()), timeZone: zone });
        const from = clock.now();
        const users = ['11', '12', '13', '14'];
        // ~4 days of moves at random minutes, many of them near local midnight's cut hour.
        for (let i = 0; i < 60; i++) {
          clock.advance((1 + rand.int(150)) * 60_000 + rand.int(60_000));
          const user = users[rand.int(users.length)]!;
          const step = rand.int(3);
          if (step === 0) await t.grant(user, BigInt(1 + rand.int(500)), { reason: 'prop' });
          else if (step === 1 && (await t.balance(user)) > 0n) await t.revoke(user, 1n, { reason: 'prop' });
          else if ((await t.balance(user)) > 10n)
            await t.pay({ from: user, to: users[(users.indexOf(user) + 1) % users.length]!, amount: 10n });
        }
        const range = { from, to: clock.now() };
        const [issuance, velocity] = await Promise.all([
          t.analytics.netIssuance(range),
          t.analytics.velocity(range),
        ]);
        // The ledger's own answer: every transfer on the local day its instant falls on in the zone.
        const day = new Intl.DateTimeFormat('en-CA', { timeZone: zone, dateStyle: 'short' });
        const expected = new Map<string, { minted: bigint; burned: bigint; volume: bigint }>();
        const memberDays = new Map<string, Set<string>>();
        for (const transfer of await storeOf(economy).listTransfers(t.id, { limit: 1_000 })) {
          const label = day.format(transfer.createdAt);
          for (const account of [transfer.from, transfer.to]) {
            if (!account.startsWith('user:') || account.endsWith('.bank')) continue;
            memberDays.set(account, (memberDays.get(account) ?? new Set()).add(label));
          }
          const sums = expected.get(label) ?? { minted: 0n, burned: 0n, volume: 0n };
          const fromUser = transfer.from.startsWith('user:');
          const toUser = transfer.to.startsWith('user:');
          if (fromUser || toUser) sums.volume += transfer.amount;
          if (toUser && !fromUser) sums.minted += transfer.amount;
          if (fromUser && !toUser) sums.burned += transfer.amount;
          expected.set(label, sums);
        }
        expect(issuance.length).toBeGreaterThanOrEqual(4);
        for (const [i, d] of issuance.entries()) {
          const sums = expected.get(d.day) ?? { minted: 0n, burned: 0n, volume: 0n };
          expect({
            day: d.day,
            minted: d.minted,
            burned: d.burned,
            volume: velocity.days[i]!.volume,
          }).toEqual({
            day: d.day,
            ...sums,
          });
        }
        expect(issuance.map((d) => d.day)).toEqual([...expected.keys()].sort());
        // Activity counted by the write path in the zone's local days: each member once per day it moved
        // on, and new on its first, as the ledger says.
        const active = await t.analytics.activeMembers(range);
        const perDay = (pick: (days: string[]) => string[]) =>
          issuance.map((d) => ({
            start: d.day,
            members: [...memberDays.values()].filter((days) => pick([...days].sort()).includes(d.day)).length,
          }));
        expect(active.daily).toEqual(perDay((days) => days));
        expect(active.newMembers).toEqual(perDay((days) => days.slice(0, 1)));
        expect(active.daily.some((d) => d.members > 1)).toBe(true);
        expect((await t.analytics.headline()).dailyActive).toBe(active.daily.at(-1)!.members);
        expect((await t.analytics.rebuild()).ok).toBe(true);
      });
    }

    it('shows a public leaderboard only when the config opts in, with names, avatars and pages', async () => {
      for (const [i, user] of ['500', '600', '700', '800', '900'].entries()) {
        await t.grant(user, BigInt(100 * (i + 1)), { reason: 'x' });
      }
      await t.deposit('500', 100n);
      await t.recordMember('900', { name: 'Nine', avatar: 'https://cdn.discordapp.com/avatars/900/a.png' });
      await t.recordMember('800', { name: 'Eight' });
      await other.grant('999', 10_000n, { reason: 'x' });
      // Off by default: the same NOT_FOUND as a tenant that does not exist.
      await expectCode(t.analytics.publicLeaderboard(), ErrorCode.NOT_FOUND);
      await expectCode(economy.tenant('nobody_here').analytics.publicLeaderboard(), ErrorCode.NOT_FOUND);

      await t.configure({ ...(await t.config()), publicLeaderboard: true });
      const first = await t.analytics.publicLeaderboard({ pageSize: 2 });
      expect(first).toMatchObject({ by: 'wallet', page: 1, pageSize: 2, ranked: 4, pages: 2, bank: true });
      expect(first.rows).toEqual([
        {
          place: 1,
          userId: '900',
          name: 'Nine',
          avatar: 'https://cdn.discordapp.com/avatars/900/a.png',
          balance: 500n,
          wallet: 500n,
          bank: 0n,
        },
        { place: 2, userId: '800', name: 'Eight', avatar: null, balance: 400n, wallet: 400n, bank: 0n },
      ]);
      const second = await t.analytics.publicLeaderboard({ pageSize: 2, page: 2 });
      expect(second.rows.map((r) => [r.place, r.userId, r.name])).toEqual([
        [3, '700', null],
        [4, '600', null],
      ]);
      // '500' moved everything to the bank: on the bank and total boards, not on the wallet one.
      const banks = await t.analytics.publicLeaderboard({ by: 'bank' });
      expect(banks.rows.map((r) => [r.userId, r.balance])).toEqual([['500', 100n]]);
      const totals = await t.analytics.publicLeaderboard({ by: 'total' });
      expect(totals.ranked).toBe(5);
      expect(totals.rows.every((r) => r.userId !== '999')).toBe(true);
      // The other tenant never opted in, whatever this one did.
      await expectCode(other.analytics.publicLeaderboard(), ErrorCode.NOT_FOUND);

      const before = await tableRows(economy, t.id);
      for (const bad of [{ page: 0 }, { page: 1.5 }, { page: 401 }, { pageSize: 101 }, { by: 'x' }]) {
        await expectCode(t.analytics.publicLeaderboard(bad as never), ErrorCode.INVALID_INPUT);
      }
      expect(await tableRows(economy, t.id)).toEqual(before);
    });

    it('refuses a bad profile or query with INVALID_INPUT and changes nothing', async () => {
      const before = await tableRows(economy, t.id);
      for (const [user, profile] of [
        ['not a user', { name: 'x' }],
        ['1', { name: '' }],
        ['1', { name: 'x'.repeat(101) }],
        ['1', { name: 'bad\u0000' }],
        ['1', { name: 'x', avatar: 42 }],
        ['1', null],
      ] as const) {
        const code = user === 'not a user' ? ErrorCode.INVALID_ACCOUNT : ErrorCode.INVALID_INPUT;
        await expectCode(t.recordMember(user, profile as never), code);
      }
      await expectCode(t.members({ limit: 0 }), ErrorCode.INVALID_INPUT);
      await expectCode(t.members({ cursor: 'a b' }), ErrorCode.INVALID_ACCOUNT);
      await expectCode(t.analytics.supply({ from: new Date('x') }), ErrorCode.INVALID_INPUT);
      await expectCode(
        t.analytics.supply({ from: new Date('2026-03-02'), to: new Date('2026-03-01') }),
        ErrorCode.INVALID_INPUT,
      );
      await expectCode(t.analytics.supply({ timeZone: 'Mars/Olympus' }), ErrorCode.INVALID_INPUT);
      expect(await tableRows(economy, t.id)).toEqual(before);
    });
  });
}
