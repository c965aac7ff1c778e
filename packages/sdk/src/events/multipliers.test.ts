import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { eventSchema } from '../config/schema.js';
import {
  activeEvents,
  activeMultiplierBps,
  applyMultiplier,
  combineMultipliers,
  MAX_COMBINED_MULTIPLIER_BPS,
} from './multipliers.js';

const event = (input: Omit<z.input<typeof eventSchema>, 'name'>) =>
  eventSchema.parse({ name: input.id, ...input });
const at = (iso: string) => new Date(iso);
const before = (iso: string) => new Date(Date.parse(iso) - 1);

// double: ×2 on the daily faucet for 1 June (UTC). weekend: ×1.5 on daily, work and dice, from 10:00 UTC
// on 1 June (written with a +02:00 offset) to 3 June. jackpot: ×3 on slots, same window as double.
const double = event({
  id: 'double',
  startsAt: '2024-06-01T00:00:00Z',
  endsAt: '2024-06-02T00:00:00Z',
  multiplierBps: 20_000,
  faucets: ['daily'],
});
const weekend = event({
  id: 'weekend',
  startsAt: '2024-06-01T12:00:00+02:00',
  endsAt: '2024-06-03T00:00:00Z',
  multiplierBps: 15_000,
  faucets: ['daily', 'work'],
  games: ['dice'],
});
const jackpot = event({
  id: 'jackpot',
  startsAt: '2024-06-01T00:00:00Z',
  endsAt: '2024-06-02T00:00:00Z',
  multiplierBps: 30_000,
  games: ['slots'],
});
const events = [double, weekend, jackpot];

