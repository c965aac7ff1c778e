import { ErrorCode, GuildmintError } from './errors.js';

/**
 * Gates every operation of one economy: waits for migrations before the first call, refuses calls
 * after `close()` began, and lets `close()` wait until every call that started before it has settled.
 *
 * Only the public surface opens the gate (`tenant.ts`, `tenant.ledger`): what an operation calls in
 * turn runs inside it, so a close that begins meanwhile never refuses an operation halfway. The one
 * caller that may come back in is a config listener (`detach`), whose calls may be made after close()
 * began: while a listener runs, calls are still taken (and drained). Knowing which calls are a
 * listener's would need AsyncLocalStorage, which on Node.js 20 and 22 installs a promise hook that
 * taxes every promise of the host process (4 % of the bot's CPU in bench:runtime).
 */
export class Lifecycle {
  private migration: Promise<void> | undefined;
  private closing = false;
  private inFlight = 0;
  /** Listener runs in flight (`detach`): while any runs, a closing economy still takes calls. */
  private listening = 0;
  private drained: Array<() => void> = [];

  constructor(private readonly migrateStore: () => Promise<void>) {}

  migrate(): Promise<void> {
    this.migration ??= this.migrateStore().catch((error: unknown) => {
      this.migration = undefined;
      throw error;
    });
    return this.migration;
  }

  /** Run one operation inside the gate. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.closing && this.listening === 0)
      throw new GuildmintError(ErrorCode.STORE_UNAVAILABLE, 'the economy has been closed');
    return this.track(work);
  }

  /**
   * Start work that no caller awaits (an `onConfigChange` listener) as an operation of its own: it runs
   * after the operation that triggered it (which neither waits for it nor hears its errors: the returned
   * promise does), and `close()` waits for it and for the calls it makes. It may start while `close()`
   * drains the operation that triggered it; once everything has drained, nothing starts.
   */
  detach(work: () => unknown): Promise<void> {
    if (this.closing && this.inFlight === 0) return Promise.resolve();
    this.listening++;
    return this.track(async () => {
      await work();
    }).finally(() => {
      this.listening--;
    });
  }

  /** Counts `work` as in flight (synchronously, so a `close()` that follows waits for it). */
  private async track<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      await this.migrate();
      return await work();
    } finally {
      if (--this.inFlight === 0) for (const resolve of this.drained.splice(0)) resolve();
    }
  }

  /** Stop taking calls; resolve once the ones already started have settled. Returns false if already closing. */
  async close(): Promise<boolean> {
    if (this.closing) return false;
    this.closing = true;
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
    return true;
  }
}
