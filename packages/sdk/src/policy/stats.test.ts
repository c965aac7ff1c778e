import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EconomyConfigInput } from '../config/schema.js';
import { buildStats, computeStats } from './stats.js';
import { openTestEconomy, type TestEconomy } from './testing.js';

const config: EconomyConfigInput = {
  faucets: { daily: { reward: { fixed: 100 } }, work: { reward: { fixed: 40 } } },
  sinks: { transferTaxBps: 1_000 },
  shop: { items: { hat: { name: 'Hat', price: 50 } } },
};

let open: TestEconomy | undefined;
afterEach(async () => {
  await open?.economy.close();
  open = undefined;
});

describe('computeStats on a real economy', () => {
  // Today is 2026-02-10 (UTC); the 7-day window starts 02-04, the 30-day window 01-12, so the supply
  // "30 days ago" is the supply at the end of 01-11.
  async function fortyDays(): Promise<TestEconomy> {
    const e = await openTestEconomy('2026-01-01T12:00:00Z', config);
    const { tenant } = e;
    const reason = 'seed';
    await tenant.grant('alice', 1_000n, { reason });
    await tenant.grant('bob', 1_000n, { reason });
    await tenant.grant('carol', 500n, { reason });
    await tenant.grant('erin', 60n, { reason }); // supply 2560

    e.at('2026-01-11T12:00:00Z');
    await tenant.claim('daily', 'alice');
    await tenant.claim('daily', 'bob'); // supply 2760: the base of the 30-day window

    e.at('2026-01-20T12:00:00Z');
    await tenant.claim('work', 'erin');
    await tenant.revoke('erin', 100n, { reason: 'cheating' }); // 2700; erin is never seen again

    e.at('2026-02-05T12:00:00Z');
    await tenant.pay({ from: 'alice', to: 'bob', amount: 200n }); // + 20 tax
    await tenant.buy('bob', 'hat');
    await tenant.ledger.transfer({
      from: 'user:alice',
      to: 'house:coinflip',
      amount: 100n,
      code: 'game.coinflip.bet',
    });
    await tenant.ledger.transfer({
      from: 'house:coinflip',
      to: 'user:alice',
      amount: 180n,
      code: 'game.coinflip.win',
    });
    // 2700 − 20 − 50 + 80 = 2710

    e.at('2026-02-09T12:00:00Z');
    await tenant.claim('daily', 'carol'); // 2810

    e.at('2026-02-10T10:00:00Z');
    await tenant.claim('daily', 'dave');
    await tenant.pay({ from: 'bob', to: 'carol', amount: 100n }); // + 10 tax → 2900
    e.at('2026-02-10T12:00:00Z');
    return e;
  }

  it('reports supply, all-time and windowed flows, inflation, velocity, Gini and activity exactly', async () => {
    open = await fortyDays();
    const stats = await computeStats(open.ctx);
    // Balances: alice 960, bob 1140, carol 700, dave 100, erin 0.
    expect(stats.moneySupply).toBe(2_900n);
    expect(stats.minted).toBe(3_000n); // admin 2560 + daily 400 + work 40
    expect(stats.burned).toBe(180n); // admin 100 + tax 30 + shop 50
    // The house lost 80 to alice: supply = minted − burned + what games paid out net.
    expect(stats.moneySupply - (stats.minted - stats.burned)).toBe(80n);
    expect(stats.faucets).toEqual({
      admin: { today: 0n, last7Days: 0n, last30Days: 0n },
      daily: { today: 100n, last7Days: 200n, last30Days: 200n },
      work: { today: 0n, last7Days: 0n, last30Days: 40n },
    });
    expect(stats.sinks).toEqual({
      admin: { today: 0n, last7Days: 0n, last30Days: 100n },
      shop: { today: 0n, last7Days: 50n, last30Days: 50n },
      tax: { today: 10n, last7Days: 30n, last30Days: 30n },
    });
    // Net emission is what members gained: minted − burned, plus the 80 the house lost to alice.
    expect(stats.netEmission).toEqual({ today: 90n, last7Days: 200n, last30Days: 140n });
    expect(stats.supply30dAgo).toBe(2_760n);
    // 140 × 10000 / 2760 = 507.24… → 507 (truncated toward zero)
    expect(stats.inflationBps30d).toBe(507);
    // Turnover 630 (payments 200 + 100, shop 50, coinflip 100 + 180) × 30 days ÷ Σ end-of-day supply
    // (8 × 2760 + 16 × 2700 + 4 × 2710 + 2810 + 2900 = 81830) = 0.2309… → 0.23
    expect(stats.velocity30d).toBe(0.23);
    // [0, 100, 700, 960, 1140]: (2 × 11840 − 6 × 2900) / (5 × 2900) = 0.43310… → 0.4331
    expect(stats.gini).toBe(0.4331);
    expect(stats.activeMembers).toEqual({ day: 3, week: 4, month: 5 });
    expect(stats.members).toBe(5);
    expect(stats.asOf).toEqual(new Date('2026-02-10T12:00:00Z'));
    expect(stats.daily).toHaveLength(30);
    expect(stats.daily[0]).toEqual({
      day: '2026-01-12',
      minted: 0n,
      burned: 0n,
      netEmission: 0n,
      volume: 0n,
      supply: 2_760n,
    });
    expect(stats.daily.find((d) => d.day === '2026-02-05')).toEqual({
      day: '2026-02-05',
      minted: 0n,
      burned: 70n,
      netEmission: 10n, // − 70 burned + 80 the house lost
      volume: 530n,
      supply: 2_710n,
    });
    expect(stats.daily.at(-1)).toEqual({
      day: '2026-02-10',
      minted: 100n,
      burned: 10n,
      netEmission: 90n,
      volume: 100n,
      supply: 2_900n,
    });
  });

  it('reads the rollup and balances only, never the transfer history', async () => {
    open = await fortyDays();
    const { store } = open.ctx;
    const history = [
      vi.spyOn(store, 'listTransfers'),
      vi.spyOn(store, 'findTransfers'),
      vi.spyOn(store, 'findBatch'),
      vi.spyOn(store, 'audit'),
    ];
    const flows = vi.spyOn(store, 'flows');
    await computeStats(open.ctx);
    for (const spy of history) expect(spy).not.toHaveBeenCalled();
    expect(flows).toHaveBeenCalledTimes(1);
  });

  it('measures an economy where nothing has happened yet', async () => {
    open = await openTestEconomy('2026-02-10T12:00:00Z', config);
    const stats = await computeStats(open.ctx);
    expect(stats).toMatchObject({
      moneySupply: 0n,
      minted: 0n,
      burned: 0n,
      faucets: {},
      sinks: {},
      netEmission: { today: 0n, last7Days: 0n, last30Days: 0n },
      supply30dAgo: 0n,
      inflationBps30d: null,
      velocity30d: 0,
      gini: 0,
      activeMembers: { day: 0, week: 0, month: 0 },
      members: 0,
    });
  });

  it('keeps a faucet literally named __proto__ as data', async () => {
    open = await openTestEconomy('2026-02-10T12:00:00Z', config);
    await open.tenant.ledger.transfer({ from: 'faucet:__proto__', to: 'user:x', amount: 5n, code: 'odd' });
    const stats = await computeStats(open.ctx);
    expect(Object.getPrototypeOf(stats.faucets)).toBe(Object.prototype);
    expect(Object.keys(stats.faucets)).toEqual(['__proto__']);
    expect(stats.minted).toBe(5n);
  });
});