describe('activeEvents', () => {
  it('includes the start and excludes the end', () => {
    expect(activeEvents([double], before('2024-06-01T00:00:00Z'))).toEqual([]);
    expect(activeEvents([double], at('2024-06-01T00:00:00Z'))).toEqual([double]);
    expect(activeEvents([double], before('2024-06-02T00:00:00Z'))).toEqual([double]);
    expect(activeEvents([double], at('2024-06-02T00:00:00Z'))).toEqual([]);
  });

  it('reads offsets in the event times', () => {
    expect(activeEvents([weekend], before('2024-06-01T10:00:00Z'))).toEqual([]);
    expect(activeEvents([weekend], at('2024-06-01T10:00:00Z'))).toEqual([weekend]);
  });

  it('lists every running event in config order, whatever it targets', () => {
    expect(activeEvents(events, at('2024-06-01T12:00:00Z'))).toEqual([double, weekend, jackpot]);
    expect(activeEvents(events, at('2024-06-02T00:00:00Z'))).toEqual([weekend]);
    expect(activeEvents([], at('2024-06-01T12:00:00Z'))).toEqual([]);
  });

  it('rejects an invalid Date', () => {
    expect(() => activeEvents(events, new Date(Number.NaN))).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});

describe('activeMultiplierBps', () => {
  it('is ×1 outside every window and at the exact end', () => {
    expect(activeMultiplierBps(events, { faucet: 'daily' }, before('2024-06-01T00:00:00Z'))).toBe(10_000);
    expect(activeMultiplierBps(events, { faucet: 'daily' }, at('2024-06-03T00:00:00Z'))).toBe(10_000);
    expect(activeMultiplierBps([], { game: 'dice' }, at('2024-06-01T12:00:00Z'))).toBe(10_000);
  });

  it('applies from the exact start', () => {
    expect(activeMultiplierBps(events, { faucet: 'daily' }, at('2024-06-01T00:00:00Z'))).toBe(20_000);
    expect(activeMultiplierBps(events, { faucet: 'daily' }, before('2024-06-01T10:00:00Z'))).toBe(20_000);
  });

  it('multiplies overlapping events, and drops each one at its end', () => {
    expect(activeMultiplierBps(events, { faucet: 'daily' }, at('2024-06-01T10:00:00Z'))).toBe(30_000);
    expect(activeMultiplierBps(events, { faucet: 'daily' }, before('2024-06-02T00:00:00Z'))).toBe(30_000);
    expect(activeMultiplierBps(events, { faucet: 'daily' }, at('2024-06-02T00:00:00Z'))).toBe(15_000);
  });

  it('keeps faucets and games apart', () => {
    const now = at('2024-06-01T12:00:00Z');
    expect(activeMultiplierBps(events, { faucet: 'work' }, now)).toBe(15_000);
    expect(activeMultiplierBps(events, { game: 'dice' }, now)).toBe(15_000);
    expect(activeMultiplierBps(events, { game: 'slots' }, now)).toBe(30_000);
    expect(activeMultiplierBps(events, { game: 'coinflip' }, now)).toBe(10_000);
    expect(activeMultiplierBps(events, { faucet: 'dice' }, now)).toBe(10_000);
    expect(activeMultiplierBps(events, { game: 'daily' }, now)).toBe(10_000);
  });

  it('floors the combined multiplier once, whatever the order', () => {
    const window = { startsAt: '2024-06-01T00:00:00Z', endsAt: '2024-06-02T00:00:00Z', faucets: ['daily'] };
    const stacked = [15_000, 10_001, 15_000].map((multiplierBps, i) =>
      event({ id: `e${i}`, multiplierBps, ...window }),
    );
    const now = at('2024-06-01T12:00:00Z');
    // 1.5 × 1.0001 × 1.5 = 2.250225 → 22502 bps (flooring after each step would give 22501).
    expect(activeMultiplierBps(stacked, { faucet: 'daily' }, now)).toBe(22_502);
    expect(activeMultiplierBps([...stacked].reverse(), { faucet: 'daily' }, now)).toBe(22_502);
  });
});

describe('combineMultipliers', () => {
  it('is ×1 for none and the value itself for one', () => {
    expect(combineMultipliers([])).toBe(10_000);
    expect(combineMultipliers([12_345])).toBe(12_345);
  });

  it('floors: 1.5 × 1.0001 = 1.50015 → 15001 bps; 0.3333² → 1110 bps', () => {
    expect(combineMultipliers([15_000, 10_001])).toBe(15_001);
    expect(combineMultipliers([3333, 3333])).toBe(1110);
  });

  it('caps at ×100', () => {
    expect(combineMultipliers([1_000_000, 1_000_000])).toBe(MAX_COMBINED_MULTIPLIER_BPS);
    expect(combineMultipliers([500_000, 20_000])).toBe(1_000_000);
    expect(combineMultipliers([500_000, 19_999])).toBe(999_950);
  });

  it('rejects a multiplier that is not whole, non-negative bps', () => {
    for (const bps of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => combineMultipliers([bps])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });
});

describe('applyMultiplier', () => {
  it('floors to whole minor units', () => {
    expect(applyMultiplier(101n, 15_000)).toBe(151n); // 151.5
    expect(applyMultiplier(1n, 9_999)).toBe(0n);
    expect(applyMultiplier(3n, 3_333)).toBe(0n);
    expect(applyMultiplier(7n, 10_000)).toBe(7n);
    expect(applyMultiplier(0n, 20_000)).toBe(0n);
    expect(applyMultiplier(100n, 0)).toBe(0n);
  });

  it('floors toward −∞ for negative amounts', () => {
    expect(applyMultiplier(-101n, 15_000)).toBe(-152n);
    expect(applyMultiplier(-100n, 15_000)).toBe(-150n);
  });

  it('is exact for the largest config amount at ×100', () => {
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    expect(applyMultiplier(max, MAX_COMBINED_MULTIPLIER_BPS)).toBe(max * 100n);
  });

  it('rejects a bad multiplier with INVALID_INPUT', () => {
    for (const bps of [-1, 0.5, Number.NaN]) {
      expect(() => applyMultiplier(100n, bps)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });
});
