/**
 * What a test made of the API for a while: down (every call answers 503) or slow (every call waits before it
 * is handled), each for a number of calls or until cleared.
 */
export class Faults {
  private outage: { remaining: number } | null = null;
  private latency: { ms: number; remaining: number } | null = null;

  /** Down for the next `requests` API calls (default: until `clearOutage`). */
  setOutage(o: { requests?: number } = {}): void {
    this.outage = { remaining: o.requests ?? Number.POSITIVE_INFINITY };
  }

  clearOutage(): void {
    this.outage = null;
  }

  /** Each of the next `requests` API calls (default: all, until cleared) is answered `ms` later. */
  setLatency(ms: number, o: { requests?: number } = {}): void {
    this.latency = ms > 0 ? { ms, remaining: o.requests ?? Number.POSITIVE_INFINITY } : null;
  }

  /** Called once per API call: whether it is refused, and how long it waits first. */
  take(): { down: boolean; delayMs: number } {
    let down = false;
    let delayMs = 0;
    if (this.outage) {
      down = true;
      if (--this.outage.remaining <= 0) this.outage = null;
    }
    if (this.latency) {
      delayMs = this.latency.ms;
      if (--this.latency.remaining <= 0) this.latency = null;
    }
    return { down, delayMs };
  }
}
