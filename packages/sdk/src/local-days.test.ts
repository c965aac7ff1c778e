import { runInNewContext } from 'node:vm';
import { TZDate } from '@date-fns/tz';
import { describe, expect, it } from 'vitest';
import { isGuildmintError } from './errors.js';
import { dayEnd, dayNumber, dayStart } from './local-days.js';

const HOUR = 3_600_000;
const utc = (iso: string) => new Date(iso);
/** Day number of a calendar date, independent of any zone. */
const civil = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

describe('dayNumber', () => {
  it('counts UTC days from 1970-01-01, negative before it', () => {
    expect(dayNumber(utc('1970-01-01T00:00:00Z'), 'UTC')).toBe(0);
    expect(dayNumber(utc('1970-01-01T23:59:59.999Z'), 'UTC')).toBe(0);
    expect(dayNumber(utc('1970-01-02T00:00:00Z'), 'UTC')).toBe(1);
    expect(dayNumber(utc('1969-12-31T23:59:59.999Z'), 'UTC')).toBe(-1);
    expect(dayNumber(utc('2024-06-01T12:00:00Z'), 'UTC')).toBe(civil('2024-06-01'));
  });

  // Each row: the last minute of 1 June 2024 and the first minute of 2 June, local time, as UTC instants.
  it.each([
    ['UTC', '2024-06-01T23:59:00Z', '2024-06-02T00:00:00Z'],
    ['America/New_York', '2024-06-02T03:59:00Z', '2024-06-02T04:00:00Z'], // EDT, −04:00
    ['Europe/Berlin', '2024-06-01T21:59:00Z', '2024-06-01T22:00:00Z'], // CEST, +02:00
    ['Australia/Lord_Howe', '2024-06-01T13:29:00Z', '2024-06-01T13:30:00Z'], // standard, +10:30
    ['Asia/Kolkata', '2024-06-01T18:29:00Z', '2024-06-01T18:30:00Z'], // +05:30
  ])('turns over at local midnight in %s', (zone, lastMinute, firstMinute) => {
    expect(dayNumber(utc(lastMinute), zone)).toBe(civil('2024-06-01'));
    expect(dayNumber(utc(firstMinute), zone)).toBe(civil('2024-06-02'));
  });

  it('puts one instant on different days in different zones', () => {
    const instant = utc('2024-06-01T20:00:00Z');
    expect(dayNumber(instant, 'America/New_York')).toBe(civil('2024-06-01'));
    expect(dayNumber(instant, 'Asia/Kolkata')).toBe(civil('2024-06-02'));
  });

  it('takes a Date of another realm (a writer thread gets clones; its global Date may be replaced)', () => {
    const foreign = runInNewContext('new Date(Date.UTC(2024, 5, 1, 12))') as Date;
    expect(foreign instanceof Date).toBe(false);
    expect(dayNumber(foreign, 'UTC')).toBe(civil('2024-06-01'));
    expect(() => dayNumber({ getTime: () => 0 } as unknown as Date, 'UTC')).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });

  it('rejects an unknown time zone and an invalid Date with INVALID_INPUT', () => {
    expect(() => dayNumber(utc('2024-06-01T00:00:00Z'), 'Mars/Olympus')).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => dayNumber(new Date(Number.NaN), 'UTC')).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    let thrown: unknown;
    try {
      dayStart(0, 'Not/AZone');
    } catch (error) {
      thrown = error;
    }
    expect(isGuildmintError(thrown, 'INVALID_INPUT')).toBe(true);
  });
});

describe('dayStart / dayEnd', () => {
  // Local days whose length is not 24 hours: both DST transitions of each zone in 2024.
  it.each([
    ['America/New_York', '2024-03-10', 23, '2024-03-10T05:00:00Z'],
    ['America/New_York', '2024-11-03', 25, '2024-11-03T04:00:00Z'],
    ['Europe/Berlin', '2024-03-31', 23, '2024-03-30T23:00:00Z'],
    ['Europe/Berlin', '2024-10-27', 25, '2024-10-26T22:00:00Z'],
    ['Australia/Lord_Howe', '2024-10-06', 23.5, '2024-10-05T13:30:00Z'],
    ['Australia/Lord_Howe', '2024-04-07', 24.5, '2024-04-06T13:00:00Z'],
    // DST begins at midnight here: 00:00 does not exist, the day begins at 01:00 (−03:00).
    ['America/Santiago', '2024-09-08', 23, '2024-09-08T04:00:00Z'],
    ['Asia/Kolkata', '2024-03-31', 24, '2024-03-30T18:30:00Z'],
    ['UTC', '2024-03-31', 24, '2024-03-31T00:00:00Z'],
  ])('%s %s lasts %d hours from %s', (zone, date, hours, start) => {
    const day = civil(date);
    expect(dayStart(day, zone).toISOString()).toBe(new Date(start).toISOString());
    expect(dayEnd(day, zone).getTime() - dayStart(day, zone).getTime()).toBe(hours * HOUR);
  });

  it('answers a day start it found before exactly as the rules do, days around DST included', () => {
    for (const [zone, date] of [
      ['Europe/Berlin', '2024-03-31'],
      ['Europe/Berlin', '2024-10-27'],
      ['Australia/Lord_Howe', '2024-10-06'],
      ['America/Santiago', '2024-09-08'],
    ] as const) {
      const day = civil(date);
      const days = [day - 1, day, day + 1, day + 2];
      // Each start found once from the zone's rules, checked against TZDate…
      const first = days.map((d) => dayStart(d, zone).getTime());
      const civilDay = new Date(day * 86_400_000);
      expect(first[1]).toBe(
        new TZDate(civilDay.getUTCFullYear(), civilDay.getUTCMonth(), civilDay.getUTCDate(), zone).getTime(),
      );
      // …and again, now remembered: the same instants, each a Date of its own that a caller may change.
      const again = days.map((d) => dayStart(d, zone));
      expect(again.map((d) => d.getTime())).toEqual(first);
      again[1]!.setTime(0);
      expect(dayStart(day, zone).getTime()).toBe(first[1]);
      expect(days.map((d) => dayEnd(d - 1, zone).getTime())).toEqual(first);
    }
  });

  it.each([
    'UTC',
    'America/New_York',
    'Europe/Berlin',
    'Australia/Lord_Howe',
    'Asia/Kolkata',
    'America/Santiago',
  ])('round-trips every day of 2024 in %s', (zone) => {
    for (let day = civil('2024-01-01'); day <= civil('2024-12-31'); day++) {
      const start = dayStart(day, zone);
      const end = dayEnd(day, zone);
      expect(dayNumber(start, zone)).toBe(day);
      expect(dayNumber(new Date(end.getTime() - 1), zone)).toBe(day);
      expect(dayNumber(end, zone)).toBe(day + 1);
    }
  });

  it('agrees with TZDate on local midnight', () => {
    const zone = 'Australia/Lord_Howe';
    const midnight = new TZDate(2024, 9, 7, zone); // 7 October 2024, the day after DST began
    expect(dayStart(civil('2024-10-07'), zone).getTime()).toBe(midnight.getTime());
  });
});
