import { TZDate } from '@date-fns/tz';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { streakSchema } from '../config/schema.js';
import { dayNumber } from '../local-days.js';
import { initialStreak, parseStreakState, type StreakState } from './state.js';
import { addFreezes, advanceStreak, type StreakAdvance, streakMultiplierBps, streakView } from './streak.js';

const config = (input: z.input<typeof streakSchema> = {}) => streakSchema.parse(input);
/** The instant a local wall-clock time (month 1-12) occurs in `zone`. */
const local = (zone: string, y: number, mo: number, d: number, h = 12, mi = 0) =>
  new Date(new TZDate(y, mo - 1, d, h, mi, zone).getTime());
const utc = (iso: string) => new Date(iso);

/** Claims at each instant in turn; returns every result. */
function claims(
  cfg: ReturnType<typeof config>,
  zone: string,
  instants: Date[],
  start: StreakState = initialStreak(),
): StreakAdvance[] {
  let state = start;
  return instants.map((now) => {
    const result = advanceStreak(state, cfg, now, zone);
    state = result.state;
    return result;
  });
}
const last = (results: StreakAdvance[]) => results[results.length - 1]!;
/** A state with a run of `current` whose last counted day is `lastDay`. */
const running = (current: number, lastDay: number, extra: Partial<StreakState> = {}): StreakState => ({
  ...initialStreak(),
  current,
  longest: current,
  lastDay,
  totalClaims: current,
  ...extra,
});

