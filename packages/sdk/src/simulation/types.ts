import type { EconomyConfig } from '../config/schema.js';

export interface SimulationOptions {
  /** The economy to simulate, as `defineEconomy` returns it (e.g. a preset). */
  config: EconomyConfig;
  /** Population size. */
  members: number;
  /** Simulated days (UTC days from `start`). */
  days: number;
  /** Seeds the population, its behaviour and the economy's own chance (ranged rewards). */
  seed: number;
  /**
   * `memory` (default): the economy's rules applied in memory, fast (no store, no SQL). `ledger`: a real
   * economy on a store, driven through the public Tenant API (slow; its ledger can be kept and inspected).
   * With `concurrency: 1` the two give the same result.
   */
  engine?: 'memory' | 'ledger';
  /** Ledger engine only: where the ledger lives; default `:memory:`. A new `file:` URL keeps it afterwards. */
  storage?: string;
  /** Midnight UTC of the first simulated day; default 2026-01-05 (a Monday). */
  start?: Date;
  /** Ledger engine only: sessions in flight at once, so the write batcher groups them. Default 256. */
  concurrency?: number;
  /** Called after each simulated day, e.g. for a progress bar or a live chart. */
  onDay?: (day: SimulationDay) => void;
  /**
   * Stops the run (checked every simulated hour): it rejects with the signal's reason and releases its
   * economy. A server passes its request's signal, so a client that goes away stops the work.
   */
  signal?: AbortSignal;
}

/** One simulated day, measured at its end. Amounts are minor units. */
export interface SimulationDay {
  /** 1-based. */
  day: number;
  /** UTC date, `YYYY-MM-DD`. */
  date: string;
  /** Money supply (every member balance) at the end of the day. */
  supply: bigint;
  /** Out of `faucet:*` today. */
  minted: bigint;
  /** Into `sink:*` today (shop, tax, fees). */
  burned: bigint;
  /** minted − burned: the SDK's net emission (`tenant.stats()`), which leaves games out. */
  netEmission: bigint;
  /** What members lost to games today, net (into `house:*`); negative when the house lost. */
  houseTake: bigint;
  /** supply − yesterday's supply = netEmission − houseTake (every round is settled by the day's end). */
  supplyChange: bigint;
  /** supplyChange ÷ supply at the start of the day, in bps, truncated; null while that supply is 0. */
  inflationBps: number | null;
  /** Wealth concentration of member balances, 0..1 (`tenant.stats().gini`). */
  gini: number;
  /** Members whose balance moved in the last 24 h. */
  activeMembers: number;
  /** Minted today per faucet name. */
  faucets: Record<string, bigint>;
  /** Burned today per sink name (`shop`, `tax`, `fees`). */
  sinks: Record<string, bigint>;
  /** The house's net take today per game. */
  games: Record<string, bigint>;
  /** Member-to-member, game and shop turnover today. */
  volume: bigint;
  /** SDK calls made today. */
  operations: number;
}

/** A 30-day month: days (month − 1)·30 + 1 … month·30. */
export interface SimulationMonth {
  month: number;
  firstDay: number;
  lastDay: number;
  /** Fewer than 30 when the run ends inside the month. */
  days: number;
  supplyStart: bigint;
  supplyEnd: bigint;
  minted: bigint;
  burned: bigint;
  netEmission: bigint;
  houseTake: bigint;
  /**
   * Monthly inflation: the change in money supply over the month ÷ the supply when it began, in bps,
   * truncated toward zero. null for month 1 (the economy starts empty) and whenever that supply is 0.
   */
  inflationBps: number | null;
}

export interface SimulationSummary {
  name: string | null;
  members: number;
  days: number;
  seed: number;
  start: string;
  supply: bigint;
  minted: bigint;
  burned: bigint;
  houseTake: bigint;
  gini: number;
  /** Mean of `activeMembers` over the days. */
  meanActiveMembers: number;
  operations: number;
  /** Per action (`claim:daily`, `play:slots`, `buy`, `use`, `pay`, `act`): `ok` and each error code met. */
  outcomes: Record<string, Record<string, number>>;
  /** The books verified after the last day (`ledger.verify()` on a store): always true, a broken ledger throws. */
  verified: boolean;
}

export interface SimulationResult {
  days: SimulationDay[];
  monthly: SimulationMonth[];
  summary: SimulationSummary;
}
