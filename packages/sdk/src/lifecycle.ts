import { AsyncLocalStorage } from 'node:async_hooks';
import { ErrorCode, GuildmintError } from './errors.js';

/**
 * Gates every operation of one economy: waits for migrations before the first call, refuses calls
 * after `close()` began, and lets `close()` wait until every call that started before it has settled.
 * A call made from inside another (a claim reading the store, a listener reading the config) belongs
 * to the outer call: it is neither refused by a close that began meanwhile nor counted twice.
 */
export class Lifecycle {
  private migration: Promise<void> | undefined;
  private closing = false;
  private inFlight = 0;
  private drained: Array<() => void> = [];
  private readonly inside = new AsyncLocalStorage<true>();

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
    if (this.inside.getStore()) return work();
    if (this.closing) throw new GuildmintError(ErrorCode.STORE_UNAVAILABLE, 'the economy has been closed');
    return this.track(work);
  }

  /**
   * Start work that no caller awaits (an `onConfigChange` listener) as an operation of its own: it runs
   * after the operation that triggered it (which neither waits for it nor hears its errors: the returned
   * promise does), `close()` waits for it, and the calls it makes belong to it. It may start while
   * `close()` drains the operation that triggered it; once everything has drained, nothing starts.
   */
  detach(work: () => unknown): Promise<void> {
    if (this.closing && this.inFlight === 0) return Promise.resolve();
    return this.track(async () => {
      await work();
    });
  }

  /** Counts `work` as in flight (synchronously, so a `close()` that follows waits for it). */
  private async track<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await this.inside.run(true, async () => {
        await this.migrate();
        return work();
      });
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
