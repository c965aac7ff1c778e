import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashServerSeed } from '../../src/games/fairness.js';
import {
  defineEconomy,
  type Economy,
  type EconomyConfigInput,
  ErrorCode,
  levelOf,
  seededRandom,
  type Tenant,
  verifyLotteryDraw,
} from '../../src/index.js';
import { DAY, HOUR, ManualClock } from '../support/clock.js';
import { expectCode } from '../support/expect.js';
import { type StoreTarget, tableRows } from '../support/stores.js';

const base: EconomyConfigInput = {
  policy: { rateLimit: { perMemberPerMinute: 600 } },
  levels: {
    enabled: true,
    message: { coins: { min: 5, max: 15 }, xp: { min: 15, max: 25 }, windowSeconds: 60 },
    voice: { coinsPerMinute: 2, xpPerMinute: 10, maxMinutesPerPeriod: 120 },
    dailyCoinCap: 100,
    ignoredChannels: ['900'],
    ignoredRoles: ['901'],
    roleRewards: [
      { level: 1, roleId: '501' },
      { level: 3, roleId: '503' },
    ],
  },
  lottery: { enabled: true, ticketPrice: 100, maxTicketsPerMember: 5, houseCutBps: 1_000, drawHour: 20 },
};

const SEED = 20_261_205;
let counter = 0;
let messageIds = 1_000;
const nextMessage = () => String(++messageIds);