describe('advanceStreak: days', () => {
  it('starts a run of 1 on the first claim', () => {
    const now = utc('2024-06-01T12:00:00Z');
    const result = advanceStreak(initialStreak(), config(), now, 'UTC');
    expect(result).toEqual({
      state: {
        current: 1,
        longest: 1,
        lastDay: dayNumber(now, 'UTC'),
        freezes: 0,
        milestonesPaid: [],
        totalClaims: 1,
        totalFreezesUsed: 0,
      },
      counted: true,
      broken: false,
      freezesUsed: 0,
      milestoneBonus: 0n,
      multiplierBps: 10_000,
    });
  });

  // The last minute of 1 June and the first of 2 June 2024, local time, as UTC instants.
  it.each([
    ['UTC', '2024-06-01T23:59:00Z', '2024-06-02T00:00:00Z'],
    ['America/New_York', '2024-06-02T03:59:00Z', '2024-06-02T04:00:00Z'],
    ['Europe/Berlin', '2024-06-01T21:59:00Z', '2024-06-01T22:00:00Z'],
    ['Australia/Lord_Howe', '2024-06-01T13:29:00Z', '2024-06-01T13:30:00Z'],
    ['Asia/Kolkata', '2024-06-01T18:29:00Z', '2024-06-01T18:30:00Z'],
  ])('continues across local midnight in %s, a minute apart', (zone, before, after) => {
    const results = claims(config(), zone, [utc(before), utc(after)]);
    expect(results.map((r) => [r.counted, r.state.current])).toEqual([
      [true, 1],
      [true, 2],
    ]);
  });

  it('does not count a claim at 00:00 UTC as a new day in a zone where it is still evening', () => {
    const results = claims(config(), 'America/New_York', [
      utc('2024-06-01T16:00:00Z'),
      utc('2024-06-02T00:30:00Z'),
    ]);
    expect(last(results).counted).toBe(false);
  });

  // 23:30 local on the transition day and 00:30 local on the next, as UTC instants.
  it.each([
    ['America/New_York', 'spring forward, 23 h', '2024-03-11T03:30:00Z', '2024-03-11T04:30:00Z'],
    ['America/New_York', 'fall back, 25 h', '2024-11-04T04:30:00Z', '2024-11-04T05:30:00Z'],
    ['Europe/Berlin', 'spring forward, 23 h', '2024-03-31T21:30:00Z', '2024-03-31T22:30:00Z'],
    ['Europe/Berlin', 'fall back, 25 h', '2024-10-27T22:30:00Z', '2024-10-27T23:30:00Z'],
    ['Australia/Lord_Howe', 'DST begins, 23.5 h', '2024-10-06T12:30:00Z', '2024-10-06T13:30:00Z'],
    ['Australia/Lord_Howe', 'DST ends, 24.5 h', '2024-04-07T13:00:00Z', '2024-04-07T14:00:00Z'],
  ])('%s %s: 23:30 and 00:30 the next day are consecutive days', (zone, _label, lateOnDay, earlyNextDay) => {
    const results = claims(config(), zone, [utc(lateOnDay), utc(earlyNextDay)]);
    expect(dayNumber(utc(earlyNextDay), zone) - dayNumber(utc(lateOnDay), zone)).toBe(1);
    expect(results.map((r) => [r.counted, r.state.current, r.freezesUsed])).toEqual([
      [true, 1, 0],
      [true, 2, 0],
    ]);
  });

  it('on a 25-hour day, claims 24 hours apart are the same day; on a 23-hour day, 23 hours apart are not', () => {
    const zone = 'Europe/Berlin';
    const fallBack = claims(config(), zone, [utc('2024-10-26T22:30:00Z'), utc('2024-10-27T22:30:00Z')]);
    expect(fallBack.map((r) => r.counted)).toEqual([true, false]); // 00:30 CEST and 23:30 CET on 27 Oct
    const springForward = claims(config(), zone, [utc('2024-03-30T23:30:00Z'), utc('2024-03-31T22:30:00Z')]);
    expect(springForward.map((r) => r.state.current)).toEqual([1, 2]); // 00:30 on 31 Mar, 00:30 on 1 Apr
  });

  it('does not count a second claim on the same day and returns the state untouched', () => {
    const cfg = config({ bonusPerDayBps: 500, maxBonusBps: 5000, milestones: [{ day: 2, bonus: 50 }] });
    const [, second] = claims(cfg, 'UTC', [utc('2024-06-01T08:00:00Z'), utc('2024-06-02T00:00:00Z')]);
    const again = advanceStreak(second!.state, cfg, utc('2024-06-02T23:59:59.999Z'), 'UTC');
    expect(second!.milestoneBonus).toBe(50n);
    expect(again).toEqual({
      state: second!.state,
      counted: false,
      broken: false,
      freezesUsed: 0,
      milestoneBonus: 0n,
      multiplierBps: 10_500,
    });
    expect(again.state).toBe(second!.state);
  });

  it('breaks after a missed day without freezes, restarting at 1 and keeping longest', () => {
    const results = claims(config(), 'UTC', [
      utc('2024-06-01T12:00:00Z'),
      utc('2024-06-02T12:00:00Z'),
      utc('2024-06-03T12:00:00Z'),
      utc('2024-06-05T12:00:00Z'), // 4 June missed
      utc('2024-06-06T12:00:00Z'),
    ]);
    expect(results.map((r) => [r.state.current, r.state.longest, r.broken])).toEqual([
      [1, 1, false],
      [2, 2, false],
      [3, 3, false],
      [1, 3, true],
      [2, 3, false],
    ]);
    expect(last(results).state.totalClaims).toBe(5);
  });

  it('does not mutate a frozen input state', () => {
    const state = running(2, dayNumber(utc('2024-06-01T12:00:00Z'), 'UTC'), { milestonesPaid: [2] });
    Object.freeze(state.milestonesPaid);
    Object.freeze(state);
    const cfg = config({ milestones: [{ day: 3, bonus: 30 }] });
    const result = advanceStreak(state, cfg, utc('2024-06-02T12:00:00Z'), 'UTC');
    expect(result.state).toMatchObject({ current: 3, milestonesPaid: [2, 3] });
    expect(state).toMatchObject({ current: 2, milestonesPaid: [2] });
  });

  it('ignores a claim earlier than the last counted day (a clock that went back)', () => {
    const day = dayNumber(utc('2024-06-05T12:00:00Z'), 'UTC');
    const result = advanceStreak(running(3, day), config(), utc('2024-06-01T12:00:00Z'), 'UTC');
    expect(result.counted).toBe(false);
  });
});

