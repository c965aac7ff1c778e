import { describe, expect, it } from 'vitest';
import type { StoredTransfer } from './records.js';
import { hourBucket, localPeriods, RollupMetric, RollupSums, sourceOf } from './rollups.js';

const AT = new Date('2026-05-31T23:30:00Z'); // a Sunday: the next hour is a new day, week and month

function transfer(over: Partial<StoredTransfer>): StoredTransfer {
  return {
    tenant: 't',
    id: 'x',
    batchId: null,
    from: 'faucet:daily',
    to: 'user:1',
    amount: 10n,
    code: 'faucet.daily',
    metadata: null,
    reverses: null,
    forced: false,
    createdAt: AT,
    ...over,
  };
}

/** The hourly rows (the quarter-hour ones have a test of their own). */
function rows(sums: RollupSums) {
  return sums
    .values()
    .filter((r) => !r.metric.endsWith('.q'))
    .map(({ metric, key, amount, count }) => `${metric} ${key} ${amount}/${count}`)
    .sort();
}

const DAY_MS = 86_400_000;
const dayOf = (iso: string) => Date.parse(iso) / DAY_MS;

describe('rollup periods', () => {
  it('numbers UTC hours, and the local days at which the local day, ISO week and month start', () => {
    expect(hourBucket(AT)).toBe(Date.parse('2026-05-31T23:00:00Z') / 3_600_000);
    expect(localPeriods(AT, 'UTC')).toMatchObject({
      day: dayOf('2026-05-31'),
      week: dayOf('2026-05-25'), // the Monday before
      month: dayOf('2026-05-01'),
      dayBegins: Date.parse('2026-05-31T00:00:00Z'),
    });
    // 23:30 UTC on Sunday 31 May is 05:00 on Monday 1 June in Kolkata (+5:30): a new day, week and month.
    expect(localPeriods(AT, 'Asia/Kolkata')).toEqual({
      day: dayOf('2026-06-01'),
      week: dayOf('2026-06-01'),
      month: dayOf('2026-06-01'),
      dayBegins: Date.parse('2026-05-31T18:30:00Z'),
      weekBegins: Date.parse('2026-05-31T18:30:00Z'),
      monthBegins: Date.parse('2026-05-31T18:30:00Z'),
    });
    expect(localPeriods(new Date('1969-12-31T12:00:00Z'), 'UTC').week).toBe(dayOf('1969-12-29'));
  });
});