describe('buildStats inflation', () => {
  const asOf = new Date('2026-02-10T12:00:00Z');
  const flow = (day: string, account: string, credit: bigint, debit: bigint) => ({
    day,
    account,
    credit,
    debit,
    count: 1n,
  });
  const balances = (supply: bigint) => [{ balance: supply, activeAt: asOf }];

  it('truncates toward zero, for growth and for shrinkage', () => {
    // 3000 at the window start, +1000 minted in it: 3333.33 → 3333
    const up = buildStats({
      flows: [flow('2026-02-01', 'faucet:daily', 0n, 1_000n)],
      balances: balances(4_000n),
      asOf,
    });
    expect(up.supply30dAgo).toBe(3_000n);
    expect(up.inflationBps30d).toBe(3_333);
    // 3000 at the window start, 1000 burned in it: −3333.33 → −3333
    const down = buildStats({
      flows: [flow('2026-02-01', 'sink:shop', 1_000n, 0n)],
      balances: balances(2_000n),
      asOf,
    });
    expect(down.inflationBps30d).toBe(-3_333);
  });

  it('is null when there was no supply when the window began', () => {
    const young = buildStats({
      flows: [flow('2026-02-01', 'faucet:daily', 0n, 1_000n)],
      balances: balances(1_000n),
      asOf,
    });
    expect(young.supply30dAgo).toBe(0n);
    expect(young.inflationBps30d).toBeNull();
  });
});
