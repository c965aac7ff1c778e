import { describe, expect, it } from 'vitest';
import { defineEconomy } from '../config/define.js';
import { presets } from '../config/presets.js';
import type { EconomyConfig } from '../config/schema.js';
import { createPopulation } from './agents.js';
import { openSimulatedEconomy, SimulationClock, simulateOn } from './engine.js';
import type { SimulationOptions } from './types.js';

// The in-memory economy applies the SDK's rules without a store; a real Tenant on a real store is the
// reference. With one session at a time (so both draw their chances in the same order) a run must come
// out the same on both: every day's supply, flows per faucet, sink and game, Gini and active members,
// every call's outcome, and each member's balance at the end.
const START = new Date('2026-01-05T00:00:00.000Z');
const TIMEOUT_MS = 180_000;

/** Every rule the simulation meets at once: a time zone, eligibility, a budget, events, the balancer. */
const everyRule: EconomyConfig = defineEconomy({
  name: 'Every rule',
  timeZone: 'America/New_York',
  faucets: {
    ...presets.classic.faucets,
    veteran: {
      reward: { min: 30, max: 70 },
      cooldownSeconds: 6 * 3600,
      eligibility: { minMemberAgeDays: 365 },
    },
    crew: { reward: { fixed: 999 }, eligibility: { roles: ['123456789012345678'] } },
  },
  streaks: {
    daily: {
      ...presets.classic.streaks.daily!,
      graceHours: 3,
      milestones: [
        { day: 3, bonus: 250 },
        { day: 9, bonus: 700 },
      ],
      maxFreezes: 1,
    },
  },
  sinks: { transferTaxBps: 300, transferFee: 2, minTransfer: 5 },
  shop: {
    items: {
      ...presets.classic.shop.items,
      trophy: { name: 'Golden trophy', price: 300, stock: 2, perMemberLimit: 1 },
      badge: { name: 'Badge', price: 400, perMemberLimit: 1 },
    },
  },
  games: {
    ...presets.classic.games,
    blackjack: { ...presets.classic.games.blackjack!, timeoutSeconds: 10 },
  },
  events: [
    {
      id: 'festival',
      name: 'Festival',
      startsAt: '2026-01-07T00:00:00.000Z',
      endsAt: '2026-01-10T12:00:00.000Z',
      multiplierBps: 15_000,
      faucets: ['daily', 'work'],
      games: ['slots', 'dice', 'blackjack'],
    },
  ],
  policy: {
    dailyEmissionBudget: 9_000,
    autoBalance: { enabled: true, targetMinBps: 100, targetMaxBps: 400, stepBps: 1_000 },
  },
});

async function run(options: SimulationOptions) {
  const clock = new SimulationClock(START.getTime());
  const economy = await openSimulatedEconomy(options, clock);
  try {
    const result = await simulateOn(economy, clock, options);
    const balances: Record<string, bigint> = {};
    for (const agent of createPopulation(options.members, options.seed)) {
      balances[agent.id] = await economy.actions.balance(agent.id);
    }
    return { result, balances };
  } finally {
    await economy.close();
  }
}

const cases: Array<[string, EconomyConfig, { members: number; days: number; seed: number }]> = [
  ['classic', presets.classic, { members: 40, days: 35, seed: 11 }],
  ['casino', presets.casino, { members: 40, days: 12, seed: 12 }],
  ['cozy', presets.cozy, { members: 40, days: 16, seed: 13 }],
  ['every rule', everyRule, { members: 60, days: 14, seed: 14 }],
];

describe.each(cases)('the in-memory economy and a real one (%s)', (_name, config, size) => {
  it(
    'come out the same: every day, every outcome, every balance',
    async () => {
      const options = { config, ...size, start: START };
      const ledger = await run({ ...options, engine: 'ledger', concurrency: 1 });
      const memory = await run({ ...options, engine: 'memory' });

      expect(memory.result.days).toEqual(ledger.result.days);
      expect(memory.result.summary).toEqual(ledger.result.summary);
      expect(memory.balances).toEqual(ledger.balances);
      // The members' balances are the supply: the comparison above is about money that exists.
      const total = Object.values(memory.balances).reduce((sum, b) => sum + b, 0n);
      expect(total).toBe(memory.result.summary.supply);
      expect(total).toBeGreaterThan(0n);
    },
    TIMEOUT_MS,
  );
});

it(
  'the every-rule economy meets the rules it is made of (so the agreement above covers them)',
  async () => {
    const { result } = await run({ config: everyRule, members: 60, days: 14, seed: 14, start: START });
    const outcomes = result.summary.outcomes;
    expect(outcomes['claim:veteran']?.NOT_ELIGIBLE).toBeGreaterThan(0);
    expect(outcomes['claim:veteran']?.ok).toBeGreaterThan(0);
    expect(outcomes['claim:crew']).toBeUndefined();
    expect(Object.values(outcomes).some((o) => (o.BUDGET_EXHAUSTED ?? 0) > 0)).toBe(true);
    expect(outcomes.buy?.OUT_OF_STOCK ?? 0).toBeGreaterThan(0);
    expect(outcomes.buy?.LIMIT_REACHED ?? 0).toBeGreaterThan(0);
    expect(outcomes.act?.ok).toBeGreaterThan(0);
    // Payments pay the fee as well as the tax.
    expect(result.days.map((d) => d.sinks.fees ?? 0n).some((fee) => fee > 0n)).toBe(true);
  },
  TIMEOUT_MS,
);
