import { seededRandom as sdkSeededRandom } from '../../src/index.js';

/**
 * Seeded randomness for the concurrency and crash tests. Every suite prints its seed; set
 * GUILDMINT_SEED to replay one. (Thread scheduling is not seeded: a failure replays its workload
 * and kill points, not necessarily its exact interleaving.)
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  bigint(min: bigint, max: bigint): bigint;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
}

const DEFAULT_SEED = 20_261_125;

/** The SDK's seeded source (mulberry32), with the helpers the workloads need. */
export function seededRandom(seed: number): Random {
  const source = sdkSeededRandom(seed);
  const next = () => source.int(2 ** 32) / 2 ** 32;
  const int = (min: number, max: number) => min + source.int(max - min + 1);
  return {
    next,
    int,
    bigint: (min, max) => min + BigInt(source.int(Number(max - min + 1n))),
    chance: (probability) => next() < probability,
    pick: (items) => items[int(0, items.length - 1)]!,
  };
}

/** A seed of its own for each part of a suite (FNV-1a of the label mixed with the suite seed). */
export function deriveSeed(seed: number, label: string): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The suite seed (GUILDMINT_SEED or a fixed default), printed so a failing run can be replayed. */
export function announceSeed(suite: string): number {
  const fromEnv = process.env.GUILDMINT_SEED;
  const seed = fromEnv === undefined || fromEnv === '' ? DEFAULT_SEED : Number(fromEnv);
  if (!Number.isSafeInteger(seed)) throw new Error(`GUILDMINT_SEED must be an integer, got ${fromEnv}`);
  console.info(`[guildmint] ${suite}: seed ${seed} (replay with GUILDMINT_SEED=${seed})`);
  return seed;
}
