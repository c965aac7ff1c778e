/**
 * Stripe's clock, in Unix seconds. It starts at the wall clock (or `start`) and moves only when told
 * (`advance`), like a Stripe test clock: renewals, retries and expiries happen as it passes them.
 */
export class SimClock {
  private current: number;

  constructor(start: number = Math.floor(Date.now() / 1000)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  /** Moves to `to` (never backwards). */
  moveTo(to: number): void {
    if (to > this.current) this.current = to;
  }
}
