import { describe, expect, it } from 'vitest';
import { addInterval, nextPeriodEnd } from './billing.js';

const at = (iso: string) => Date.parse(iso) / 1000;

describe('addInterval (billing periods by calendar)', () => {
  it('adds months and years by calendar, keeping the time of day, and clamps to the last day of a short month', () => {
    expect(addInterval(at('2026-01-15T10:20:30Z'), 'month', 1)).toBe(at('2026-02-15T10:20:30Z'));
    expect(addInterval(at('2026-01-31T00:00:00Z'), 'month', 1)).toBe(at('2026-02-28T00:00:00Z'));
    expect(addInterval(at('2028-01-31T00:00:00Z'), 'month', 1)).toBe(at('2028-02-29T00:00:00Z'));
    expect(addInterval(at('2026-12-31T23:59:59Z'), 'month', 3)).toBe(at('2027-03-31T23:59:59Z'));
    expect(addInterval(at('2028-02-29T12:00:00Z'), 'year', 1)).toBe(at('2029-02-28T12:00:00Z'));
  });

  it('adds days and weeks as fixed seconds', () => {
    expect(addInterval(at('2026-03-28T00:00:00Z'), 'day', 2)).toBe(at('2026-03-30T00:00:00Z'));
    expect(addInterval(at('2026-03-28T00:00:00Z'), 'week', 2)).toBe(at('2026-04-11T00:00:00Z'));
  });
});

describe('nextPeriodEnd (renewals keep the anchor day)', () => {
  it('renews a subscription anchored on Jan 31 on Feb 28, then Mar 31, not Mar 28', () => {
    const monthly = { interval: 'month', interval_count: 1 };
    const anchor = at('2026-01-31T09:00:00Z');
    const feb = nextPeriodEnd(anchor, anchor, monthly);
    expect(feb).toBe(at('2026-02-28T09:00:00Z'));
    expect(nextPeriodEnd(anchor, feb, monthly)).toBe(at('2026-03-31T09:00:00Z'));
  });
});