describe('rollup rules', () => {
  it('counts the streak length a claim reached, once per claim (not on its milestone bonus)', () => {
    const sums = new RollupSums();
    const metadata = JSON.stringify({ faucet: 'daily', streak: 'daily', streakLength: 7 });
    sums.addTransfer(transfer({ code: 'faucet.daily', metadata }), 'UTC');
    sums.addTransfer(transfer({ code: 'faucet.daily.milestone', metadata }), 'UTC');
    // Metadata any ledger.transfer could carry: a length that is not a whole positive number, another code.
    sums.addTransfer(transfer({ code: 'faucet.daily', metadata: metadata.replace('7', '1.5') }), 'UTC');
    sums.addTransfer(transfer({ code: 'faucet.work', metadata }), 'UTC');
    expect(rows(sums).filter((r) => r.startsWith('streak'))).toEqual(['streak daily:7 0/1']);
  });

  it('keeps each sum again per quarter of an hour past its first, for zones whose midnight cuts an hour', () => {
    const sums = new RollupSums();
    const addTransfer = (t: StoredTransfer) => sums.addTransfer(t, 'Asia/Kolkata');
    const hour = hourBucket(AT);
    addTransfer(transfer({ createdAt: new Date('2026-05-31T23:00:00Z') })); // quarter 0: the hour only
    addTransfer(transfer({ createdAt: new Date('2026-05-31T23:14:59.999Z') }));
    addTransfer(transfer({ createdAt: new Date('2026-05-31T23:15:00Z'), amount: 2n }));
    addTransfer(transfer({ createdAt: AT, amount: 3n })); // 23:30, quarter 2
    addTransfer(transfer({ createdAt: new Date('2026-05-31T23:59:59Z'), from: 'user:1', to: 'user:2' }));
    const quarters = sums
      .values()
      .filter((r) => r.metric.endsWith('.q'))
      .map(
        ({ bucket, metric, key, amount, count }) =>
          `${bucket - hour * 4} ${metric} ${key} ${amount}/${count}`,
      )
      .sort();
    expect(quarters).toEqual([
      `1 ${RollupMetric.mintedQuarter} faucet.daily 2/1`,
      `1 ${RollupMetric.volumeQuarter}  2/1`,
      `2 ${RollupMetric.mintedQuarter} faucet.daily 3/1`,
      `2 ${RollupMetric.volumeQuarter}  3/1`,
      `3 ${RollupMetric.p2pQuarter}  10/1`,
      `3 ${RollupMetric.volumeQuarter}  10/1`,
    ]);
    expect(rows(sums)).toContain(`${RollupMetric.minted} faucet.daily 25/4`);
  });

  it('keeps no quarter rows in a zone a whole number of hours off UTC, whose midnights cut no hour', () => {
    for (const zone of ['UTC', 'Europe/Berlin', 'America/New_York']) {
      const sums = new RollupSums();
      sums.addTransfer(transfer({ createdAt: AT }), zone);
      sums.addTransfer(
        transfer({ createdAt: new Date('2026-05-31T23:59:59Z'), from: 'user:1', to: 'user:2' }),
        zone,
      );
      expect(sums.values().filter((r) => r.metric.endsWith('.q'))).toEqual([]);
    }
    for (const zone of ['Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham']) {
      const sums = new RollupSums();
      sums.addTransfer(transfer({ createdAt: AT }), zone);
      expect(
        sums.values().some((r) => r.metric.endsWith('.q')),
        zone,
      ).toBe(true);
    }
  });

  it('names a source by its code, and a reversal by the system account it returns to or comes from', () => {
    expect(sourceOf({ code: 'faucet.work', from: 'faucet:work', to: 'user:1' })).toBe('faucet.work');
    expect(sourceOf({ code: 'reversal', from: 'user:1', to: 'faucet:work' })).toBe('reversal:faucet:work');
    expect(sourceOf({ code: 'reversal', from: 'sink:shop', to: 'user:1' })).toBe('reversal:sink:shop');
  });

  it('counts money into and out of members by source, volume, games and shop sales', () => {
    const sums = new RollupSums();
    for (const t of [
      {},
      { from: 'user:1', to: 'user:2', code: 'transfer.p2p', amount: 4n },
      { from: 'user:1', to: 'sink:tax', code: 'sink.tax', amount: 1n },
      { from: 'user:1', to: 'house:dice', code: 'game.dice.bet', amount: 3n },
      { from: 'house:dice', to: 'user:1', code: 'game.dice.payout', amount: 6n },
      // A multi-step round: the stake goes to escrow, the settle (system to system) moves no member money.
      { from: 'user:2', to: 'system:escrow', code: 'game.blackjack.stake', amount: 5n },
      { from: 'system:escrow', to: 'house:blackjack', code: 'game.blackjack.settle', amount: 5n },
      {
        from: 'user:2',
        to: 'sink:shop',
        code: 'sink.shop',
        amount: 20n,
        metadata: '{"item":"cookie","quantity":2}',
      },
    ])
      sums.addTransfer(transfer(t), 'UTC');
    expect(rows(sums)).toEqual(
      [
        'burn game.blackjack.stake 5/1',
        'burn game.dice.bet 3/1',
        'burn sink.shop 20/1',
        'burn sink.tax 1/1',
        'mint faucet.daily 10/1',
        'mint game.dice.payout 6/1',
        'p2p  4/1',
        'payout dice 6/1',
        'rounds blackjack 0/1',
        'rounds dice 0/1',
        'shop cookie 20/2',
        'volume  49/7',
        'wager blackjack 5/1',
        'wager dice 3/1',
      ].sort(),
    );
  });

  it('takes shop units only from a whole positive quantity (any transfer may carry the code)', () => {
    const sums = new RollupSums();
    for (const metadata of ['{"item":"cake","quantity":1.5}', '{"quantity":-3}', '["x"]', null]) {
      sums.addTransfer(
        transfer({ from: 'user:1', to: 'sink:shop', code: 'sink.shop', amount: 2n, metadata }),
        'UTC',
      );
    }
    expect(rows(sums).filter((r) => r.startsWith('shop'))).toEqual(['shop  6/3', 'shop cake 2/1']);
  });

  it('counts a member once per local day, week and month, and as new only on their first move', () => {
    const sums = new RollupSums();
    sums.addActivity('t', 'UTC', null, AT);
    sums.addActivity('t', 'UTC', AT, new Date(AT.getTime() + 10 * 60_000)); // same day: nothing
    sums.addActivity('t', 'UTC', AT, new Date('2026-06-01T00:30:00Z')); // Monday 1 June: day, week, month
    sums.addActivity('t', 'UTC', new Date('2026-06-01T00:30:00Z'), new Date('2026-06-02T08:00:00Z')); // day only
    // In Kolkata 23:30 and 00:30 UTC fall on one local day (Monday 1 June, from 18:30 UTC on the 31st).
    sums.addActivity('k', 'Asia/Kolkata', null, AT);
    sums.addActivity('k', 'Asia/Kolkata', AT, new Date('2026-06-01T00:30:00Z'));
    const day = (bucket: number) => new Date(bucket * DAY_MS).toISOString().slice(0, 10);
    const utc = (metric: string, ...days: string[]) => days.map((d) => ['t', metric, 'UTC', d, 1n]);
    expect(
      sums
        .values()
        .map((r) => [r.tenant, r.metric, r.key, day(r.bucket), r.count])
        .sort(),
    ).toEqual(
      [
        ...utc(RollupMetric.activeDay, '2026-05-31', '2026-06-01', '2026-06-02'),
        ...utc(RollupMetric.activeWeek, '2026-05-25', '2026-06-01'),
        ...utc(RollupMetric.activeMonth, '2026-05-01', '2026-06-01'),
        ...utc(RollupMetric.newMembers, '2026-05-31'),
        // Kolkata: one local day, its week and month, and new.
        ...[
          RollupMetric.activeDay,
          RollupMetric.activeWeek,
          RollupMetric.activeMonth,
          RollupMetric.newMembers,
        ].map((metric) => ['k', metric, 'Asia/Kolkata', '2026-06-01', 1n]),
      ].sort(),
    );
  });
});
