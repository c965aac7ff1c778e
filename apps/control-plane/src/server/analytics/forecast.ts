import type { EconomyConfig, IssuanceDay, SupplyDay, Tenant } from '@guildmint/sdk';
import type { SimulationDay } from '@guildmint/sdk/simulation';
import { loadSimulation } from '../sdk';

/**
 * The forecast: what the editor's simulation expected of the range against what happened. The SDK's
 * simulation engine runs the config that was in force when the range began, for the guild's member
 * count, from the range's first day; its supply change is added to the supply the guild actually had
 * when the range began.
 */

export interface ForecastDay {
  day: string;
  /** Supply at the start plus the simulated change up to this day's end. */
  expected: bigint;
  actual: bigint;
}

/** What the simulation assumed, for the page to say. */
export interface ForecastAssumptions {
  /** The config version in force at the range's start (0: the classic preset, before any publish). */
  configVersion: number;
  /** When that version was published (null for version 0). */
  publishedAt: Date | null;
  /** Members holding an account now: the population the forecast is for. */
  members: number;
  /** Members actually simulated; the simulated change is scaled by members ÷ simulated. */
  simulated: number;
  seed: number;
  /** Days simulated (the range's first days, at most `MAX_FORECAST_DAYS`). */
  days: number;
  /** Supply when the range began (the end of the day before its first). */
  startSupply: bigint;
}

export interface Forecast {
  days: ForecastDay[];
  assumptions: ForecastAssumptions;
}

/** More members than this are simulated as a sample and scaled: the change grows with the population. */
export const MAX_SIMULATED_MEMBERS = 500;
/** The forecast covers at most this many days of a range (a quarter). */
export const MAX_FORECAST_DAYS = 92;
const SEED = 1;
/** A forecast still simulating after this long is left out of the report (the page says so). */
const TIMEOUT_MS = 30_000;

/**
 * The forecast's numbers from the actual series and a simulation of `simulated` members. `supply` and
 * `issuance` are the report's, day by day; the simulation's day i is the range's day i.
 */
export function forecastSeries(o: {
  supply: readonly SupplyDay[];
  issuance: readonly IssuanceDay[];
  simulatedDays: ReadonlyArray<Pick<SimulationDay, 'supply'>>;
  members: number;
  simulated: number;
}): { days: ForecastDay[]; startSupply: bigint } {
  const first = o.supply[0];
  const startSupply = first ? first.supply - (o.issuance[0]?.net ?? 0n) : 0n;
  const days = o.simulatedDays.slice(0, o.supply.length).map((sim, i) => ({
    day: o.supply[i]!.day,
    // Simulated from an empty economy, so its supply is the change since the start.
    expected: startSupply + (o.simulated > 0 ? (sim.supply * BigInt(o.members)) / BigInt(o.simulated) : 0n),
    actual: o.supply[i]!.supply,
  }));
  return { days, startSupply };
}

/** The config in force at `at`: the last version published by then (version 0, the classic preset, before any). */
export async function configAt(
  tenant: Tenant,
  at: Date,
): Promise<{ config: EconomyConfig; version: number; publishedAt: Date | null }> {
  const history = await tenant.configHistory();
  const inForce = history
    .filter((v) => v.createdAt.getTime() <= at.getTime())
    .reduce<(typeof history)[number] | null>((a, v) => (a === null || v.version > a.version ? v : a), null);
  const version = inForce?.version ?? 0;
  const { version: _, ...config } = await tenant.configVersion(version);
  return { config, version, publishedAt: inForce?.createdAt ?? null };
}

/** Finished simulations by (config, simulated members, start, days): a report read twice simulates once. */
const finished = new Map<string, SimulationDay[]>();
const FINISHED_KEPT = 32;
/** One forecast simulates at a time per process; the others wait their turn. */
let queue: Promise<unknown> = Promise.resolve();

async function simulate(config: EconomyConfig, members: number, start: Date, days: number) {
  const key = JSON.stringify([config, members, start.toISOString(), days]);
  const known = finished.get(key);
  if (known) return known;
  const run = queue.then(async () => {
    const { simulateEconomy } = await loadSimulation();
    const result = await simulateEconomy({
      config,
      members,
      days,
      seed: SEED,
      start,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (finished.size >= FINISHED_KEPT) finished.delete(finished.keys().next().value!);
    finished.set(key, result.days);
    return result.days;
  });
  queue = run.catch(() => undefined);
  return run;
}

/**
 * The report's forecast, or null when there is nothing to forecast (no members, no days) or the
 * simulation did not finish in time.
 */
export async function buildForecast(
  tenant: Tenant,
  o: { supply: readonly SupplyDay[]; issuance: readonly IssuanceDay[]; members: number },
): Promise<Forecast | null> {
  const first = o.supply[0];
  if (!first || o.members <= 0) return null;
  const start = new Date(`${first.day}T00:00:00Z`);
  const days = Math.min(o.supply.length, MAX_FORECAST_DAYS);
  const simulated = Math.min(o.members, MAX_SIMULATED_MEMBERS);
  const { config, version, publishedAt } = await configAt(tenant, start);
  let simulatedDays: SimulationDay[];
  try {
    simulatedDays = await simulate(config, simulated, start, days);
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') return null;
    throw error;
  }
  const series = forecastSeries({ ...o, simulatedDays, simulated });
  return {
    days: series.days,
    assumptions: {
      configVersion: version,
      publishedAt,
      members: o.members,
      simulated,
      seed: SEED,
      days,
      startSupply: series.startSupply,
    },
  };
}
