import { types } from 'node:util';
import { TZDate } from '@date-fns/tz';
import { invalidInput } from './errors.js';

/** Milliseconds in a UTC day; only used to number calendar dates, never to measure local days. */
const MS_PER_DAY = 86_400_000;

/**
 * The local calendar day of `instant` in `timeZone`, as days since 1970-01-01: a claim at 23:59 and one
 * at 00:00 local are one day apart whether that day had 23, 24 or 25 hours. The zone's rules (DST,
 * 30-minute shifts) come from `@date-fns/tz`; we only read the local year, month and date.
 */
export function dayNumber(instant: Date, timeZone: string): number {
  const ms = validTime(instant, 'instant');
  const known = knownDays.get(timeZone);
  if (known && ms >= known.start && ms < known.end) return known.day;
  const day = localDay(ms, timeZone);
  knownDays.set(timeZone, {
    day,
    start: dayStart(day, timeZone).getTime(),
    end: dayEnd(day, timeZone).getTime(),
  });
  return day;
}

/**
 * The last day numbered in each zone, with its bounds: most instants fall on the day before them, and
 * the zone's rules are costly to apply (a claim numbers its day on every call). One entry per zone used.
 */
const knownDays = new Map<string, { day: number; start: number; end: number }>();

function localDay(instantMs: number, timeZone: string): number {
  const local = new TZDate(instantMs, timeZone);
  const civil = new Date(0);
  civil.setUTCFullYear(local.getFullYear(), local.getMonth(), local.getDate());
  const ms = civil.getTime();
  if (Number.isNaN(ms))
    throw invalidInput(
      'timeZone',
      `must be an IANA time zone such as Europe/Berlin, got ${JSON.stringify(timeZone)}`,
    );
  // Exact: a UTC midnight is a whole number of days after the epoch (floored to say so).
  return Math.floor(ms / MS_PER_DAY);
}

/**
 * The instant local day `day` begins in `timeZone`. Where midnight does not exist (a zone that springs
 * forward at 00:00, such as America/Santiago), the day begins at the first local instant after it.
 */
export function dayStart(day: number, timeZone: string): Date {
  if (!Number.isSafeInteger(day)) throw invalidInput('day', `must be a whole day number, got ${day}`);
  const key = `${day} ${timeZone}`;
  const known = knownStarts.get(key);
  if (known !== undefined) return new Date(known);
  const civil = new Date(day * MS_PER_DAY);
  const start = new TZDate(civil.getUTCFullYear(), civil.getUTCMonth(), civil.getUTCDate(), timeZone);
  const ms = start.getTime();
  if (Number.isNaN(ms))
    throw invalidInput(
      'timeZone',
      `must be an IANA time zone such as Europe/Berlin, got ${JSON.stringify(timeZone)}`,
    );
  if (knownStarts.size >= MAX_KNOWN_STARTS) knownStarts.clear();
  knownStarts.set(key, ms);
  return new Date(ms);
}

/**
 * Day starts already found, by day and zone: a claim with a streak asks for the ends of today and of the
 * days after it on every call, and a zone's rules never change while the process runs.
 */
const knownStarts = new Map<string, number>();
/** Far more than the days and zones in use at once; past it the map starts over rather than grow. */
const MAX_KNOWN_STARTS = 4096;

/** The instant local day `day` ends (exclusive): the start of the next local day. */
export function dayEnd(day: number, timeZone: string): Date {
  return dayStart(day + 1, timeZone);
}

/**
 * Any Date, whatever realm made it: a libSQL writer thread plans groups with Dates cloned from the caller's
 * thread, which are not `instanceof` a global `Date` that something there replaced (fake timers, a shifted
 * test clock).
 */
function validTime(instant: Date, path: string): number {
  const ms = types.isDate(instant) ? instant.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw invalidInput(path, 'must be a valid Date');
  return ms;
}
