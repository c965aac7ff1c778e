import { describe, expect, it } from 'vitest';
import { hourBucket, RollupMetric } from '../ledger/rollups.js';
import type { StoredRollup } from '../stores/types.js';
import { netIssuance, resolveWindow, supplySeries, velocitySeries, windowPeriods } from './report.js';

const row = (iso: string, metric: StoredRollup['metric'], amount: bigint, key = ''): StoredRollup => ({
  bucket: hourBucket(new Date(iso)),
  metric,
  key,
  amount,
  count: 1n,
});

describe('series over local days', () => {
  const now = new Date('2026-06-03T12:00:00Z');

  it('walks the supply back from now through the days after the window', () => {
    const w = resolveWindow(
      { from: new Date('2026-06-01T00:00:00Z'), to: new Date('2026-06-02T00:00:00Z') },
      now,
      'UTC',
    );
    const rows = [
      row('2026-06-01T10:00:00Z', RollupMetric.minted, 100n),
      row('2026-06-02T10:00:00Z', RollupMetric.minted, 50n),
      row('2026-06-02T11:00:00Z', RollupMetric.burned, 20n),
      row('2026-06-03T09:00:00Z', RollupMetric.minted, 5n), // after the window, before now
    ];
    // Now 135 = 100 + 50 − 20 + 5.
    expect(supplySeries(w, rows, 135n)).toEqual([
      { day: '2026-06-01', supply: 100n },
      { day: '2026-06-02', supply: 130n },
    ]);
  });

  it('velocity: volume over end-of-day supply per day, and volume × days over summed supply overall', () => {
    const w = resolveWindow(
      { from: new Date('2026-06-01T00:00:00Z'), to: new Date('2026-06-02T00:00:00Z') },
      now,
      'UTC',
    );
    const rows = [
      row('2026-06-01T10:00:00Z', RollupMetric.volume, 100n),
      row('2026-06-02T10:00:00Z', RollupMetric.volume, 300n),
    ];
    const v = velocitySeries(w, rows, [
      { day: '2026-06-01', supply: 200n },
      { day: '2026-06-02', supply: 200n },
    ]);
    expect(v.days.map((d) => d.velocityBps)).toEqual([5_000n, 15_000n]);
    expect(v.overall).toBe(2);
  });

  it('in a +5:30 zone, counts the hour that straddles local midnight for the earlier day', () => {
    // Kolkata midnight of 2 June is 18:30 UTC on 1 June: the 18:00 UTC hour starts on 1 June locally.
    const w = resolveWindow(
      { from: new Date('2026-06-01T00:00:00+05:30'), to: new Date('2026-06-02T12:00:00+05:30') },
      now,
      'Asia/Kolkata',
    );
    const rows = [
      row('2026-06-01T18:10:00Z', RollupMetric.minted, 7n), // 23:40 local on 1 June
      row('2026-06-01T18:50:00Z', RollupMetric.minted, 11n), // 00:20 local on 2 June, same UTC hour
      row('2026-06-01T19:00:00Z', RollupMetric.burned, 3n), // 00:30 local on 2 June
    ];
    expect(netIssuance(w, rows)).toEqual([
      { day: '2026-06-01', minted: 18n, burned: 0n, net: 18n },
      { day: '2026-06-02', minted: 0n, burned: 3n, net: -3n },
    ]);
  });
});

describe('local days as SQL period branches', () => {
  /** What the SQL CASE computes for an hour: the first branch it is below, else `after`. */
  const periodOf = (periods: NonNullable<ReturnType<typeof windowPeriods>>, bucket: number) => {
    const b = periods.branches.find((x) => bucket < x.end);
    return b ? Math.trunc((bucket * b.scale + b.shift) / 24) : periods.after;
  };

  it.each([
    ['America/New_York', '2026-01-05T12:00:00Z', 365], // both clock changes of 2026
    ['Europe/London', '2026-03-20T12:00:00Z', 30], // clocks forward on 29 March
    ['Europe/London', '2026-10-15T12:00:00Z', 30], // clocks back on 25 October: a 25-hour day
    ['Asia/Kolkata', '2026-01-01T12:00:00Z', 90], // +5:30
    ['America/St_Johns', '2026-02-20T12:00:00Z', 365], // −3:30 with daylight time
    ['Asia/Kathmandu', '2026-05-01T12:00:00Z', 7], // +5:45
    ['Australia/Lord_Howe', '2026-03-01T12:00:00Z', 90], // a half-hour daylight shift
  ])('%s from %s over %i days: every hour lands on the day the hourly read gives it', (zone, from, days) => {
    const start = new Date(from);
    const to = new Date(start.getTime() + (days - 1) * 86_400_000);
    const w = resolveWindow({ from: start, to }, to, zone);
    const periods = windowPeriods(w);
    expect(periods).not.toBeNull();
    for (let bucket = w.fromBucket; bucket < w.toBucket + 48; bucket++) {
      // The hourly path: the last day start not after the hour (past the window: the day after it).
      let i = w.starts.length - 1;
      while (w.starts[i]! > bucket) i--;
      const expected = i < w.days.length ? w.days[i]! : w.days[w.days.length - 1]! + 1;
      expect(periodOf(periods!, bucket)).toBe(expected);
    }
  });

  it('gives up on a range whose clock changes need more branches than a statement has', () => {
    const to = new Date('2030-01-01T00:00:00Z');
    const w = resolveWindow({ from: new Date('2026-01-01T00:00:00Z'), to }, to, 'Europe/London');
    expect(windowPeriods(w)).toBeNull();
    expect(windowPeriods(resolveWindow({ from: new Date('2026-01-01T00:00:00Z'), to }, to, 'UTC'))).toEqual({
      branches: [{ end: w.toBucket, scale: 1, shift: 0 }],
      after: w.days[w.days.length - 1]! + 1,
    });
  });
});