describe('advanceStreak: freezes', () => {
  const d = dayNumber(utc('2024-06-01T12:00:00Z'), 'UTC');

  it('covers a gap with exactly enough freezes, one per missed day, without lengthening the run', () => {
    const result = advanceStreak(running(5, d, { freezes: 2 }), config(), utc('2024-06-04T12:00:00Z'), 'UTC');
    expect(result).toMatchObject({ counted: true, broken: false, freezesUsed: 2 });
    expect(result.state).toMatchObject({ current: 6, freezes: 0, lastDay: d + 3, totalFreezesUsed: 2 });
  });

  it('spends only what the gap needs', () => {
    const result = advanceStreak(running(5, d, { freezes: 3 }), config(), utc('2024-06-03T12:00:00Z'), 'UTC');
    expect(result.freezesUsed).toBe(1);
    expect(result.state.freezes).toBe(2);
  });

  it('breaks when one freeze short, and keeps the freezes', () => {
    const result = advanceStreak(running(5, d, { freezes: 1 }), config(), utc('2024-06-04T12:00:00Z'), 'UTC');
    expect(result).toMatchObject({ counted: true, broken: true, freezesUsed: 0 });
    expect(result.state).toMatchObject({
      current: 1,
      longest: 5,
      freezes: 1,
      lastDay: d + 3,
      totalFreezesUsed: 0,
    });
  });

  it('counts missed local days across a DST change', () => {
    // Berlin: claimed 30 Mar, missed 31 Mar (23 h), claims 1 Apr at 00:30 local.
    const zone = 'Europe/Berlin';
    const start = advanceStreak(initialStreak(), config(), local(zone, 2024, 3, 30, 20), zone).state;
    const result = advanceStreak({ ...start, freezes: 1 }, config(), local(zone, 2024, 4, 1, 0, 30), zone);
    expect(result).toMatchObject({ broken: false, freezesUsed: 1 });
    expect(result.state.current).toBe(2);
  });
});

describe('advanceStreak: grace', () => {
  const zone = 'America/New_York';
  const cfg = config({ graceHours: 2 });
  // Claimed on 1 June; 2 June missed; the grace window for 2 June runs until 02:00 on 3 June.
  const start = advanceStreak(initialStreak(), cfg, local(zone, 2024, 6, 1, 12), zone).state;
  const d = start.lastDay!;

  it('credits a claim one minute inside the grace to the missed day', () => {
    const result = advanceStreak(start, cfg, local(zone, 2024, 6, 3, 1, 59), zone);
    expect(result).toMatchObject({ counted: true, broken: false, freezesUsed: 0 });
    expect(result.state).toMatchObject({ current: 2, lastDay: d + 1 });
    // Grace filled 2 June; 3 June is still open and counts once the member claims again.
    const later = advanceStreak(result.state, cfg, local(zone, 2024, 6, 3, 2, 1), zone);
    expect(later).toMatchObject({ counted: true, broken: false });
    expect(later.state).toMatchObject({ current: 3, lastDay: d + 2 });
    expect(advanceStreak(later.state, cfg, local(zone, 2024, 6, 3, 23, 0), zone).counted).toBe(false);
  });

  it('does not credit a claim one minute outside the grace (nor at its exact end)', () => {
    for (const minute of [1, 0]) {
      const result = advanceStreak(start, cfg, local(zone, 2024, 6, 3, 2, minute), zone);
      expect(result).toMatchObject({ counted: true, broken: true });
      expect(result.state).toMatchObject({ current: 1, lastDay: d + 2 });
    }
  });

  it('uses a freeze instead when outside the grace', () => {
    const result = advanceStreak({ ...start, freezes: 1 }, cfg, local(zone, 2024, 6, 3, 2, 1), zone);
    expect(result).toMatchObject({ broken: false, freezesUsed: 1 });
    expect(result.state).toMatchObject({ current: 2, lastDay: d + 2, freezes: 0 });
  });

  it('inside the grace, saves a freeze on a longer gap', () => {
    // 2 and 3 June missed; 01:00 on 4 June is within the grace of 3 June, so only 2 June needs a freeze.
    const result = advanceStreak({ ...start, freezes: 1 }, cfg, local(zone, 2024, 6, 4, 1, 0), zone);
    expect(result).toMatchObject({ broken: false, freezesUsed: 1 });
    expect(result.state).toMatchObject({ current: 2, lastDay: d + 2 });
  });

  it('starts a broken run on today, not on the grace day', () => {
    const result = advanceStreak(start, cfg, local(zone, 2024, 6, 4, 1, 0), zone);
    expect(result.broken).toBe(true);
    expect(result.state).toMatchObject({ current: 1, lastDay: d + 3 });
  });

  it('does not credit yesterday again when yesterday was claimed', () => {
    const yesterday = advanceStreak(start, cfg, local(zone, 2024, 6, 2, 23, 0), zone).state;
    const result = advanceStreak(yesterday, cfg, local(zone, 2024, 6, 3, 0, 30), zone);
    expect(result.state).toMatchObject({ current: 3, lastDay: d + 2 });
  });

  it('measures grace in elapsed hours after a 23-hour day', () => {
    // Berlin: claimed 30 Mar; 31 Mar (23 h) missed; it ended at 00:00 on 1 Apr, grace until 02:00.
    const berlin = 'Europe/Berlin';
    const s = advanceStreak(initialStreak(), cfg, local(berlin, 2024, 3, 30, 12), berlin).state;
    expect(advanceStreak(s, cfg, utc('2024-03-31T23:59:00Z'), berlin).broken).toBe(false); // 01:59 CEST
    expect(advanceStreak(s, cfg, utc('2024-04-01T00:01:00Z'), berlin).broken).toBe(true); // 02:01 CEST
  });

  it('with more than 24 hours of grace, credits the earliest day still in grace', () => {
    const long = config({ graceHours: 30 });
    // 2 June's grace runs to 06:00 on 4 June; 3 June's to 06:00 on 5 June.
    const inside = advanceStreak(start, long, local(zone, 2024, 6, 4, 5, 59), zone);
    expect(inside).toMatchObject({ broken: false, freezesUsed: 0 });
    expect(inside.state.lastDay).toBe(d + 1);
    const outside = advanceStreak({ ...start, freezes: 1 }, long, local(zone, 2024, 6, 4, 6, 1), zone);
    expect(outside).toMatchObject({ broken: false, freezesUsed: 1 });
    expect(outside.state.lastDay).toBe(d + 2);
  });
});

