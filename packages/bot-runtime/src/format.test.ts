import { MAX_AMOUNT } from '@guildmint/sdk';
import { describe, expect, it } from 'vitest';
import { RuntimeError } from './errors.js';
import {
  formatAmount,
  formatBps,
  formatDelta,
  formatMultiplier,
  formatNumber,
  parseAmount,
  parseSince,
  relativeTime,
} from './format.js';

const coins = { symbol: '🪙', name: 'Coins', decimals: 0 };
const dollars = { symbol: '$', name: 'Dollars', decimals: 2 };

describe('formatting money', () => {
  it('groups thousands and places the decimals exactly, for any bigint', () => {
    expect(formatNumber(0n, 0)).toBe('0');
    expect(formatNumber(1234567n, 0)).toBe('1,234,567');
    expect(formatNumber(5n, 2)).toBe('0.05');
    expect(formatNumber(123456789n, 2)).toBe('1,234,567.89');
    expect(formatNumber(-1050n, 2)).toBe('-10.50');
    expect(formatNumber(MAX_AMOUNT, 4)).toBe('922,337,203,685,477.5807');
    expect(formatAmount(2500n, coins)).toBe('🪙 2,500');
    expect(formatAmount(1999n, dollars)).toBe('$ 19.99');
    expect(formatDelta(48n, coins)).toBe('+🪙 48');
    expect(formatDelta(-50n, coins)).toBe('-🪙 50');
  });

  it('parses what members type into minor units', () => {
    expect(parseAmount(250, 0)).toBe(250n);
    expect(parseAmount('1,000', 0)).toBe(1000n);
    expect(parseAmount('12.5', 2)).toBe(1250n);
    expect(parseAmount('12', 2)).toBe(1200n);
    expect(parseAmount(' 0.01 ', 2)).toBe(1n);
    expect(parseAmount(MAX_AMOUNT.toString(), 0)).toBe(MAX_AMOUNT);
  });

  it('refuses, saying what to type, anything that is not a positive amount of this currency', () => {
    const refused = (input: string | number, decimals: number) => {
      try {
        parseAmount(input, decimals, 'bet');
      } catch (error) {
        expect(error).toBeInstanceOf(RuntimeError);
        return (error as RuntimeError).message;
      }
      throw new Error(`${input} was accepted`);
    };
    expect(refused('12.5', 0)).toBe('`bet` must be a whole number, for example 250.');
    expect(refused('1.234', 2)).toBe('`bet` can have at most 2 decimals, for example 12.50.');
    expect(refused('0', 0)).toMatch(/greater than zero/);
    expect(refused('-5', 0)).toMatch(/positive number/);
    expect(refused('1e3', 0)).toMatch(/positive number/);
    expect(refused('abc', 0)).toMatch(/positive number/);
    expect(refused(1.5, 0)).toMatch(/whole number/);
    expect(refused((MAX_AMOUNT + 1n).toString(), 0)).toMatch(/too large/);
  });

  it('formats times, multipliers and rates for Discord', () => {
    expect(relativeTime(new Date(1_700_000_000_500))).toBe('<t:1700000000:R>');
    expect(formatMultiplier(10_000)).toBe('×1');
    expect(formatMultiplier(10_500)).toBe('×1.05');
    expect(formatMultiplier(15_000)).toBe('×1.5');
    expect(formatBps(250)).toBe('2.5 %');
    expect(formatBps(-1200)).toBe('-12 %');
  });

  it('reads rollback windows as durations or past dates', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    expect(parseSince('2h', now).toISOString()).toBe('2026-03-10T10:00:00.000Z');
    expect(parseSince('90m', now).toISOString()).toBe('2026-03-10T10:30:00.000Z');
    expect(parseSince('1w', now).toISOString()).toBe('2026-03-03T12:00:00.000Z');
    expect(parseSince('2026-03-01', now).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(() => parseSince('2027-01-01', now)).toThrow(RuntimeError);
    expect(() => parseSince('yesterday', now)).toThrow(/duration such as 30m/);
  });
});
