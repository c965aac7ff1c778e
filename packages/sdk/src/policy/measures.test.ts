import { describe, expect, it } from 'vitest';
import {
  activeCounts,
  addDays,
  type DailyPoint,
  dailySeries,
  flowEffect,
  gini,
  ratioBps,
  roundedRatio,
  sumWindows,
  utcDay,
  velocity,
} from './measures.js';

const row = (day: string, account: string, credit: bigint, debit: bigint) => ({
  day,
  account,
  credit,
  debit,
});

describe('UTC days', () => {
  it('names the UTC day of a moment, whatever the offset it was written with', () => {
    expect(utcDay(new Date('2024-03-01T23:59:59.999Z'))).toBe('2024-03-01');
    expect(utcDay(new Date('2024-03-02T00:30:00+02:00'))).toBe('2024-03-01');
  });

  it('moves across month, leap-day and year ends', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2023-12-31', 1)).toBe('2024-01-01');
    expect(addDays('2024-02-10', -29)).toBe('2024-01-12');
  });
});

describe('sumWindows', () => {
  const today = '2024-02-10';
  it('sums today, the 7 and the 30 days ending today, inclusive at both ends', () => {
    const values = [
      { day: '2024-02-10', value: 1n },
      { day: '2024-02-04', value: 10n }, // today − 6: inside the week
      { day: '2024-02-03', value: 100n }, // today − 7: outside it
      { day: '2024-01-12', value: 1_000n }, // today − 29: inside the 30 days
      { day: '2024-01-11', value: 10_000n }, // today − 30: outside everything
    ];
    expect(sumWindows(values, today)).toEqual({ today: 1n, last7Days: 11n, last30Days: 1_111n });
  });

  it('counts a day after today (a clock running ahead) as today, and nets negative values', () => {
    const values = [
      { day: '2024-02-11', value: 5n },
      { day: '2024-02-10', value: -2n },
    ];
    expect(sumWindows(values, today)).toEqual({ today: 3n, last7Days: 3n, last30Days: 3n });
  });

  it('is all zeros with no rows', () => {
    expect(sumWindows([], today)).toEqual({ today: 0n, last7Days: 0n, last30Days: 0n });
  });
});

describe('flowEffect', () => {
  it('mints what leaves a faucet, net of reversals back into it', () => {
    expect(flowEffect(row('d', 'faucet:daily', 10n, 100n))).toEqual({
      minted: 90n,
      burned: 0n,
      toMembers: 90n,
      volume: 0n,
    });
  });
  it('burns what enters a sink, net of what left it; only the shop counts as spending', () => {
    expect(flowEffect(row('d', 'sink:tax', 50n, 5n))).toEqual({
      minted: 0n,
      burned: 45n,
      toMembers: -45n,
      volume: 0n,
    });
    expect(flowEffect(row('d', 'sink:shop', 50n, 0n))).toEqual({
      minted: 0n,
      burned: 50n,
      toMembers: -50n,
      volume: 50n,
    });
  });
  it('counts both directions of a game as turnover and the house result against members', () => {
    expect(flowEffect(row('d', 'house:dice', 100n, 180n))).toEqual({
      minted: 0n,
      burned: 0n,
      toMembers: 80n,
      volume: 280n,
    });
  });
  it('takes member-to-member volume as turnover that changes no total', () => {
    expect(flowEffect(row('d', 'users', 70n, 0n))).toEqual({
      minted: 0n,
      burned: 0n,
      toMembers: 0n,
      volume: 70n,
    });
  });
});

describe('dailySeries', () => {
  it('walks the supply back from today by each day’s net change to members', () => {
    const rows = [
      row('2024-01-01', 'faucet:admin', 0n, 1_000n),
      row('2024-02-09', 'faucet:daily', 0n, 100n),
      row('2024-02-10', 'sink:tax', 10n, 0n),
      row('2024-02-10', 'users', 100n, 0n),
      row('2024-02-10', 'faucet:daily', 0n, 50n),
    ];
    const series = dailySeries(rows, 1_140n, '2024-02-10', 3);
    expect(series.points).toEqual<DailyPoint[]>([
      { day: '2024-02-08', minted: 0n, burned: 0n, netEmission: 0n, volume: 0n, supply: 1_000n },
      { day: '2024-02-09', minted: 100n, burned: 0n, netEmission: 100n, volume: 0n, supply: 1_100n },
      { day: '2024-02-10', minted: 50n, burned: 10n, netEmission: 40n, volume: 100n, supply: 1_140n },
    ]);
    expect(series.supplyBefore).toBe(1_000n);
    expect(series.firstDay).toBe('2024-01-01');
  });

  it('has no first day when nothing ever moved', () => {
    const series = dailySeries([], 0n, '2024-02-10');
    expect(series.points).toHaveLength(30);
    expect(series.points[0]!.day).toBe('2024-01-12');
    expect(series.firstDay).toBeUndefined();
  });
});