describe('advanceStreak: milestones, longest, multiplier', () => {
  const days = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => utc(`2024-06-${String(from + i).padStart(2, '0')}T12:00:00Z`));

  it('pays each milestone once per run, and again in a new run', () => {
    const cfg = config({
      milestones: [
        { day: 5, bonus: 500 },
        { day: 3, bonus: 100 },
      ],
    });
    // 1-6 June, a double claim on 3 June, 7-8 June missed, then 9-11 June.
    const instants = [...days(1, 3), utc('2024-06-03T20:00:00Z'), ...days(4, 3), ...days(9, 3)];
    const results = claims(cfg, 'UTC', instants);
    expect(results.map((r) => r.milestoneBonus)).toEqual([0n, 0n, 100n, 0n, 0n, 500n, 0n, 0n, 0n, 100n]);
    expect(results.map((r) => r.state.milestonesPaid)).toEqual([
      [],
      [],
      [3],
      [3],
      [3],
      [3, 5],
      [3, 5],
      [],
      [],
      [3],
    ]);
  });

  it('pays every milestone of one day, and one added below current on the next claim', () => {
    const cfg = config({
      milestones: [
        { day: 2, bonus: 7 },
        { day: 2, bonus: 3 },
        { day: 4, bonus: 40 },
      ],
    });
    const day = dayNumber(utc('2024-06-01T12:00:00Z'), 'UTC');
    const state = running(3, day, { milestonesPaid: [] });
    const result = advanceStreak(state, cfg, utc('2024-06-02T12:00:00Z'), 'UTC');
    expect(result.milestoneBonus).toBe(50n);
    expect(result.state.milestonesPaid).toEqual([2, 4]);
  });

  it('keeps longest across runs and raises it when a later run passes it', () => {
    const results = claims(config(), 'UTC', [...days(1, 4), ...days(6, 6)]);
    expect(results.map((r) => [r.state.current, r.state.longest])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
      [5, 5],
      [6, 6],
    ]);
  });

  it('grows the multiplier per day up to the cap, and resets it with the run', () => {
    const cfg = config({ bonusPerDayBps: 1000, maxBonusBps: 3500 });
    const results = claims(cfg, 'UTC', [...days(1, 6), ...days(8, 2)]);
    expect(results.map((r) => r.multiplierBps)).toEqual([
      10_000, 11_000, 12_000, 13_000, 13_500, 13_500, 10_000, 11_000,
    ]);
    expect(streakMultiplierBps(cfg, 0)).toBe(10_000);
    expect(streakMultiplierBps(config({ bonusPerDayBps: 10_000, maxBonusBps: 100_000 }), 3650)).toBe(110_000);
  });
});

