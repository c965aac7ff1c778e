import type { SeededRandom } from './random.js';

/** Stripe-looking ids (`cus_…`, `cs_test_…`) from the seeded generator: one seed, the same ids. */
export class IdFactory {
  constructor(private readonly random: SeededRandom) {}

  next(prefix: string): string {
    return `${prefix}_${this.random.base62(prefix.endsWith('_test') ? 58 : 24)}`;
  }

  secret(prefix: string): string {
    return `${prefix}_${this.random.base62(32)}`;
  }
}
