import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createEconomy,
  defineEconomy,
  type Economy,
  type EconomyConfigInput,
  ErrorCode,
  type GuildmintError,
  presets,
  RetryLaterError,
  seededRandom,
  type Tenant,
  verifyRound,
} from '../../src/index.js';
import { readScope, stateRef } from '../../src/stores/types.js';
import { DAY, HOUR, ManualClock } from '../support/clock.js';
import { expectCode } from '../support/expect.js';
import { itNeeds, type StoreTarget, spyOnGroupCommits, storeOf, tableRows } from '../support/stores.js';

const base: EconomyConfigInput = {
  timeZone: 'Europe/Berlin',
  faucets: {
    daily: { reward: { fixed: 100 }, cooldownSeconds: 20 * 3600, streak: 'daily' },
    work: { reward: { min: 10, max: 20 }, cooldownSeconds: 60, dailyCap: 2 },
    vip: { reward: { fixed: 5 }, eligibility: { roles: ['111'], minMemberAgeDays: 7 } },
  },
  streaks: {
    daily: { bonusPerDayBps: 1000, maxBonusBps: 3000, milestones: [{ day: 3, bonus: 50 }], maxFreezes: 2 },
  },
  sinks: { transferTaxBps: 250, transferFee: 1, minTransfer: 5 },
  shop: {
    items: {
      badge: {
        name: 'Badge',
        price: 100,
        stock: 2,
        perMemberLimit: 1,
        effects: [{ type: 'role', roleId: '999' }],
      },
      cookie: { name: 'Cookie', price: 10, consumable: true },
      freeze: { name: 'Freeze', price: 30, effects: [{ type: 'streakFreeze', streak: 'daily', count: 1 }] },
    },
  },
};

let counter = 0;