describe('addFreezes', () => {
  const cfg = config({ maxFreezes: 3 });

  it('adds up to maxFreezes and says how many', () => {
    const one = { ...initialStreak(), freezes: 1 };
    expect(addFreezes(one, cfg, 1)).toEqual({ state: { ...one, freezes: 2 }, added: 1 });
    expect(addFreezes(one, cfg, 5)).toEqual({ state: { ...one, freezes: 3 }, added: 2 });
    const full = { ...initialStreak(), freezes: 3 };
    expect(addFreezes(full, cfg, 1)).toEqual({ state: full, added: 0 });
    expect(addFreezes(one, cfg, 0).added).toBe(0);
    expect(addFreezes(one, config({ maxFreezes: 0 }), 2).added).toBe(0);
  });

  it('keeps freezes held above a since-lowered maximum', () => {
    const many = { ...initialStreak(), freezes: 5 };
    expect(addFreezes(many, cfg, 1)).toEqual({ state: many, added: 0 });
  });

  it('rejects a count that is not a whole number ≥ 0', () => {
    for (const count of [-1, 1.5, Number.NaN]) {
      expect(() => addFreezes(initialStreak(), cfg, count)).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
    }
  });
});

describe('streakView', () => {
  const zone = 'America/New_York';
  const cfg = config({
    graceHours: 2,
    bonusPerDayBps: 1000,
    maxBonusBps: 5000,
    milestones: [
      { day: 7, bonus: 700 },
      { day: 3, bonus: 300 },
    ],
  });

  it('shows a member who never claimed', () => {
    const now = local(zone, 2024, 3, 10, 12);
    expect(streakView(initialStreak(), cfg, now, zone)).toEqual({
      current: 0,
      longest: 0,
      freezes: 0,
      claimedToday: false,
      nextMilestone: { day: 3, bonus: 300n, claimsToGo: 3 },
      multiplierBps: 10_000,
      dayEndsAt: utc('2024-03-11T04:00:00Z'), // 10 March is 23 hours long
      expiresAt: null,
    });
  });

  it('follows a run through claimed, open, grace and broken', () => {
    const claimed = claims(cfg, zone, [
      local(zone, 2024, 6, 1, 12),
      local(zone, 2024, 6, 2, 12),
      local(zone, 2024, 6, 3, 9),
    ]);
    const state = last(claimed).state;
    expect(claimed.map((r) => r.milestoneBonus)).toEqual([0n, 0n, 300n]);

    const sameDay = streakView(state, cfg, local(zone, 2024, 6, 3, 20), zone);
    expect(sameDay).toMatchObject({
      current: 3,
      longest: 3,
      claimedToday: true,
      nextMilestone: { day: 7, bonus: 700n, claimsToGo: 4 },
      multiplierBps: 12_000,
      dayEndsAt: local(zone, 2024, 6, 4, 0),
      expiresAt: local(zone, 2024, 6, 5, 2),
    });
    expect(streakView(state, cfg, local(zone, 2024, 6, 4, 12), zone)).toMatchObject({
      current: 3,
      claimedToday: false,
    });
    expect(streakView(state, cfg, local(zone, 2024, 6, 5, 1, 59), zone).current).toBe(3);
    const broken = streakView(state, cfg, local(zone, 2024, 6, 5, 2, 0), zone);
    expect(broken).toMatchObject({
      current: 0,
      longest: 3,
      multiplierBps: 10_000,
      nextMilestone: { day: 3, claimsToGo: 3 },
      expiresAt: null,
    });
  });

  it('counts freezes into the expiry', () => {
    const state = advanceStreak(
      { ...initialStreak(), freezes: 2 },
      cfg,
      local(zone, 2024, 6, 1, 12),
      zone,
    ).state;
    const view = streakView(state, cfg, local(zone, 2024, 6, 4, 12), zone);
    expect(view).toMatchObject({ current: 1, freezes: 2, expiresAt: local(zone, 2024, 6, 5, 2) });
  });

  it('reports no next milestone once all are paid', () => {
    const state = running(8, dayNumber(local(zone, 2024, 6, 1), zone), { milestonesPaid: [3, 7] });
    expect(streakView(state, cfg, local(zone, 2024, 6, 1, 18), zone).nextMilestone).toBeNull();
  });
});

describe('StreakState', () => {
  it('survives JSON and is checked when read back', () => {
    const state = last(
      claims(config({ milestones: [{ day: 2, bonus: 1 }] }), 'UTC', [
        utc('2024-06-01T00:00:00Z'),
        utc('2024-06-02T00:00:00Z'),
      ]),
    ).state;
    expect(parseStreakState(JSON.parse(JSON.stringify(state)))).toEqual(state);
    expect(() => parseStreakState({ ...state, longest: 1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => parseStreakState({ ...state, lastDay: null })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => parseStreakState({ ...state, extra: 1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});
