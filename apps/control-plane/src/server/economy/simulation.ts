import { createHash } from 'node:crypto';
import type { EconomyConfig } from '@guildmint/sdk';
import { type SimulationDay, simulateEconomy } from '@guildmint/sdk/simulation';

/**
 * The editor's 30-day preview: the SDK's simulation engine runs a seeded population on a real
 * in-memory economy (≈ 4 s for 50 members here), so it runs when asked, and each (config, size)
 * is kept for a while: asking again for the same draft is instant.
 */

export const SIMULATION_DAYS = 30;
const SEED = 1;
const CACHE_SIZE = 20;

export type SimulatedDay = Pick<
  SimulationDay,
  'day' | 'supply' | 'minted' | 'burned' | 'houseTake' | 'activeMembers'
>;

const cache = new Map<string, Promise<SimulatedDay[]>>();

export function simulateMonth(config: EconomyConfig, members: number): Promise<SimulatedDay[]> {
  const key = createHash('sha256')
    .update(JSON.stringify([config, members]))
    .digest('hex');
  let run = cache.get(key);
  if (!run) {
    run = simulateEconomy({ config, members, days: SIMULATION_DAYS, seed: SEED }).then((result) =>
      result.days.map(({ day, supply, minted, burned, houseTake, activeMembers }) => ({
        day,
        supply,
        minted,
        burned,
        houseTake,
        activeMembers,
      })),
    );
    run.catch(() => cache.delete(key));
    cache.set(key, run);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  }
  return run;
}
