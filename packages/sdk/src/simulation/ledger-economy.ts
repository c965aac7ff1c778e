import type { Cache } from '../cache.js';
import type { EconomyConfig } from '../config/schema.js';
import { openEconomy } from '../economy.js';
import type { SeedSource } from '../games/fairness.js';
import { GAME_NAMES } from '../games/types.js';
import type { RandomSource } from '../random.js';
import type { Clock } from '../stores/clock.js';
import type { DaySnapshot, SimulatedEconomy } from './simulated-economy.js';

const TENANT = 'simulation';

export interface LedgerEconomyOptions {
  config: EconomyConfig;
  clock: Clock;
  random: RandomSource;
  seeds: SeedSource;
  /** Where the ledger lives: `:memory:`, or a new `file:` URL to keep it for inspection. */
  storage: string;
  concurrency: number;
}

/**
 * The economy as the SDK runs it: a private Tenant on a real store (every coin through the ledger),
 * driven only through the public Tenant API. Members' sessions in one simulated hour run `concurrency`
 * at a time, so the write batcher groups their operations as it would a busy guild's. It is the reference
 * the in-memory economy is held to (`agreement.test.ts`), and `--engine ledger` keeps its ledger to look at.
 */
export async function openLedgerEconomy(o: LedgerEconomyOptions): Promise<SimulatedEconomy> {
  const economy = openEconomy(
    { storage: o.storage, clock: o.clock, random: o.random, cache: simulationCache() },
    o.seeds,
  );
  try {
    await economy.migrate();
    const tenant = economy.tenant(TENANT);
    if ((await tenant.stats()).members > 0) {
      throw new Error(`the storage already holds a simulated economy; give each run a new one`);
    }
    await tenant.configure(o.config, { actor: 'simulation' });
    const games = GAME_NAMES.filter((game) => o.config.games[game]?.enabled);
    const blackjack = o.config.games.blackjack?.enabled ?? false;
    return {
      actions: tenant,
      concurrency: o.concurrency,
      async startDay() {
        if (o.config.policy.autoBalance.enabled) await tenant.runAutoBalancer();
      },
      async startHour() {
        // Load the config once per tick: after the clock moves, concurrent first reads would each
        // re-read and re-parse it.
        await tenant.config();
      },
      async endDay(): Promise<DaySnapshot> {
        // A round left open (an action refused) stands by itself once its timeout passes.
        if (blackjack) await tenant.settleExpiredRounds();
        const stats = await tenant.stats();
        const houses = new Map<string, bigint>();
        for (const game of games) houses.set(game, await tenant.ledger.balance(`house:${game}`));
        return { stats, houses, escrow: await tenant.ledger.balance('system:escrow') };
      },
      async verify() {
        const verified = await tenant.ledger.verify();
        if (!verified.ok) {
          throw new Error(
            `the ledger does not verify after the simulation: ${verified.problems.slice(0, 5).join('; ')}`,
          );
        }
      },
      close: () => economy.close(),
    };
  } catch (error) {
    await economy.close();
    throw error;
  }
}

/**
 * Rate limits count real minutes, while a simulated day lasts a few real seconds and its members
 * act in bursts: a real limiter would refuse them for speed that is not theirs. Members here are not
 * abusers, so nothing is limited.
 */
function simulationCache(): Cache {
  return { kind: 'memory', rateLimiter: { consume: async () => {} }, close: async () => {} };
}