describe('ratios', () => {
  it('gives basis points truncated toward zero, none without a positive base', () => {
    expect(ratioBps(1n, 3n)).toBe(3_333n);
    expect(ratioBps(2n, 3n)).toBe(6_666n);
    expect(ratioBps(-2n, 3n)).toBe(-6_666n);
    expect(ratioBps(60n, 2_760n)).toBe(217n); // 217.39…
    expect(ratioBps(5n, 0n)).toBeUndefined();
    expect(ratioBps(5n, -1n)).toBeUndefined();
  });

  it('rounds statistics half up at the stated decimals', () => {
    expect(roundedRatio(1n, 8n, 2)).toBe(0.13);
    expect(roundedRatio(1n, 3n, 2)).toBe(0.33);
    expect(roundedRatio(2n, 3n, 4)).toBe(0.6667);
    expect(roundedRatio(0n, 7n, 2)).toBe(0);
  });
});

describe('gini', () => {
  it('is 0 when everyone holds the same, and for no one or nothing', () => {
    expect(gini([5n, 5n, 5n, 5n])).toBe(0);
    expect(gini([])).toBe(0);
    expect(gini([0n, 0n])).toBe(0);
    expect(gini([42n])).toBe(0);
  });

  it('tends to 1 when one member holds everything: (n−1)/n', () => {
    expect(gini([0n, 0n, 0n, 100n])).toBe(0.75);
    expect(gini([...Array.from({ length: 999 }, () => 0n), 1n])).toBe(0.999);
  });

  it('matches the textbook value and ignores order', () => {
    expect(gini([1n, 2n, 3n, 4n])).toBe(0.25);
    expect(gini([4n, 1n, 3n, 2n])).toBe(0.25);
  });

  it('counts debts as nothing held and stays exact beyond 2^53', () => {
    expect(gini([-5n, 0n, 10n])).toBe(0.6667);
    expect(gini([2n ** 62n, 2n ** 62n])).toBe(0);
    expect(gini([0n, 2n ** 62n])).toBe(0.5);
  });
});

describe('velocity', () => {
  const point = (day: string, volume: bigint, supply: bigint): DailyPoint => ({
    day,
    minted: 0n,
    burned: 0n,
    netEmission: 0n,
    volume,
    supply,
  });

  it('divides turnover by the average supply over the days the economy existed', () => {
    const points = [
      point('2024-02-08', 0n, 0n),
      point('2024-02-09', 300n, 1_000n),
      point('2024-02-10', 100n, 1_000n),
    ];
    // Before the first flow nothing existed: 400 / ((1000 + 1000) / 2) = 0.4, not 400 / (2000 / 3).
    expect(velocity(points, '2024-02-09')).toBe(0.4);
    expect(velocity(points, '2024-02-08')).toBe(0.6);
  });

  it('is 0 with no history, no turnover or no supply', () => {
    expect(velocity([point('2024-02-10', 100n, 1_000n)], undefined)).toBe(0);
    expect(velocity([point('2024-02-10', 0n, 1_000n)], '2024-02-10')).toBe(0);
    expect(velocity([point('2024-02-10', 100n, 0n)], '2024-02-10')).toBe(0);
  });
});

describe('activeCounts', () => {
  it('counts rolling windows from now, each edge inclusive; never-active members in none', () => {
    const now = new Date('2024-02-10T12:00:00Z');
    const ago = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
    const activeAt = [
      ago(1),
      ago(24),
      ago(25),
      ago(7 * 24),
      ago(7 * 24 + 1),
      ago(30 * 24),
      ago(30 * 24 + 1),
      null,
    ];
    expect(activeCounts(activeAt, now)).toEqual({ day: 2, week: 4, month: 6 });
  });
});
