import { StripeApiError } from '../errors.js';

interface Saved {
  fingerprint: string;
  status: number;
  body: string;
  savedAt: number;
}

const DAY = 86_400;

/**
 * Stripe's idempotency layer: a key (per account) remembers the first request's parameters and answer for
 * 24 hours. The same key with the same parameters → that answer again (`Idempotent-Replayed: true`); with
 * other parameters → an `idempotency_error`. Handlers run without yielding, so two requests with one key
 * never overlap (Stripe's 409 "in progress" cannot happen here): the later one replays the first.
 */
export class IdempotencyCache {
  private readonly saved = new Map<string, Saved>();

  constructor(private readonly now: () => number) {}

  /** The saved answer to replay, or undefined when the request should run. */
  lookup(scope: string, key: string, fingerprint: string): Saved | undefined {
    const id = `${scope}\u0000${key}`;
    const saved = this.saved.get(id);
    if (saved && this.now() - saved.savedAt > DAY) this.saved.delete(id);
    const current = this.saved.get(id);
    if (current && current.fingerprint !== fingerprint) {
      throw new StripeApiError(
        400,
        'idempotency_error',
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    return current;
  }

  /**
   * Keeps the answer when the endpoint ran (a success or a card decline), not when its parameters were
   * refused, as on Stripe: the key can then be used again.
   */
  save(scope: string, key: string, fingerprint: string, status: number, body: string): void {
    if (status < 400 || status === 402)
      this.saved.set(`${scope}\u0000${key}`, { fingerprint, status, body, savedAt: this.now() });
  }
}