/** The economy primitives of SDK-CONTRACT.md ("Tenant"), run unchanged against every store. */
export function describeEconomyConformance(target: StoreTarget): void {
  describe(`economy conformance (${target.name})`, () => {
    let economy: Economy;
    let t: Tenant;
    let clock: ManualClock;
    const state = async (users: string[]) => ({
      balances: await Promise.all(users.map((u) => t.balance(u))),
      page: (await t.ledger.transfers({ limit: 1000 })).items.length,
      rows: await tableRows(economy, t.id),
    });

    beforeEach(async () => {
      clock = new ManualClock('2026-03-02T10:00:00Z');
      economy = target.open({ clock, random: seededRandom(42) });
      t = economy.tenant(`eco_${process.pid}_${++counter}`);
      await t.configure(defineEconomy(base));
    });
    afterEach(async () => {
      expect(await t.ledger.verify()).toEqual({ ok: true, problems: [] });
      await economy.close();
    });

    describe('config', () => {
      it('starts on the classic preset, then versions every publish', async () => {
        const fresh = economy.tenant(`${t.id}_fresh`);
        expect(await fresh.config()).toEqual({ ...presets.classic, version: 0 });
        expect((await fresh.configure(presets.cozy)).version).toBe(1);
        expect((await fresh.configure(presets.casino)).version).toBe(2);
        expect((await fresh.config()).version).toBe(2);
        expect((await fresh.configVersion(1)).name).toBe('Cozy');
        expect((await fresh.configHistory()).map((h) => h.version)).toEqual([2, 1]);
      });

      it("names each tenant's latest version alone, 0 before any publish (latestConfigVersion)", async () => {
        const store = storeOf(economy);
        const fresh = economy.tenant(`${t.id}_latest`);
        const other = economy.tenant(`${t.id}_latest_other`);
        expect(await store.latestConfigVersion(fresh.id)).toBe(0);
        await fresh.configure(presets.cozy);
        await fresh.configure(presets.casino);
        await other.configure(presets.cozy);
        expect(await store.latestConfigVersion(fresh.id)).toBe(2);
        expect(await store.latestConfigVersion(other.id)).toBe(1);
        expect(await store.latestConfigVersion(`${t.id}_latest_none`)).toBe(0);
      });

      it('works from the very first call, before anything was migrated', async () => {
        const fresh = target.open({ clock });
        expect((await fresh.tenant(`${t.id}_first`).claim('daily', 'u')).amount).toBe(200n);
        await fresh.close();
      });

      it('publishes a config read back from config() or configVersion() again (rollback)', async () => {
        const before = await t.config();
        await t.configure(presets.cozy);
        expect((await t.configure(before)).version).toBe(3);
        expect((await t.configure(await t.configVersion(2))).version).toBe(4);
        expect((await t.config()).name).toBe('Cozy');
      });

      itNeeds(target, 'economy.onConfigChange')(
        'announces published configs to onConfigChange listeners',
        async () => {
          const heard: Array<{ tenant: string; version: number }> = [];
          const stop = economy.onConfigChange((change) => heard.push(change));
          await t.configure(presets.casino);
          expect(heard).toContainEqual({ tenant: t.id, version: 2 });
          stop();
          await t.configure(presets.cozy);
          expect(heard.filter((h) => h.tenant === t.id)).toHaveLength(1);
        },
      );

      itNeeds(target, 'economy.onConfigChange')(
        'publishes nothing when the config equals the latest version (defaults written out or left out)',
        async () => {
          const heard: number[] = [];
          const stop = economy.onConfigChange((change) => {
            if (change.tenant === t.id) heard.push(change.version);
          });
          expect(await t.configure(base)).toEqual({ version: 1 });
          expect(await t.configure(await t.config())).toEqual({ version: 1 });
          expect(await t.configure(base, { basedOn: 1 })).toEqual({ version: 1 });
          expect((await t.configHistory()).map((h) => h.version)).toEqual([1]);
          expect((await t.configure({ ...base, name: 'Renamed' })).version).toBe(2);
          stop();
          expect(heard).toEqual([2]);
        },
      );

      it('rejects an invalid config with every problem and keeps the current version', async () => {
        const error = await expectCode(
          t.configure({
            ...defineEconomy(base),
            sinks: { transferTaxBps: 20_000 },
            timeZone: 'Nowhere/City',
          } as never),
          ErrorCode.CONFIG_INVALID,
        );
        expect((error as GuildmintError & { issues: unknown[] }).issues.length).toBeGreaterThanOrEqual(2);
        expect((await t.config()).version).toBe(1);
      });
    });

    describe('claim', () => {
      it('pays a fixed reward once per cooldown, with retryAt', async () => {
        const first = await t.claim('daily', 'u1');
        expect(first.amount).toBe(100n);
        expect(await t.balance('u1')).toBe(100n);
        const error = await expectCode(t.claim('daily', 'u1'), ErrorCode.COOLDOWN);
        expect(error).toBeInstanceOf(RetryLaterError);
        expect((error as RetryLaterError).retryAt.getTime()).toBe(clock.now().getTime() + 20 * HOUR);
        clock.advance(20 * HOUR);
        const second = await t.claim('daily', 'u1');
        expect(second.streak?.current).toBe(2);
        expect(second.amount).toBe(110n);
      });

      it('replays a keyed claim without paying twice, even after the cooldown', async () => {
        const first = await t.claim('daily', 'u2', { key: 'interaction-1' });
        clock.advance(2 * DAY);
        const again = await t.claim('daily', 'u2', { key: 'interaction-1' });
        expect(again.replayed).toBe(true);
        expect(again.amount).toBe(first.amount);
        expect(again.nextClaimAt).toEqual(first.nextClaimAt);
        expect(again.streak?.longest).toBe(1);
        expect(await t.balance('u2')).toBe(100n);
        const racing = await Promise.all(
          Array.from({ length: 5 }, () => t.claim('work', 'u2', { key: 'race-1' })),
        );
        expect(new Set(racing.map((r) => r.amount)).size).toBe(1);
        expect(await t.balance('u2')).toBe(100n + racing[0]!.amount);
      });

      it('draws ranged rewards within bounds and enforces the daily cap', async () => {
        const a = await t.claim('work', 'u3');
        clock.advance(61_000);
        const b = await t.claim('work', 'u3');
        for (const r of [a, b]) {
          expect(r.amount).toBeGreaterThanOrEqual(10n);
          expect(r.amount).toBeLessThanOrEqual(20n);
        }
        clock.advance(61_000);
        await expectCode(t.claim('work', 'u3'), ErrorCode.LIMIT_REACHED);
        clock.advance(DAY);
        await t.claim('work', 'u3');
      });

      it('checks eligibility from the member context', async () => {
        const joined = new Date(clock.now().getTime() - 8 * DAY);
        await expectCode(t.claim('vip', 'u4'), ErrorCode.NOT_ELIGIBLE);
        await expectCode(
          t.claim('vip', 'u4', { member: { roles: ['222'], joinedAt: joined } }),
          ErrorCode.NOT_ELIGIBLE,
        );
        await expectCode(
          t.claim('vip', 'u4', {
            member: { roles: ['111'], joinedAt: new Date(clock.now().getTime() - DAY) },
          }),
          ErrorCode.NOT_ELIGIBLE,
        );
        expect((await t.claim('vip', 'u4', { member: { roles: ['111'], joinedAt: joined } })).amount).toBe(
          5n,
        );
      });

      it('pays streak milestones and applies event multipliers', async () => {
        for (let day = 0; day < 3; day++) {
          const result = await t.claim('daily', 'u5');
          if (day === 2) expect(result.bonus).toBe(50n);
          clock.advance(DAY);
        }
        expect(await t.balance('u5')).toBe(100n + 110n + 120n + 50n);
        await t.configure(
          defineEconomy({
            ...base,
            events: [
              {
                id: 'double',
                name: 'Double weekend',
                startsAt: new Date(clock.now().getTime() - HOUR).toISOString(),
                endsAt: new Date(clock.now().getTime() + HOUR).toISOString(),
                multiplierBps: 20_000,
                faucets: ['daily'],
              },
            ],
          }),
        );
        expect((await t.claim('daily', 'u6')).amount).toBe(200n);
        expect((await t.streak('u5')).current).toBe(3);
      });

      it('pays at least one unit when multipliers floor a reward to nothing (never a raw store error)', async () => {
        await t.configure(
          defineEconomy({
            ...base,
            events: [
              {
                id: 'drought',
                name: 'Drought',
                startsAt: new Date(clock.now().getTime() - HOUR).toISOString(),
                endsAt: new Date(clock.now().getTime() + HOUR).toISOString(),
                multiplierBps: 1,
                faucets: ['work'],
              },
            ],
          }),
        );
        const claimed = await t.claim('work', 'dry');
        expect(claimed.amount).toBe(1n);
        expect(await t.balance('dry')).toBe(1n);
      });

      it('lets concurrent claims of a faucet without cooldown all pass', async () => {
        await t.configure(
          defineEconomy({ ...base, faucets: { ...base.faucets, tap: { reward: { fixed: 1 } } } }),
        );
        const claims = await Promise.all(Array.from({ length: 20 }, () => t.claim('tap', 'tapper')));
        expect(claims.every((c) => c.amount === 1n)).toBe(true);
        expect(await t.balance('tapper')).toBe(20n);
      });

      it('stops at the daily emission budget', async () => {
        await t.configure(defineEconomy({ ...base, policy: { dailyEmissionBudget: 150 } }));
        await t.claim('daily', 'b1');
        await expectCode(t.claim('daily', 'b2'), ErrorCode.BUDGET_EXHAUSTED);
        expect(await t.balance('b2')).toBe(0n);
      });

      it('rejects unknown faucets and bad member ids, changing nothing', async () => {
        const before = await state(['u7']);
        await expectCode(t.claim('nope', 'u7'), ErrorCode.NOT_FOUND);
        await expectCode(t.claim('daily', 'bad id'), ErrorCode.INVALID_ACCOUNT);
        // An account name is not a member id: refused, never read as the member "user:u7".
        const named = await expectCode(t.balance('user:u7'), ErrorCode.INVALID_ACCOUNT);
        expect(named.message).toContain('pass the member\'s id alone ("u7")');
        await expectCode(t.claim('daily', 'user:u7'), ErrorCode.INVALID_ACCOUNT);
        await expectCode(t.claim('daily', 'u7', { key: 'has space' }), ErrorCode.INVALID_INPUT);
        expect(await state(['u7'])).toEqual(before);
      });
    });

    describe('pay', () => {
      it('charges the transfer tax and fee to the sender, atomically', async () => {
        await t.grant('a', 1000n, { reason: 'seed' });
        const receipt = await t.pay({ from: 'a', to: 'b', amount: 400n, memo: 'rent' });
        expect(receipt).toMatchObject({ amount: 400n, tax: 10n, fee: 1n, replayed: false });
        expect(await t.balance('a')).toBe(589n);
        expect(await t.balance('b')).toBe(400n);
        expect(await t.ledger.balance('sink:tax')).toBe(10n);
        const before = await state(['a', 'b']);
        await expectCode(t.pay({ from: 'a', to: 'b', amount: 580n }), ErrorCode.INSUFFICIENT_FUNDS);
        await expectCode(t.pay({ from: 'a', to: 'a', amount: 10n }), ErrorCode.INVALID_TRANSFER);
        await expectCode(t.pay({ from: 'a', to: 'b', amount: 4n }), ErrorCode.INVALID_AMOUNT);
        await expectCode(t.pay({ from: 'a', to: 'b', amount: 10 as never }), ErrorCode.INVALID_AMOUNT);
        expect(await state(['a', 'b'])).toEqual(before);
      });

      it('is idempotent by key', async () => {
        await t.grant('c', 100n, { reason: 'seed' });
        const first = await t.pay({ from: 'c', to: 'd', amount: 50n, key: 'pay-1' });
        const again = await t.pay({ from: 'c', to: 'd', amount: 50n, key: 'pay-1' });
        expect(again.replayed).toBe(true);
        expect(again.transfers).toEqual(first.transfers);
        expect(await t.balance('d')).toBe(50n);
      });

      it('answers a retry from its key even when the payer has spent the money since', async () => {
        await t.grant('e', 100n, { reason: 'seed' });
        const first = await t.pay({ from: 'e', to: 'f', amount: 60n, key: 'pay-spent' });
        await t.pay({ from: 'e', to: 'g', amount: 35n });
        const commits = spyOnGroupCommits(economy);
        const again = await t.pay({ from: 'e', to: 'f', amount: 60n, key: 'pay-spent' });
        // No read ahead for a payment: the commit refused it (the balance is short now) and the spent key
        // answered. The ids named by the key were not looked up, and one attempt was enough.
        expect(commits.mock.calls.map(([, retry]) => retry)).toEqual([false]);
        commits.mockRestore();
        expect(again).toMatchObject({ replayed: true, transfers: first.transfers });
        expect(await t.balance('f')).toBe(60n);
      });

      it('refuses a key whose id a plain transfer already took, on the retry that looks it up', async () => {
        await t.grant('h', 100n, { reason: 'seed' });
        await t.ledger.transfer({
          id: 'taken',
          from: 'user:h',
          to: 'user:i',
          amount: 1n,
          code: 'transfer.p2p',
        });
        const before = await state(['h', 'i']);
        const commits = spyOnGroupCommits(economy);
        await expectCode(
          t.pay({ from: 'h', to: 'i', amount: 10n, key: 'taken' }),
          ErrorCode.IDEMPOTENCY_CONFLICT,
        );
        // The first attempt took the key's ids for new and failed on the primary key; the retry found the transfer.
        expect(commits.mock.calls.map(([, retry]) => retry)).toEqual([false, true]);
        commits.mockRestore();
        expect(await state(['h', 'i'])).toEqual(before);
      });
    });

    describe('shop', () => {
      it('sells with stock, per-member limits, role effects and inventory', async () => {
        for (const u of ['s1', 's2', 's3']) await t.grant(u, 500n, { reason: 'seed' });
        const receipt = await t.buy('s1', 'badge', { key: 'buy-1' });
        expect(receipt.effects.roles).toEqual(['999']);
        expect((await t.buy('s1', 'badge', { key: 'buy-1' })).effects).toEqual(receipt.effects);
        expect(await t.balance('s1')).toBe(400n);
        await expectCode(t.buy('s1', 'badge'), ErrorCode.LIMIT_REACHED);
        await t.buy('s2', 'badge');
        const before = await state(['s3']);
        await expectCode(t.buy('s3', 'badge'), ErrorCode.OUT_OF_STOCK);
        expect(await state(['s3'])).toEqual(before);
        expect(await t.inventory('s1')).toEqual([{ item: 'badge', quantity: 1 }]);
        expect(await t.stock()).toMatchObject({
          badge: { sold: 2, left: 0 },
          cookie: { sold: 0, left: null },
        });
        // Unlimited items count their sales too (a retried purchase counts once).
        await t.buy('s3', 'cookie', { quantity: 2, key: 'cookies-1' });
        await t.buy('s3', 'cookie', { quantity: 2, key: 'cookies-1' });
        expect((await t.stock()).cookie).toEqual({ sold: 2, left: null });
      });

      it('consumes consumables and adds streak freezes', async () => {
        await t.grant('s4', 500n, { reason: 'seed' });
        await t.buy('s4', 'cookie', { quantity: 3 });
        expect(await t.use('s4', 'cookie')).toEqual({ remaining: 2, replayed: false });
        expect(await t.use('s4', 'cookie', { key: 'use-1' })).toEqual({ remaining: 1, replayed: false });
        const retries = await Promise.all([1, 2, 3].map(() => t.use('s4', 'cookie', { key: 'use-1' })));
        expect(retries).toEqual([1, 2, 3].map(() => ({ remaining: 1, replayed: true })));
        const receipt = await t.buy('s4', 'freeze', { quantity: 2 });
        expect(receipt.effects.streakFreezes).toEqual({ daily: 2 });
        expect((await t.streak('s4')).freezes).toBe(2);
        await expectCode(t.buy('s4', 'freeze'), ErrorCode.LIMIT_REACHED);
        await expectCode(t.use('s4', 'badge'), ErrorCode.INVALID_INPUT);
      });

      it('changes nothing when the buyer cannot pay', async () => {
        await t.grant('s5', 50n, { reason: 'seed' });
        await expectCode(t.buy('s5', 'badge'), ErrorCode.INSUFFICIENT_FUNDS);
        expect(await t.inventory('s5')).toEqual([]);
        await t.grant('s6', 500n, { reason: 'seed' });
        await t.buy('s6', 'badge');
        await t.grant('s7', 500n, { reason: 'seed' });
        await t.buy('s7', 'badge');
        await expectCode(t.buy('s5', 'nope'), ErrorCode.NOT_FOUND);
        await expectCode(t.buy('s5', 'cookie', { quantity: -1 }), ErrorCode.INVALID_INPUT);
        await expectCode(t.buy('s5', 'cookie', { quantity: 1.5 }), ErrorCode.INVALID_INPUT);
      });
    });

    describe('games', () => {
      const casino = async () => {
        await t.configure(presets.casino);
        await t.grant('g', 100_000n, { reason: 'bankroll' });
      };

      it('plays every instant game as one atomic batch, verifiable after rotation', async () => {
        await casino();
        const before = await t.fairness('g');
        const results = [
          await t.play('coinflip', 'g', { bet: 100n, side: 'heads' }),
          await t.play('dice', 'g', { bet: 100n, target: 49.5, direction: 'under' }),
          await t.play('slots', 'g', { bet: 100n }),
          await t.play('roulette', 'g', { bet: 100n, on: 'red' }),
          await t.play('roulette', 'g', { bet: 100n, on: 17 }),
        ];
        let expected = 100_000n;
        results.forEach((r, i) => {
          expect(r.finished).toBe(true);
          expect(r.proof).toMatchObject({
            serverSeedHash: before.serverSeedHash,
            clientSeed: before.clientSeed,
            nonce: i,
          });
          expected += r.payout - 100n;
        });
        expect(await t.balance('g')).toBe(expected);
        const { revealedServerSeed, next } = await t.rotateSeed('g', { clientSeed: 'my-own-seed' });
        expect(next.clientSeed).toBe('my-own-seed');
        expect(next.serverSeedHash).not.toBe(before.serverSeedHash);
        for (const r of results) expect(verifyRound(r, revealedServerSeed)).toBe(true);
        expect(verifyRound({ ...results[0]!, outcome: { forged: true } }, revealedServerSeed)).toBe(false);
        expect(verifyRound(results[0]!, 'not-the-seed')).toBe(false);
      });

      it('replays a keyed round without playing it twice', async () => {
        await casino();
        const first = await t.play('coinflip', 'g', { bet: 500n, side: 'tails', key: 'round-1' });
        const balance = await t.balance('g');
        const again = await t.play('coinflip', 'g', { bet: 500n, side: 'tails', key: 'round-1' });
        expect(again).toEqual({ ...first, replayed: true });
        expect(await t.balance('g')).toBe(balance);
        expect((await t.fairness('g')).nonce).toBe(1);
      });

      it('runs blackjack with escrow until the round ends, and refuses seed rotation meanwhile', async () => {
        await casino();
        let round = await t.play('blackjack', 'g', { bet: 1_000n, key: 'bj-1' });
        for (let i = 0; i < 20 && round.finished; i++) {
          round = await t.play('blackjack', 'g', { bet: 1_000n, key: `bj-${i + 2}` });
        }
        expect(round.finished).toBe(false);
        expect(await t.ledger.balance('system:escrow')).toBe(1_000n);
        await expectCode(t.rotateSeed('g'), ErrorCode.LIMIT_REACHED);
        await expectCode(t.play('blackjack', 'g', { bet: 1_000n }), ErrorCode.LIMIT_REACHED);
        // @ts-expect-error: no such action; a JavaScript caller gets INVALID_INPUT.
        await expectCode(t.act(round.roundId, 'split', { userId: 'g' }), ErrorCode.INVALID_INPUT);
        await expectCode(t.act(round.roundId, 'stand', { userId: 'someone-else' }), ErrorCode.FORBIDDEN);
        expect(await t.round(round.roundId)).toMatchObject({
          roundId: round.roundId,
          userId: 'g',
          finished: false,
        });
        const stood = await t.act(round.roundId, 'stand', { key: 'act-1', userId: 'g' });
        expect(stood.finished).toBe(true);
        expect(await t.act(round.roundId, 'stand', { key: 'act-1', userId: 'g' })).toEqual({
          ...stood,
          replayed: true,
        });
        await expectCode(t.act(round.roundId, 'hit', { userId: 'g' }), ErrorCode.INVALID_INPUT);
        expect(await t.ledger.balance('system:escrow')).toBe(0n);
        const { revealedServerSeed } = await t.rotateSeed('g');
        expect(verifyRound(stood, revealedServerSeed)).toBe(true);
        expect(verifyRound(await t.round(round.roundId), revealedServerSeed)).toBe(true);
        await expectCode(t.round('no-such-round'), ErrorCode.NOT_FOUND);
      });

      it('never lets an event lift a game past its maxPayout', async () => {
        await t.configure(
          defineEconomy({
            ...base,
            games: { roulette: { minBet: 10, maxBet: 100, maxPayout: 150 } },
            policy: { rateLimit: { perMemberPerMinute: 600 } },
            events: [
              {
                id: 'jackpot',
                name: 'Jackpot night',
                startsAt: new Date(clock.now().getTime() - HOUR).toISOString(),
                endsAt: new Date(clock.now().getTime() + HOUR).toISOString(),
                multiplierBps: 50_000,
                games: ['roulette'],
              },
            ],
          }),
        );
        await t.grant('g', 100_000n, { reason: 'bankroll' });
        let won = 0;
        for (let i = 0; i < 40; i++) {
          const round = await t.play('roulette', 'g', { bet: 100n, on: 'red' });
          expect(round.payout).toBeLessThanOrEqual(150n);
          if (round.payout > 0n) won++;
        }
        expect(won).toBeGreaterThan(0);
      });

      it('never applies an earlier blackjack action twice, even after a later one', async () => {
        await casino();
        let round = await t.play('blackjack', 'g', { bet: 100n });
        while (round.finished) round = await t.play('blackjack', 'g', { bet: 100n });
        const afterHit = await t.act(round.roundId, 'hit', { key: 'a1', userId: 'g' });
        if (!afterHit.finished) {
          const stood = await t.act(round.roundId, 'stand', { key: 'a2', userId: 'g' });
          const lateRetry = await t.act(round.roundId, 'hit', { key: 'a1', userId: 'g' });
          expect(lateRetry).toEqual({ ...stood, replayed: true });
        } else {
          expect(await t.act(round.roundId, 'hit', { key: 'a1', userId: 'g' })).toEqual({
            ...afterHit,
            replayed: true,
          });
        }
      });

      it('doubles down by taking a second stake', async () => {
        await casino();
        let round = await t.play('blackjack', 'g', { bet: 200n });
        while (round.finished) round = await t.play('blackjack', 'g', { bet: 200n });
        const before = await t.balance('g');
        const doubled = await t.act(round.roundId, 'double', { userId: 'g' });
        expect(doubled.finished).toBe(true);
        expect(doubled.bet).toBe(400n);
        expect(await t.balance('g')).toBe(before - 200n + doubled.payout);
      });

      itNeeds(target, 'tenant.settleExpiredRounds')('stands abandoned rounds after the timeout', async () => {
        await casino();
        let round = await t.play('blackjack', 'g', { bet: 300n });
        while (round.finished) round = await t.play('blackjack', 'g', { bet: 300n });
        expect(await t.settleExpiredRounds()).toBe(0);
        clock.advance(121_000);
        expect(await t.settleExpiredRounds()).toBe(1);
        expect(await t.ledger.balance('system:escrow')).toBe(0n);
        await expectCode(t.act(round.roundId, 'hit', { userId: 'g' }), ErrorCode.INVALID_INPUT);
      });

      it("plays a member's next round from the seeds it committed, without reading them first", async () => {
        await casino();
        const first = await t.play('coinflip', 'g', { bet: 100n, side: 'heads', key: 'seed-1' });
        const reads = vi.spyOn(storeOf(economy), 'readStates');
        try {
          const second = await t.play('slots', 'g', { bet: 100n, key: 'seed-2' });
          expect(reads).not.toHaveBeenCalled();
          expect(second.proof).toMatchObject({ serverSeedHash: first.proof.serverSeedHash, nonce: 1 });
          // A replay still answers from its key, and plays nothing.
          expect(await t.play('slots', 'g', { bet: 100n, key: 'seed-2' })).toEqual({
            ...second,
            replayed: true,
          });
          expect(await t.balance('g')).toBe(100_000n - 200n + first.payout + second.payout);
        } finally {
          reads.mockRestore();
        }
        expect((await t.fairness('g')).nonce).toBe(2);
      });

      it('plays from seeds another process rotated or played meanwhile, never from stale ones', async () => {
        await casino();
        const first = await t.play('coinflip', 'g', { bet: 100n, side: 'heads' });
        // Another process on the same storage (its own economy, so nothing of this one's memory).
        const other = createEconomy({ storage: storeOf(economy), clock }).tenant(t.id);
        const { revealedServerSeed, next } = await other.rotateSeed('g');
        const rounds = [
          await t.play('coinflip', 'g', { bet: 100n, side: 'heads' }),
          await other.play('coinflip', 'g', { bet: 100n, side: 'tails' }),
          await t.play('dice', 'g', { bet: 100n, target: 49.5, direction: 'under' }),
        ];
        expect(verifyRound(first, revealedServerSeed)).toBe(true);
        rounds.forEach((r, nonce) => {
          expect(r.proof).toMatchObject({
            serverSeedHash: next.serverSeedHash,
            clientSeed: next.clientSeed,
            nonce,
          });
        });
        const paid = [first, ...rounds].reduce((sum, r) => sum + r.payout - 100n, 0n);
        expect(await t.balance('g')).toBe(100_000n + paid);
        const { revealedServerSeed: revealed } = await t.rotateSeed('g');
        for (const r of rounds) expect(verifyRound(r, revealed)).toBe(true);
      });

      it('draws server seeds from node:crypto, never from the injected random', async () => {
        // A second economy with the same seeded random (as a developer's tests or simulations would):
        // were seeds drawn from it, both would commit the same seed, and anyone could predict it.
        const twin = target.open({ clock, random: seededRandom(42) });
        try {
          const other = twin.tenant(`${t.id}_twin`);
          const committed = [await t.fairness('g'), await other.fairness('g')];
          expect(committed[0]!.serverSeedHash).not.toBe(committed[1]!.serverSeedHash);
          const rotated = [await t.rotateSeed('g'), await other.rotateSeed('g')];
          expect(rotated[0]!.next.serverSeedHash).not.toBe(rotated[1]!.next.serverSeedHash);
          expect(rotated[0]!.revealedServerSeed).toMatch(/^[0-9a-f]{64}$/);
        } finally {
          await twin.close();
        }
      });

      it("lets only the round's player act on it, and a refused action changes nothing", async () => {
        await casino();
        await t.grant('thief', 10_000n, { reason: 'bankroll' });
        let round = await t.play('blackjack', 'g', { bet: 1_000n });
        while (round.finished) round = await t.play('blackjack', 'g', { bet: 1_000n });
        const snapshot = async () => ({
          round: await t.round(round.roundId),
          balances: await state(['g', 'thief']),
          escrow: await t.ledger.balance('system:escrow'),
        });
        const before = await snapshot();
        // Another member who learnt the round id (it is in every round's footer) tries to double it.
        await expectCode(t.act(round.roundId, 'double', { userId: 'thief', key: 'x1' }), ErrorCode.FORBIDDEN);
        await expectCode(t.act(round.roundId, 'double', { userId: 'thief' }), ErrorCode.FORBIDDEN);
        // Without saying who acts, nobody may act (a JavaScript caller can leave the option out).
        await expectCode(t.act(round.roundId, 'double', {} as never), ErrorCode.INVALID_INPUT);
        await expectCode(t.act(round.roundId, 'double', undefined as never), ErrorCode.INVALID_INPUT);
        await expectCode(t.act(round.roundId, 'double', { userId: 42 } as never), ErrorCode.INVALID_INPUT);
        expect(await snapshot()).toEqual(before);
        const stood = await t.act(round.roundId, 'stand', { userId: 'g' });
        expect(stood.finished).toBe(true);
        expect(await t.balance('thief')).toBe(10_000n);
      });

      it('rejects bad games, bets and choices, changing nothing', async () => {
        await casino();
        // fairness() commits the member's first seed (a state row), so it comes before the snapshot.
        const nonce = (await t.fairness('g')).nonce;
        const before = await state(['g']);
        // @ts-expect-error: no such game; a JavaScript caller gets NOT_FOUND.
        await expectCode(t.play('poker', 'g', { bet: 100n }), ErrorCode.NOT_FOUND);
        await expectCode(
          t.play('coinflip', 'g', { bet: 100 as never, side: 'heads' }),
          ErrorCode.INVALID_AMOUNT,
        );
        await expectCode(t.play('coinflip', 'g', { bet: -5n, side: 'heads' }), ErrorCode.INVALID_AMOUNT);
        await expectCode(t.play('coinflip', 'g', { bet: 1n, side: 'heads' }), ErrorCode.INVALID_INPUT);
        await expectCode(t.play('coinflip', 'g', { bet: 10n ** 9n, side: 'heads' }), ErrorCode.INVALID_INPUT);
        // @ts-expect-error: the types refuse these choices too; a JavaScript caller gets INVALID_INPUT.
        await expectCode(t.play('coinflip', 'g', { bet: 100n, side: 'edge' }), ErrorCode.INVALID_INPUT);
        await expectCode(
          t.play('dice', 'g', { bet: 100n, target: 150, direction: 'under' }),
          ErrorCode.INVALID_INPUT,
        );
        await expectCode(
          t.play('dice', 'g', { bet: 100n, target: 50.123, direction: 'under' }),
          ErrorCode.INVALID_INPUT,
        );
        await expectCode(
          // @ts-expect-error: not a direction.
          t.play('dice', 'g', { bet: 100n, target: 50, direction: 'sideways' }),
          ErrorCode.INVALID_INPUT,
        );
        await expectCode(t.play('roulette', 'g', { bet: 100n, on: 37 }), ErrorCode.INVALID_INPUT);
        // @ts-expect-error: not a roulette bet.
        await expectCode(t.play('roulette', 'g', { bet: 100n, on: 'green' }), ErrorCode.INVALID_INPUT);
        await expectCode(t.act('no-such-round', 'hit', { userId: 'g' }), ErrorCode.NOT_FOUND);
        await expectCode(t.rotateSeed('g', { clientSeed: 'has spaces' }), ErrorCode.INVALID_INPUT);
        await expectCode(
          t.play('coinflip', 'broke', { bet: 100n, side: 'heads' }),
          ErrorCode.INSUFFICIENT_FUNDS,
        );
        expect(await state(['g'])).toEqual(before);
        expect((await t.fairness('g')).nonce).toBe(nonce);
        await t.configure(presets.cozy);
        await expectCode(t.play('coinflip', 'g', { bet: 100n, side: 'heads' }), ErrorCode.NOT_FOUND);
      });

      it('limits how often a member may act', async () => {
        await t.configure(defineEconomy({ ...base, policy: { rateLimit: { perMemberPerMinute: 3 } } }));
        await t.grant('fast', 1000n, { reason: 'seed' });
        for (let i = 0; i < 3; i++) await t.pay({ from: 'fast', to: 'slow', amount: 10n, key: `p${i}` });
        const error = await expectCode(
          t.pay({ from: 'fast', to: 'slow', amount: 10n }),
          ErrorCode.RATE_LIMITED,
        );
        expect(error).toBeInstanceOf(RetryLaterError);
        // A replay of an answered command is not a new command.
        expect((await t.pay({ from: 'fast', to: 'slow', amount: 10n, key: 'p0' })).replayed).toBe(true);
      });
    });

    describe('rate limit and replays', () => {
      it('never counts a replayed (or conflicting) request against the member, even below the limit', async () => {
        await t.configure(defineEconomy({ ...base, policy: { rateLimit: { perMemberPerMinute: 3 } } }));
        await t.grant('fast', 1000n, { reason: 'seed' });
        await t.pay({ from: 'fast', to: 'slow', amount: 10n, key: 'r0' });
        for (let i = 0; i < 5; i++) {
          expect((await t.pay({ from: 'fast', to: 'slow', amount: 10n, key: 'r0' })).replayed).toBe(true);
          await expectCode(
            t.pay({ from: 'fast', to: 'slow', amount: 11n, key: 'r0' }),
            ErrorCode.IDEMPOTENCY_CONFLICT,
          );
        }
        // Two new commands are left of three: the replays and conflicts took none.
        await t.pay({ from: 'fast', to: 'slow', amount: 10n, key: 'r1' });
        await t.claim('work', 'fast', { key: 'r2' });
        await expectCode(t.pay({ from: 'fast', to: 'slow', amount: 10n, key: 'r3' }), ErrorCode.RATE_LIMITED);
        expect((await t.claim('work', 'fast', { key: 'r2' })).replayed).toBe(true);
      });
    });

    describe('admin', () => {
      itNeeds(target, 'audit.callerActor')(
        'grants, revokes, freezes and rolls back, each in the audit log',
        async () => {
          await t.grant('x', 300n, { reason: 'event prize', actor: 'mod-1' });
          await t.revoke('x', 100n, { reason: 'correction', actor: 'mod-1' });
          await expectCode(t.revoke('x', 1000n, { reason: 'too much' }), ErrorCode.INSUFFICIENT_FUNDS);
          await expectCode(t.grant('x', 1n, { reason: '' }), ErrorCode.INVALID_INPUT);
          clock.advance(HOUR);
          const since = clock.now();
          await t.claim('daily', 'x');
          await t.pay({ from: 'x', to: 'alt', amount: 250n });
          expect(await t.isFrozen('x')).toBe(false);
          await t.freeze('x', { reason: 'exploit', actor: 'mod-2' });
          expect(await t.isFrozen('x')).toBe(true);
          await expectCode(t.pay({ from: 'x', to: 'alt', amount: 5n }), ErrorCode.ACCOUNT_FROZEN);
          const { reversed } = await t.rollback('x', { since, reason: 'exploit', actor: 'mod-2' });
          expect(reversed).toBe(4);
          expect(await t.balance('x')).toBe(200n);
          expect(await t.balance('alt')).toBe(0n);
          // Admins may still take from (and give to) a frozen account.
          await t.revoke('x', 1n, { reason: 'fine', actor: 'mod-2' });
          await t.grant('x', 1n, { reason: 'undo fine', actor: 'mod-2' });
          await t.unfreeze('x', { actor: 'mod-2' });
          const log = await t.auditLog();
          expect(log.map((e) => e.action)).toEqual([
            'unfreeze',
            'grant',
            'revoke',
            'rollback',
            'freeze',
            'revoke',
            'grant',
          ]);
          expect(log[3]).toMatchObject({
            actor: 'mod-2',
            target: 'user:x',
            reason: 'exploit',
            details: { reversed: 4 },
          });
        },
      );

      it('ranks members on the leaderboard', async () => {
        await t.grant('r1', 30n, { reason: 'seed' });
        await t.grant('r2', 50n, { reason: 'seed' });
        await t.grant('r3', 10n, { reason: 'seed' });
        expect(await t.leaderboard({ limit: 2 })).toEqual([
          { userId: 'r2', balance: 50n },
          { userId: 'r1', balance: 30n },
        ]);
      });
    });

    itNeeds(target, 'tenant.presence')('records whether the bot is in the guild', async () => {
      expect(await t.presence()).toEqual({ present: false, reportedAt: null });
      await t.reportPresence(true);
      expect(await t.presence()).toEqual({ present: true, reportedAt: clock.now() });
      clock.advance(HOUR);
      await t.reportPresence(false);
      expect((await t.presence()).present).toBe(false);
      expect((await economy.tenant(`${t.id}_x`).presence()).present).toBe(false);
    });

    it('reads state rows of several scopes in one call, only the tenant’s own (readStates)', async () => {
      const store = storeOf(economy);
      const other = economy.tenant(`${t.id}_rs`);
      await other.configure(defineEconomy(base));
      await t.claim('daily', 'm', { key: 'rs-claim' });
      await t.fairness('m');
      clock.advance(HOUR);
      // The other tenant holds rows under the very same scopes and keys, with other values.
      await other.claim('daily', 'm', { key: 'rs-claim' });
      await other.claim('daily', 'n');
      const refs = [
        { scope: 'cooldown', key: 'daily:m' },
        { scope: 'streak', key: 'daily:m' },
        { scope: 'op', key: 'rs-claim' },
        { scope: 'seed', key: 'm' },
        { scope: 'cooldown', key: 'daily:n' },
        { scope: 'cooldown', key: 'work:m' },
        { scope: 'no-such-scope', key: 'm' },
      ];
      const rows = await store.readStates(t.id, refs);
      // Each row exactly as one scope's read (readScope) gets it alone; rows that do not exist (here) are absent.
      const expected = new Map();
      for (const { scope, key } of refs) {
        const row = (await readScope(store, t.id, scope, [key])).get(key);
        if (row) expected.set(stateRef(scope, key), row);
      }
      expect(rows).toEqual(expected);
      expect([...rows.keys()].sort()).toEqual(
        [
          stateRef('cooldown', 'daily:m'),
          stateRef('op', 'rs-claim'),
          stateRef('seed', 'm'),
          stateRef('streak', 'daily:m'),
        ].sort(),
      );
      expect(rows.get(stateRef('cooldown', 'daily:m'))?.value).toBe(BigInt(clock.now().getTime() - HOUR));
      expect(JSON.parse(rows.get(stateRef('op', 'rs-claim'))?.json ?? '{}')).toMatchObject({
        operation: 'claim',
      });
      const others = await store.readStates(other.id, refs);
      expect(others.get(stateRef('cooldown', 'daily:m'))?.value).toBe(BigInt(clock.now().getTime()));
      expect(others.has(stateRef('cooldown', 'daily:n'))).toBe(true);
      expect(others.has(stateRef('seed', 'm'))).toBe(false);
      expect(await store.readStates(`${t.id}_none`, refs)).toEqual(new Map());
      expect(await store.readStates(t.id, [])).toEqual(new Map());
    });

    it('keeps tenants apart: same member, different economies', async () => {
      const other = economy.tenant(`${t.id}_b`);
      await other.configure(presets.cozy);
      await t.claim('daily', 'm');
      await other.claim('daily', 'm');
      expect(await t.balance('m')).toBe(100n);
      expect(await other.balance('m')).toBe(150n);
      await t.grant('m', 500n, { reason: 'seed' });
      await t.buy('m', 'cookie');
      expect(await other.inventory('m')).toEqual([]);
      expect((await other.streak('m')).current).toBe(1);
      expect(await other.auditLog()).toEqual([]);
    });
  });
}
