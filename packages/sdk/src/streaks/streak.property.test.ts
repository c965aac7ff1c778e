import fc from 'fast-check';
import { expect, it } from 'vitest';
import { type StreakConfig, streakSchema } from '../config/schema.js';
import { dayNumber } from '../local-days.js';
import { initialStreak } from './state.js';
import { addFreezes, advanceStreak, streakView } from './streak.js';

// Replay a failure with GUILDMINT_SEED=<seed> (printed below and in the failure report).
const DEFAULT_SEED = 20_240_601;
const seed = Number(process.env.GUILDMINT_SEED || DEFAULT_SEED);
const runs = Number(process.env.GUILDMINT_RUNS) || 300;

const zones = [
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'America/Santiago',
];
const MINUTE = 60_000;

const configArb: fc.Arbitrary<StreakConfig> = fc
  .record({
    graceHours: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 48 })),
    bonusPerDayBps: fc.integer({ min: 0, max: 10_000 }),
    maxBonusBps: fc.integer({ min: 0, max: 100_000 }),
    milestones: fc.array(
      fc.record({ day: fc.integer({ min: 2, max: 12 }), bonus: fc.integer({ min: 1, max: 1000 }) }),
      {
        maxLength: 4,
      },
    ),
    maxFreezes: fc.integer({ min: 0, max: 4 }),
  })
  .map((input) => streakSchema.parse(input));

// Steps between claims: mostly within a day or two, sometimes long gaps, sometimes minutes.
const stepArb = fc.oneof(
  fc.record({ kind: fc.constant('claim' as const), minutes: fc.integer({ min: 0, max: 3 * 24 * 60 }) }),
  fc.record({ kind: fc.constant('claim' as const), minutes: fc.integer({ min: 0, max: 90 }) }),
  fc.record({ kind: fc.constant('freeze' as const), count: fc.integer({ min: 0, max: 3 }) }),
);

it('keeps its invariants over random claim sequences, and the view agrees with the next claim', () => {
  console.log(`[streak property] seed ${seed}, ${runs} runs`);
  const property = fc.property(
    configArb,
    fc.constantFrom(...zones),
    fc.date({
      min: new Date('2024-01-01T00:00:00Z'),
      max: new Date('2025-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
    fc.array(stepArb, { minLength: 1, maxLength: 60 }),
    (config, zone, start, steps) => {
      let state = initialStreak();
      let now = start;
      let runBonus = 0n;
      for (const step of steps) {
        if (step.kind === 'freeze') {
          const { state: next, added } = addFreezes(state, config, step.count);
          expect(next.freezes).toBe(state.freezes + added);
          expect(next.freezes).toBeLessThanOrEqual(config.maxFreezes);
          state = next;
          continue;
        }
        now = new Date(now.getTime() + step.minutes * MINUTE);
        const view = streakView(state, config, now, zone);
        const result = advanceStreak(state, config, now, zone);
        const next = result.state;

        expect(next.longest).toBeGreaterThanOrEqual(next.current);
        expect(next.freezes).toBeGreaterThanOrEqual(0);
        expect(next.freezes).toBeLessThanOrEqual(config.maxFreezes);
        expect(result.multiplierBps).toBeGreaterThanOrEqual(10_000);
        expect(result.multiplierBps).toBeLessThanOrEqual(10_000 + config.maxBonusBps);
        if (!result.counted) {
          expect(view.claimedToday).toBe(true);
          expect(next).toBe(state);
          continue;
        }
        expect(view.claimedToday).toBe(false);
        expect(next.current).toBeGreaterThanOrEqual(1);
        expect(next.lastDay!).toBeLessThanOrEqual(dayNumber(now, zone));
        expect(next.freezes).toBe(state.freezes - result.freezesUsed);
        // What the member was shown is what the claim does: a streak shown as 0 breaks, one shown alive continues.
        if (state.lastDay !== null) expect(result.broken).toBe(view.current === 0);
        expect(next.current).toBe(view.current + 1);
        // Once per run: the bonuses paid in this run are exactly the milestones it has reached.
        runBonus = (next.current === 1 ? 0n : runBonus) + result.milestoneBonus;
        const reached = config.milestones
          .filter((m) => m.day <= next.current)
          .reduce((sum, m) => sum + BigInt(m.bonus), 0n);
        expect(runBonus).toBe(reached);
        state = next;
      }
    },
  );
  const details = fc.check(property, { seed, numRuns: runs });
  if (details.failed) {
    throw new Error(`${fc.defaultReportMessage(details)}\n\nReplay with GUILDMINT_SEED=${details.seed}`, {
      cause: details.errorInstance,
    });
  }
  expect(details.numRuns).toBe(runs);
});
