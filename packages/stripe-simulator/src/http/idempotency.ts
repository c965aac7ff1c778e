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
 * other parameters, or while the first is still running → an `idempotency_error`.
 */
export class IdempotencyCache {
  private readonly saved = new Map<string, Saved>();
  private readonly running = new Map<string, string>();

  constructor(private readonly now: () => number) {}

  /** The saved answer to replay, or undefined when the request should run (and is now marked running). */
  begin(scope: string, key: string, fingerprint: string): Saved | undefined {
    const id = `${scope}\u0000${key}`;
    const saved = this.saved.get(id);
    if (saved && this.now() - saved.savedAt > DAY) this.saved.delete(id);
    const current = this.saved.get(id);
    const mismatch = () =>
      new StripeApiError(
        400,
        'idempotency_error',
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    if (current) {
      if (current.fingerprint !== fingerprint) throw mismatch();
      return current;
    }
    const running = this.running.get(id);
    if (running !== undefined) {
      if (running !== fingerprint) throw mismatch();
      throw new StripeApiError(
        409,
        'idempotency_error',
        `There is currently another in-progress request using this Idempotency-Key (that probably means you have a network problem or a concurrent request). Please try again later.`,
        { code: 'idempotency_key_in_use' },
      );
    }
    this.running.set(id, fingerprint);
    return undefined;
  }

  /**
   * The request finished: its answer is kept when the endpoint ran (a success or a card decline), not when
   * its parameters were refused, as on Stripe.
   */
  end(scope: string, key: string, fingerprint: string, status: number, body: string): void {
    const id = `${scope}\u0000${key}`;
    this.running.delete(id);
    if (status < 400 || status === 402)
      this.saved.set(id, { fingerprint, status, body, savedAt: this.now() });
  }
}
