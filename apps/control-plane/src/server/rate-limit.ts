import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** Caps how often one user may change things, so a stuck button or a script cannot flood the ledger. */
export interface MutationLimiter {
  /** Counts one mutation; `retryAfterMs` when the user is over the limit. */
  consume(userId: string): Promise<{ ok: true } | { ok: false; retryAfterMs: number }>;
}

export function memoryMutationLimiter(o: { points: number; perSeconds: number }): MutationLimiter {
  const limiter = new RateLimiterMemory({ points: o.points, duration: o.perSeconds });
  return {
    async consume(userId) {
      try {
        await limiter.consume(userId);
        return { ok: true };
      } catch (error) {
        if (error instanceof RateLimiterRes) return { ok: false, retryAfterMs: error.msBeforeNext };
        throw error;
      }
    },
  };
}
