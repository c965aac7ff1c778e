import { type RandomSource, seededRandom } from '../random.js';

/** Draws a simulation makes: floats for behaviour (not money), on top of a seeded integer source. */
export interface Dice {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  between(min: number, max: number): number;
  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  chance(p: number): boolean;
  /** An element chosen with probability proportional to its weight; undefined when all weights are 0. */
  weighted<T>(items: readonly T[], weight: (item: T) => number): T | undefined;
}

const RESOLUTION = 2 ** 30;

export function dice(source: RandomSource): Dice {
  return new SourceDice(source);
}

/** A class, not closures: a run makes one per member and day (900,000 in a 10,000 × 90 run). */
class SourceDice implements Dice {
  constructor(private readonly source: RandomSource) {}

  next(): number {
    return this.source.int(RESOLUTION) / RESOLUTION;
  }

  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  int(maxExclusive: number): number {
    return this.source.int(maxExclusive);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  weighted<T>(items: readonly T[], weight: (item: T) => number): T | undefined {
    let total = 0;
    for (const item of items) total += Math.max(0, weight(item));
    if (total <= 0) return undefined;
    let at = this.next() * total;
    for (const item of items) {
      at -= Math.max(0, weight(item));
      if (at < 0) return item;
    }
    return items[items.length - 1];
  }
}

/**
 * A seeded stream for one purpose, e.g. (seed, member, day): independent of the order in which
 * concurrent sessions happen to draw, so a run does not depend on scheduling.
 */
export function streamFor(...parts: number[]): Dice {
  let h = 0x811c9dc5;
  for (const part of parts) h = fmix32((Math.imul(h ^ (part >>> 0), 0x01000193) + 0x9e3779b9) >>> 0);
  return dice(seededRandom(h));
}

/** MurmurHash3's finalizer: spreads every input bit over the output. */
function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
