import { describe, expect, it } from 'vitest';
import { plainUnits, toCsv } from './csv';
import { priceIndex } from './price-index';
import { resolveRange, withinHistory } from './range';
import { rtpBand } from './rtp-band';

describe('CSV', () => {
  it('quotes what needs quoting (RFC 4180) and ends lines with CRLF', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          [1n, null],
        ],
      ),
    ).toBe('a,b\r\n"x,y","say ""hi"""\r\n1,\r\n');
  });

  it('writes amounts in major units with the currency decimals, exactly', () => {
    expect(plainUnits(123_456n, 2)).toBe('1234.56');
    expect(plainUnits(-5n, 2)).toBe('-0.05');
    expect(plainUnits(9_223_372_036_854_775_807n, 0)).toBe('9223372036854775807');
  });
});

describe('report helpers', () => {
  it('price index: the previous basket at current prices (100 = unchanged)', () => {
    const previous = [
      { item: 'badge', units: 10, coins: 1_000n },
      { item: 'cookie', units: 5, coins: 50n },
    ];
    const current = [
      { item: 'badge', units: 2, coins: 220n }, // 110 each, was 100
      { item: 'cookie', units: 1, coins: 10n }, // unchanged
    ];
    // (110·10 + 10·5) / (1000 + 50) = 1150 / 1050 = 109.5
    expect(priceIndex(current, previous)).toBe(109.5);
    expect(priceIndex(current, [])).toBeNull();
  });

  it('RTP band narrows with rounds and is absent before any', () => {
    expect(rtpBand('coinflip', 0.98, 0)).toBeNull();
    const few = rtpBand('coinflip', 0.98, 100)!;
    const many = rtpBand('coinflip', 0.98, 10_000)!;
    expect(few.high - few.low).toBeGreaterThan(many.high - many.low);
    expect(many.low).toBeLessThan(0.98);
    expect(many.high).toBeGreaterThan(0.98);
  });

  it('ranges: the last N days, a calendar month (cut at now), and the range before', () => {
    const now = new Date('2026-03-15T09:00:00Z');
    const last7 = resolveRange({ days: 7 }, now);
    expect(last7.from.toISOString()).toBe('2026-03-09T09:00:00.000Z');
    expect(last7.label).toBe('Last 7 days');
    const march = resolveRange({ days: 30, month: '2026-03' }, now);
    expect([march.from.toISOString(), march.to]).toEqual(['2026-03-01T12:00:00.000Z', now]);
    const feb = resolveRange({ days: 30, month: '2026-02' }, now);
    expect(feb.to.toISOString()).toBe('2026-02-28T12:00:00.000Z');
    expect(feb.previous.to.toISOString()).toBe('2026-01-31T12:00:00.000Z');
  });
});

describe('plan history', () => {
  it('cuts a range to the days the plan keeps, and says so', () => {
    const now = new Date('2026-03-15T09:00:00Z');
    const year = resolveRange({ days: 365 }, now);
    const cut = withinHistory(year, 30, now);
    expect(cut.from.toISOString()).toBe('2026-02-14T09:00:00.000Z');
    expect(cut.limitedTo).toBe(30);
    expect(withinHistory(resolveRange({ days: 30 }, now), 30, now).limitedTo).toBeNull();
  });
});
