import { createHash } from 'node:crypto';
import type { EconomyConfig } from '@guildmint/sdk';
import type { SimulationDay, SimulationOptions, SimulationResult } from '@guildmint/sdk/simulation';
import { loadSimulation } from '../sdk';

/**
 * The editor's 30-day preview: the SDK's simulation engine runs a seeded population on a real
 * in-memory economy (≈ 4 s for 50 members here). It is the costliest thing a user can ask of this
 * server, so it is bounded: a few at a time per process, a time limit, and it stops as soon as the
 * request that asked for it goes away. Finished runs are kept for a while: the same draft is instant.
 */

export const SIMULATION_DAYS = 30;
const SEED = 1;

export type SimulatedDay = Pick<
  SimulationDay,
  'day' | 'supply' | 'minted' | 'burned' | 'houseTake' | 'activeMembers'
>;

export interface SimulationLimits {
  /** Simulations running at once in this process; more are refused (busy) rather than queued. */
  maxConcurrent: number;
  /** A run still going after this long is stopped. */
  timeoutMs: number;
  /** Finished runs kept, by (config, members). */
  cacheSize: number;
}

/** Why a simulation was not run to the end. */
export class SimulationRefused extends Error {
  override readonly name = 'SimulationRefused';
  constructor(
    readonly reason: 'busy' | 'timeout',
    message: string,
  ) {
    super(message);
  }
}

export interface SimulationHooks {
  /** Told after each simulated day (progress; tests watch work stop). */
  onDay?: (day: number) => void;
  /** The engine: the SDK's, unless a test needs one that finishes only when it is told to. */
  simulate?: (options: SimulationOptions) => Promise<Pick<SimulationResult, 'days'>>;
}

export class SimulationRunner {
  private running = 0;
  private readonly finished = new Map<string, SimulatedDay[]>();

  constructor(
    private readonly limits: SimulationLimits,
    private readonly hooks: SimulationHooks = {},
  ) {}

  async run(config: EconomyConfig, members: number, signal?: AbortSignal): Promise<SimulatedDay[]> {
    const key = createHash('sha256')
      .update(JSON.stringify([config, members]))
      .digest('hex');
    const known = this.finished.get(key);
    if (known) return known;
    if (this.running >= this.limits.maxConcurrent) {
      throw new SimulationRefused(
        'busy',
        'the simulator is busy with other drafts; try again in a few seconds',
      );
    }
    this.running++;
    const timeout = AbortSignal.timeout(this.limits.timeoutMs);
    try {
      const simulate = this.hooks.simulate ?? (await loadSimulation()).simulateEconomy;
      const { onDay } = this.hooks;
      const result = await simulate({
        config,
        members,
        days: SIMULATION_DAYS,
        seed: SEED,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        ...(onDay && { onDay: (day: SimulationDay) => onDay(day.day) }),
      });
      const days = result.days.map(({ day, supply, minted, burned, houseTake, activeMembers }) => ({
        day,
        supply,
        minted,
        burned,
        houseTake,
        activeMembers,
      }));
      this.remember(key, days);
      return days;
    } catch (error) {
      if (timeout.aborted && !signal?.aborted) {
        throw new SimulationRefused(
          'timeout',
          `the simulation took longer than ${this.limits.timeoutMs / 1000} s; try fewer members`,
        );
      }
      throw error;
    } finally {
      this.running--;
    }
  }

  private remember(key: string, days: SimulatedDay[]): void {
    this.finished.set(key, days);
    if (this.finished.size > this.limits.cacheSize) this.finished.delete(this.finished.keys().next().value!);
  }
}
