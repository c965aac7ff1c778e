import { defineEconomy } from '../config/define.js';
import type { SeedSource } from '../games/fairness.js';
import type { EconomyStats } from '../policy/stats.js';
import { type RandomSource, seededRandom } from '../random.js';
import type { Clock } from '../stores/clock.js';
import { type Agent, createPopulation, newMemory, sessionHours } from './agents.js';
import { openLedgerEconomy } from './ledger-economy.js';
import { monthlyInflation, ratioBps } from './measures.js';
import { MemoryEconomy } from './memory/memory-economy.js';
import { type Dice, streamFor } from './rng.js';
import { planFor, runSession, type SessionEnv, Tally } from './session.js';
import type { DaySnapshot, SimulatedEconomy } from './simulated-economy.js';
import type { SimulationDay, SimulationOptions, SimulationResult } from './types.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const DEFAULT_START = new Date('2026-01-05T00:00:00.000Z');

/**
 * Simulates an economy: a seeded population of members lives `days` days on it. The clock is the
 * simulation's: each day is 24 hourly ticks, and the members whose sessions fall in a tick act then.
 * By default the economy's rules run in memory (`memory/memory-economy.ts`: no store, no SQL, the SDK's
 * own pure rules); `engine: 'ledger'` runs them on a real store through the public Tenant API instead,
 * sessions of a tick `concurrency` at a time. With one session at a time the two agree exactly.
 *
 * Each day ends with the economy's statistics (`buildStats`: supply, flows, Gini) and the house and
 * escrow balances, checked against each other; the run ends with the books verified, and a broken
 * ledger throws.
 *
 * Same seed, same config, same result, games included: the simulation's own private economy (and only
 * it: `createEconomy` never takes a seed source) draws its provably fair seeds from the run's seed.
 */
export async function simulateEconomy(options: SimulationOptions): Promise<SimulationResult> {
  options.signal?.throwIfAborted();
  assertWhole('members', options.members, 1);
  assertWhole('days', options.days, 1);
  assertWhole('seed', options.seed, 0, 2 ** 32 - 1);
  const clock = new SimulationClock((options.start ?? DEFAULT_START).getTime());
  const economy = await openSimulatedEconomy(options, clock);
  try {
    return await simulateOn(economy, clock, options);
  } finally {
    await economy.close();
  }
}

/** Runs the population's days on an economy opened with `openSimulatedEconomy` (which the caller closes). */
export async function simulateOn(
  economy: SimulatedEconomy,
  clock: SimulationClock,
  options: SimulationOptions,
): Promise<SimulationResult> {
  const { config, members, days, seed } = options;
  const start = options.start ?? DEFAULT_START;
  const agents = createPopulation(members, seed);
  const memories = agents.map(newMemory);
  const tally = new Tally();
  const env: SessionEnv = {
    actions: economy.actions,
    members: agents.map((agent) => ({
      roles: [],
      joinedAt: new Date(start.getTime() - agent.ageDays * DAY_MS),
    })),
    config,
    plan: planFor(config),
    agents,
    tally,
  };

  const record: SimulationDay[] = [];
  let previous: Balances = { supply: 0n, houses: new Map(), escrow: 0n };
  for (let d = 0; d < days; d++) {
    const dayStart = start.getTime() + d * DAY_MS;
    const operationsBefore = tally.operations;
    const byHour = scheduleDay(agents, seed, d);
    clock.set(dayStart);
    await economy.startDay();
    for (let hour = 0; hour < 24; hour++) {
      // Every simulated hour gives the event loop a turn (a server's timers and aborts) and then
      // checks the signal, so a cancelled run stops within one tick's work.
      await yieldToEventLoop();
      options.signal?.throwIfAborted();
      const sessions = byHour[hour];
      if (!sessions?.length) continue;
      clock.set(dayStart + hour * HOUR_MS);
      await economy.startHour();
      await inParallel(sessions, economy.concurrency, ({ agent, rng }) =>
        runSession(env, agent, memories[agent.index]!, rng, d),
      );
    }
    clock.set(dayStart + DAY_MS - 1);
    const snapshot = await economy.endDay();
    const day = dayRecord(d + 1, snapshot, previous, tally.operations - operationsBefore);
    previous = { supply: snapshot.stats.moneySupply, houses: snapshot.houses, escrow: snapshot.escrow };
    record.push(day);
    options.onDay?.(day);
  }

  await economy.verify();
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
}

/** The economy a run lives on, drawing chance from the run's seed: in memory, or on a real store. */
export async function openSimulatedEconomy(
  options: SimulationOptions,
  clock: Clock,
): Promise<SimulatedEconomy> {
  const { config, seed } = options;
  const random = seededRandom(seed);
  const seeds = seedsFrom(seededRandom(seed ^ 0x5eed5));
  if (options.engine === 'ledger') {
    const concurrency = options.concurrency ?? 256;
    assertWhole('concurrency', concurrency, 1);
    return openLedgerEconomy({
      config,
      clock,
      random,
      seeds,
      storage: options.storage ?? ':memory:',
      concurrency,
    });
  }
  if (options.storage !== undefined || options.concurrency !== undefined) {
    throw new RangeError(`storage and concurrency are options of the ledger engine (engine: 'ledger')`);
  }
  // Parsed as a Tenant's `configure` parses it: an invalid config is refused (CONFIG_INVALID) alike.
  return new MemoryEconomy({ config: defineEconomy(config), clock, random, seeds });
}

/** The simulation's time: moved by the engine, read by the economy (one Date per tick, never mutated). */
export class SimulationClock implements Clock {
  private at: Date;

  constructor(ms: number) {
    this.at = new Date(ms);
  }

  set(ms: number): void {
    if (ms !== this.at.getTime()) this.at = new Date(ms);
  }

  now(): Date {
    return this.at;
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Where the money was at the end of the day before: members (the supply), each game's house, escrow. */
interface Balances {
  supply: bigint;
  houses: Map<string, bigint>;
  escrow: bigint;
}

function dayRecord(day: number, now: DaySnapshot, before: Balances, operations: number): SimulationDay {
  const stats = now.stats;
  const supply = stats.moneySupply;
  const today = stats.daily[stats.daily.length - 1];
  const date = stats.asOf.toISOString().slice(0, 10);
  if (!today || today.day !== date) throw new Error(`the statistics have no point for ${date}`);
  const games: Record<string, bigint> = {};
  let houseTake = 0n;
  for (const [game, balance] of now.houses) {
    games[game] = balance - (before.houses.get(game) ?? 0n);
    houseTake += games[game];
  }
  const supplyChange = supply - before.supply;
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
    supply,
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