/** Activity income, levels and the lottery (issue 14 §1, §6), run unchanged against every store. */
export function describeActivityConformance(target: StoreTarget): void {
  describe(`levels and lottery (${target.name})`, () => {
    let economy: Economy;
    let t: Tenant;
    let clock: ManualClock;
    const configure = (patch: EconomyConfigInput = {}) => t.configure(defineEconomy({ ...base, ...patch }));
    const message = (userId: string, o: { channelId?: string; roles?: string[]; messageId?: string } = {}) =>
      t.levels.message({
        userId,
        messageId: o.messageId ?? nextMessage(),
        channelId: o.channelId ?? '800',
        ...(o.roles && { roles: o.roles }),
      });

    beforeEach(async () => {
      clock = new ManualClock('2026-03-02T10:00:00Z');
      console.info(`activity suite: random seed ${SEED}`);
      economy = target.open({ clock, random: seededRandom(SEED) });
      t = economy.tenant(`act_${process.pid}_${++counter}`);
      await configure();
    });
    afterEach(async () => {
      expect(await t.ledger.verify()).toEqual({ ok: true, problems: [] });
      await economy.close();
    });

    describe('messages', () => {
      it('pays coins and XP once per window, answering the rest without a write', async () => {
        const first = await message('1');
        expect(first).toMatchObject({ rewarded: true, replayed: false });
        expect(first.coins).toBeGreaterThanOrEqual(5n);
        expect(first.coins).toBeLessThanOrEqual(15n);
        expect(first.xp).toBeGreaterThanOrEqual(15);
        expect(first.transfers[0]).toMatchObject({
          from: 'faucet:activity',
          to: 'user:1',
          code: 'faucet.activity',
        });
        expect(await t.balance('1')).toBe(first.coins);
        const rows = await tableRows(economy, t.id);
        clock.advance(59_000);
        expect(t.levels.quiet('1')).toBe(true);
        expect(t.levels.quiet('2')).toBe(false);
        expect(await message('1')).toMatchObject({ rewarded: false, reason: 'window' });
        expect(await tableRows(economy, t.id)).toEqual(rows);
        clock.advance(1_000);
        expect(t.levels.quiet('1')).toBe(false);
        const second = await message('1');
        expect(second).toMatchObject({ rewarded: true, totalXp: first.xp + second.xp });
        expect(await t.balance('1')).toBe(first.coins + second.coins);
      });

      it('is idempotent on the message id, even after the window', async () => {
        const first = await message('1', { messageId: '42' });
        clock.advance(2 * 60_000);
        const again = await message('1', { messageId: '42' });
        expect(again).toMatchObject({ rewarded: true, replayed: true, coins: first.coins, xp: first.xp });
        expect(await t.balance('1')).toBe(first.coins);
        await expectCode(message('2', { messageId: '42' }), ErrorCode.IDEMPOTENCY_CONFLICT);
      });

      it('rewards one of two messages racing in two processes (the store guards the window)', async () => {
        const other = target.name === 'libsql-memory' ? economy : target.open({ clock });
        try {
          // A second handle has its own memory: only the store can refuse the second reward.
          const t2 = target.name === 'libsql-memory' ? economy.tenant(t.id) : other.tenant(t.id);
          const results = await Promise.all([
            message('1'),
            t2.levels.message({ userId: '1', messageId: nextMessage(), channelId: '800' }),
          ]);
          expect(results.filter((r) => r.rewarded)).toHaveLength(1);
          expect(await t.balance('1')).toBe(results[0]!.coins + results[1]!.coins);
        } finally {
          if (other !== economy) await other.close();
        }
      });

      it('ignores channels, roles and a disabled section, writing nothing', async () => {
        const rows = await tableRows(economy, t.id);
        expect(await message('1', { channelId: '900' })).toMatchObject({
          rewarded: false,
          reason: 'ignored',
        });
        expect(await message('1', { roles: ['901'] })).toMatchObject({ rewarded: false, reason: 'ignored' });
        await expectCode(message('1', { messageId: 'not-a-snowflake' }), ErrorCode.INVALID_INPUT);
        await expectCode(message('1.bank'), ErrorCode.INVALID_INPUT);
        expect(await tableRows(economy, t.id)).toEqual(rows);
        await configure({ levels: { enabled: false } });
        expect(await message('1')).toMatchObject({ rewarded: false, reason: 'off' });
      });

      it('keeps coins within the daily cap and the emission budget, XP still counting', async () => {
        await configure({ levels: { ...base.levels, dailyCoinCap: 20 } });
        let coins = 0n;
        let xp = 0;
        for (let i = 0; i < 6; i++) {
          const r = await message('1');
          coins += r.coins;
          xp += r.xp;
          clock.advance(61_000);
        }
        expect(coins).toBe(20n);
        expect(await t.balance('1')).toBe(20n);
        expect((await t.levels.rank('1')).xp).toBe(xp);
        await configure({
          levels: { ...base.levels, dailyCoinCap: null },
          policy: { dailyEmissionBudget: 25 },
        });
        let paid = 0n;
        for (let i = 0; i < 6; i++) {
          paid += (await message('2')).coins;
          clock.advance(61_000);
        }
        // The budget counts every faucet's coins today: member 1's 20 (before the budget) are not in it.
        expect(paid).toBe(25n);
      });

      it('follows a seeded message stream: one reward per window, XP and levels as the curve says', async () => {
        const rand = seededRandom(SEED);
        const members = ['11', '12', '13', '14'];
        const lastRewarded = new Map<string, number>();
        const xp = new Map<string, number>();
        const coins = new Map<string, bigint>();
        const granted = new Map<string, string[]>();
        for (let i = 0; i < 120; i++) {
          clock.advance(1_000 + rand.int(20_000));
          const userId = members[rand.int(members.length)]!;
          const now = clock.now().getTime();
          const result = await message(userId);
          const last = lastRewarded.get(userId);
          const expected = last === undefined || now - last >= 60_000;
          expect(result.rewarded, `message ${i} by ${userId}`).toBe(expected);
          if (!result.rewarded) continue;
          lastRewarded.set(userId, now);
          xp.set(userId, (xp.get(userId) ?? 0) + result.xp);
          coins.set(userId, (coins.get(userId) ?? 0n) + result.coins);
          granted.set(userId, [...(granted.get(userId) ?? []), ...result.roleRewards]);
          expect(result.totalXp).toBe(xp.get(userId));
          expect(result.level).toBe(levelOf({ a: 5, b: 50, c: 100 }, result.totalXp).level);
        }
        for (const userId of members) {
          const rank = await t.levels.rank(userId);
          expect(rank.xp).toBe(xp.get(userId) ?? 0);
          expect(await t.balance(userId)).toBe(coins.get(userId) ?? 0n);
          expect(coins.get(userId) ?? 0n).toBeLessThanOrEqual(100n);
          // Each role reward once, in level order, exactly for the levels reached.
          const expectedRoles = [...(rank.level >= 1 ? ['501'] : []), ...(rank.level >= 3 ? ['503'] : [])];
          expect(granted.get(userId) ?? []).toEqual(expectedRoles);
        }
        const top = await t.levels.top({ limit: 4 });
        expect(top.map((r) => r.xp)).toEqual([...top.map((r) => r.xp)].sort((a, b) => b - a));
        expect(top[0]!.rank).toBe(1);
      });
    });

    describe('voice', () => {
      it('pays minutes once per period, clipped to the period maximum', async () => {
        const r = await t.levels.voice({ userId: '1', periodId: 'vc-1-a', minutes: 30 });
        expect(r).toMatchObject({ rewarded: true, coins: 60n, xp: 300, level: 2, previousLevel: 0 });
        expect(r.roleRewards).toEqual(['501']);
        const again = await t.levels.voice({ userId: '1', periodId: 'vc-1-a', minutes: 30 });
        expect(again).toMatchObject({ replayed: true, coins: 60n });
        await expectCode(
          t.levels.voice({ userId: '1', periodId: 'vc-1-a', minutes: 31 }),
          ErrorCode.IDEMPOTENCY_CONFLICT,
        );
        const long = await t.levels.voice({ userId: '2', periodId: 'vc-2-a', minutes: 600 });
        expect(long.xp).toBe(1_200);
        // 240 coins for 120 minutes, clipped by the daily cap of 100.
        expect(long.coins).toBe(100n);
        await expectCode(
          t.levels.voice({ userId: '2', periodId: 'vc-2-b', minutes: 0 }),
          ErrorCode.INVALID_INPUT,
        );
        expect((await t.levels.top()).map((row) => row.userId)).toEqual(['2', '1']);
        expect(await t.levels.rank('3')).toMatchObject({ xp: 0, level: 0, rank: null });
      });
    });

    describe('voice sessions', () => {
      const presence = {
        channelId: '700',
        deafened: false,
        bot: false,
        roles: ['42'],
        periodStart: 1_000,
        earnedMs: 0,
        earningSince: 1_000,
      };

      it('saves sessions in one commit, lists those in voice or with periods due, and refuses a bad one whole', async () => {
        await t.levels.saveVoiceSessions([
          { userId: '1', session: { presence, savedAt: 5_000, due: [] } },
          {
            userId: '2',
            session: { presence: null, savedAt: 5_000, due: [{ periodId: '2-0', minutes: 3, roles: [] }] },
          },
          { userId: '3', session: { presence: null, savedAt: 5_000, due: [] } },
        ]);
        const saved = await t.levels.voiceSessions();
        expect(saved.sort((a, b) => (a.userId < b.userId ? -1 : 1))).toEqual([
          { userId: '1', session: { presence, savedAt: 5_000, due: [] } },
          {
            userId: '2',
            session: { presence: null, savedAt: 5_000, due: [{ periodId: '2-0', minutes: 3, roles: [] }] },
          },
        ]);
        // Last write wins: member 1 left voice.
        await t.levels.saveVoiceSessions([
          { userId: '1', session: { presence: null, savedAt: 9_000, due: [] } },
        ]);
        expect((await t.levels.voiceSessions()).map((s) => s.userId)).toEqual(['2']);
        const before = await tableRows(economy, t.id);
        await expectCode(
          t.levels.saveVoiceSessions([
            { userId: '4', session: { presence, savedAt: 1, due: [] } },
            { userId: '5', session: { presence: { ...presence, earnedMs: -1 }, savedAt: 1, due: [] } },
          ]),
          ErrorCode.INVALID_INPUT,
        );
        await expectCode(
          t.levels.saveVoiceSessions([{ userId: 'a b', session: { presence, savedAt: 1, due: [] } }]),
          ErrorCode.INVALID_ACCOUNT,
        );
        expect(await tableRows(economy, t.id)).toEqual(before);
      });

      it('keeps each tenant’s sessions to itself', async () => {
        await t.levels.saveVoiceSessions([{ userId: '1', session: { presence, savedAt: 1, due: [] } }]);
        expect(await economy.tenant(`other-${++counter}`).levels.voiceSessions()).toEqual([]);
      });
    });

    describe('lottery', () => {
      const fund = (userId: string, amount: bigint) => t.grant(userId, amount, { reason: 'test funds' });

      it('commits the seed before sales, sells tickets within the limits and draws once, verifiably', async () => {
        const status = await t.lottery.status('1');
        expect(status).toMatchObject({ ticketsSold: 0, pot: 0n, mine: 0, ticketPrice: 100n });
        expect(status.drawAt.toISOString()).toBe('2026-03-02T20:00:00.000Z');
        await fund('1', 1_000n);
        await fund('2', 1_000n);
        await t.lottery.buy('1', { quantity: 3, key: 'lt-1' });
        expect(await t.lottery.buy('1', { quantity: 3, key: 'lt-1' })).toMatchObject({
          replayed: true,
          held: 3,
        });
        await t.lottery.buy('2', { quantity: 2 });
        const rows = await tableRows(economy, t.id);
        await expectCode(t.lottery.buy('1', { quantity: 3 }), ErrorCode.LIMIT_REACHED);
        await expectCode(t.lottery.buy('3'), ErrorCode.INSUFFICIENT_FUNDS);
        await expectCode(t.lottery.buy('1', { quantity: 0 }), ErrorCode.INVALID_INPUT);
        await expectCode(t.lottery.buy('1', { quantity: 2, key: 'lt-1' }), ErrorCode.IDEMPOTENCY_CONFLICT);
        expect(await tableRows(economy, t.id)).toEqual(rows);
        expect(await t.lottery.status('1')).toMatchObject({
          serverSeedHash: status.serverSeedHash,
          ticketsSold: 5,
          pot: 500n,
          mine: 3,
        });
        await expectCode(t.lottery.draw(status.round), ErrorCode.NOT_ELIGIBLE);

        clock.set('2026-03-02T20:00:00Z');
        // Tickets bought now go to tomorrow's draw.
        expect((await t.lottery.buy('2')).round).toBe(status.round + 1);
        const draw = await t.lottery.draw(status.round);
        expect(draw).toMatchObject({
          totalTickets: 5,
          pot: 500n,
          prize: 450n,
          houseCut: 50n,
          replayed: false,
        });
        expect(draw.proof?.serverSeedHash).toBe(status.serverSeedHash);
        expect(hashServerSeed(draw.proof!.serverSeed)).toBe(status.serverSeedHash);
        expect(verifyLotteryDraw(draw)).toBe(true);
        expect(verifyLotteryDraw({ ...draw, winnerId: draw.winnerId === '1' ? '2' : '1' })).toBe(false);
        const winner = draw.winnerId!;
        // Each spent 300: member 1 three tickets, member 2 two and one for tomorrow.
        const spent = 300n;
        expect(await t.balance(winner)).toBe(1_000n - spent + 450n);
        const after = await tableRows(economy, t.id);
        expect(await t.lottery.draw(status.round)).toMatchObject({ winnerId: winner, replayed: true });
        expect(await t.lottery.drawDue()).toEqual([]);
        expect(await tableRows(economy, t.id)).toEqual(after);
        expect((await t.stats()).burned).toBeGreaterThanOrEqual(50n);
      });

      it('draws due rounds, including one nobody bought into, and refuses when off', async () => {
        const { round } = await t.lottery.status();
        clock.advance(DAY);
        const [draw] = await t.lottery.drawDue();
        expect(draw).toMatchObject({ round, winnerId: null, totalTickets: 0, prize: 0n });
        expect(verifyLotteryDraw(draw!)).toBe(true);
        await configure({ lottery: { enabled: false } });
        await expectCode(t.lottery.buy('1'), ErrorCode.NOT_FOUND);
        await expectCode(t.lottery.result(round + 5), ErrorCode.NOT_FOUND);
      });

      it('pays the pot exactly once when two processes draw at the same moment', async () => {
        const other = target.name === 'libsql-memory' ? economy : target.open({ clock });
        try {
          const t2 = other.tenant(t.id);
          for (const userId of ['1', '2', '3']) {
            await fund(userId, 500n);
            await t.lottery.buy(userId, { quantity: 1 + Number(userId) });
          }
          const { round } = await t.lottery.status();
          clock.advance(12 * HOUR);
          const draws = await Promise.all([
            t.lottery.draw(round),
            t2.lottery.draw(round),
            t2.lottery.drawDue(),
          ]);
          const [a, b] = draws;
          expect(a.winnerId).toBe(b.winnerId);
          expect([a.replayed, b.replayed].filter((r) => !r).length).toBeLessThanOrEqual(1);
          const prizes = (await t.ledger.transfers({ account: 'sink:lottery' })).items;
          expect(prizes).toHaveLength(1);
          const winner = a.winnerId!;
          const spent = BigInt(1 + Number(winner)) * 100n;
          expect(await t.balance(winner)).toBe(500n - spent + 810n);
          expect(await t.ledger.balance(`system:lottery-${round}`)).toBe(0n);
        } finally {
          if (other !== economy) await other.close();
        }
      });
    });
  });
}
