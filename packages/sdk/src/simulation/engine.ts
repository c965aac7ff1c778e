import { openEconomy } from '../economy.js';
import type { SeedSource } from '../games/fairness.js';
import { type Cache, type EconomyStats, seededRandom, type Tenant } from '../index.js';
import type { RandomSource } from '../random.js';
import { type Agent, createPopulation, newMemory, sessionHours } from './agents.js';
import { monthlyInflation, ratioBps } from './measures.js';
import { type Dice, streamFor } from './rng.js';
import { type EconomyPlan, planFor, runSession, type SessionEnv, Tally } from './session.js';
import type { SimulationDay, SimulationOptions, SimulationResult } from './types.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const DEFAULT_START = new Date('2026-01-05T00:00:00.000Z');
const TENANT = 'simulation';

/**
 * Simulates an economy: a seeded population of members lives `days` days on a real economy (embedded
 * store, every coin through the ledger), driven only through the public Tenant API. The clock is the
 * simulation's: each day is 24 hourly ticks, and the members whose sessions fall in a tick act
 * concurrently, so the SDK's write batcher groups their operations as it would a busy guild's.
 *
 * Each day ends with `tenant.stats()` (supply, flows, Gini) and the house and escrow balances, checked
 * against each other; the run ends with `ledger.verify()`, and a broken ledger throws.
 *
 * Same seed, same config, same result, games included: the simulation's own private economy (and only
 * it: `createEconomy` never takes a seed source) draws its provably fair seeds from the run's seed.
 */
export async function simulateEconomy(options: SimulationOptions): Promise<SimulationResult> {
  const { config, members, days, seed } = options;
  options.signal?.throwIfAborted();
  assertWhole('members', members, 1);
  assertWhole('days', days, 1);
  assertWhole('seed', seed, 0, 2 ** 32 - 1);
  const start = options.start ?? DEFAULT_START;
  let now = start.getTime();
  const economy = openEconomy(
    {
      storage: options.storage ?? ':memory:',
      clock: { now: () => new Date(now) },
      random: seededRandom(seed),
      cache: simulationCache(),
    },
    seedsFrom(seededRandom(seed ^ 0x5eed5)),
  );
  try {
    await economy.migrate();
    const tenant = economy.tenant(TENANT);
    if ((await tenant.stats()).members > 0) {
      throw new Error(`the storage already holds a simulated economy; give each run a new one`);
    }
    await tenant.configure(config, { actor: 'simulation' });

    const agents = createPopulation(members, seed);
    const memories = agents.map(newMemory);
    const tally = new Tally();
    const plan = planFor(config);
    const env: SessionEnv = { tenant, config, plan, agents, start, tally };
    const concurrency = options.concurrency ?? 256;
    assertWhole('concurrency', concurrency, 1);

    const record: SimulationDay[] = [];
    let previous: Balances = { supply: 0n, houses: new Map(), escrow: 0n };
    for (let d = 0; d < days; d++) {
      const dayStart = start.getTime() + d * DAY_MS;
      const operationsBefore = tally.operations;
      const byHour = scheduleDay(agents, seed, d);
      now = dayStart;
      // The daily job a runtime would run: judges yesterday and moves the faucet multiplier one step.
      if (config.policy.autoBalance.enabled) await tenant.runAutoBalancer();
      for (let hour = 0; hour < 24; hour++) {
        // Checked every simulated hour, so a cancelled run stops within one tick's work.
        options.signal?.throwIfAborted();
        const sessions = byHour[hour];
        if (!sessions?.length) continue;
        now = dayStart + hour * HOUR_MS;
        // Load the config once per tick: after the clock moves, concurrent first reads would each
        // re-read and re-parse it (the SDK's config cache does not share a load in flight).
        await tenant.config();
        await inParallel(sessions, concurrency, ({ agent, rng }) =>
          runSession(env, agent, memories[agent.index]!, rng, d),
        );
      }
      now = dayStart + DAY_MS - 1;
      // A round left open (an action refused) stands by itself once its timeout passes.
      if (plan.blackjack) await tenant.settleExpiredRounds();
      const snapshot = await measure(tenant, plan);
      const day = dayRecord(d + 1, snapshot, previous, tally.operations - operationsBefore);
      previous = snapshot;
      record.push(day);
      options.onDay?.(day);
    }

    const verified = await tenant.ledger.verify();
    if (!verified.ok) {
      throw new Error(
        `the ledger does not verify after the simulation: ${verified.problems.slice(0, 5).join('; ')}`,
      );
    }
    const last = record[record.length - 1]!;
    return {
      days: record,
      monthly: monthlyInflation(record),
      summary: {
        name: config.name ?? null,
        members,
        days,
        seed,
        start: start.toISOString(),
        supply: last.supply,
        minted: sum(record, (r) => r.minted),
        burned: sum(record, (r) => r.burned),
        houseTake: sum(record, (r) => r.houseTake),
        gini: last.gini,
        meanActiveMembers: Math.round(record.reduce((n, r) => n + r.activeMembers, 0) / record.length),
        operations: tally.operations,
        outcomes: tally.outcomes,
        verified: true,
      },
    };
  } finally {
    await economy.close();
  }
}

/** Where the money is at the end of a day: members (the supply), each game's house, escrow. */
interface Balances {
  supply: bigint;
  houses: Map<string, bigint>;
  escrow: bigint;
}

interface Snapshot extends Balances {
  stats: EconomyStats;
}

async function measure(tenant: Tenant, plan: EconomyPlan): Promise<Snapshot> {
  const stats = await tenant.stats();
  const houses = new Map<string, bigint>();
  for (const game of plan.games) houses.set(game.name, await tenant.ledger.balance(`house:${game.name}`));
  return { stats, supply: stats.moneySupply, houses, escrow: await tenant.ledger.balance('system:escrow') };
}

function dayRecord(day: number, now: Snapshot, before: Balances, operations: number): SimulationDay {
  const stats = now.stats;
  const today = stats.daily[stats.daily.length - 1];
  const date = stats.asOf.toISOString().slice(0, 10);
  if (!today || today.day !== date) throw new Error(`tenant.stats() has no point for ${date}`);
  const games: Record<string, bigint> = {};
  let houseTake = 0n;
  for (const [game, balance] of now.houses) {
    games[game] = balance - (before.houses.get(game) ?? 0n);
    houseTake += games[game];
  }
  const supplyChange = now.supply - before.supply;
  // Every coin is accounted for: what members gained is what faucets made, less sinks, the house and escrow.
  const expected = today.minted - today.burned - houseTake - (now.escrow - before.escrow);
  if (supplyChange !== expected) {
    throw new Error(
      `day ${day}: the money supply moved by ${supplyChange} but the flows add up to ${expected}`,
    );
  }
  return {
    day,
    date,
    supply: now.supply,
    minted: today.minted,
    burned: today.burned,
    netEmission: today.netEmission,
    houseTake,
    supplyChange,
    inflationBps: ratioBps(supplyChange, before.supply),
    gini: stats.gini,
    activeMembers: stats.activeMembers.day,
    faucets: todayOf(stats.faucets),
    sinks: todayOf(stats.sinks),
    games,
    volume: today.volume,
    operations,
  };
}

function todayOf(windows: EconomyStats['faucets']): Record<string, bigint> {
  return Object.fromEntries(Object.entries(windows).map(([name, w]) => [name, w.today]));
}

/** Who comes by at which hour of day `d`: each member's own stream, so scheduling cannot change it. */
function scheduleDay(
  agents: readonly Agent[],
  seed: number,
  d: number,
): Array<Array<{ agent: Agent; rng: Dice }>> {
  const byHour: Array<Array<{ agent: Agent; rng: Dice }>> = Array.from({ length: 24 }, () => []);
  for (const agent of agents) {
    const rng = streamFor(seed, agent.index, d);
    for (const hour of sessionHours(agent, rng)) byHour[hour]!.push({ agent, rng });
  }
  return byHour;
}

/** Runs `work` over `items`, at most `limit` at once, each started in order. */
async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Rate limits count real minutes, while a simulated day lasts a few real seconds and its members
 * act in bursts: a real limiter would refuse them for speed that is not theirs. Members here are not
 * abusers, so nothing is limited.
 */
function simulationCache(): Cache {
  return { kind: 'memory', rateLimiter: { consume: async () => {} }, close: async () => {} };
}

function sum<T>(items: readonly T[], of: (item: T) => bigint): bigint {
  return items.reduce((total, item) => total + of(item), 0n);
}

function assertWhole(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got ${value}`);
  }
}

/** Game seeds drawn from a seeded source: a simulated economy's rounds repeat with its seed. */
function seedsFrom(random: RandomSource): SeedSource {
  const hex = (bytes: number) =>
    Buffer.from(Array.from({ length: bytes }, () => random.int(256))).toString('hex');
  return { serverSeed: () => hex(32), clientSeed: () => hex(8) };
}
