import { ErrorCode, GuildmintError } from './errors.js';

/**
 * Gates every operation of one economy: waits for migrations before the first call, refuses calls
 * after `close()` began, and lets `close()` wait until every call that started before it has settled.
 */
export class Lifecycle {
  private migration: Promise<void> | undefined;
  private closing = false;
  private inFlight = 0;
  private drained: Array<() => void> = [];

  constructor(private readonly migrateStore: () => Promise<void>) {}

  migrate(): Promise<void> {
    this.migration ??= this.migrateStore().catch((error: unknown) => {
      this.migration = undefined;
      throw error;
    });
    return this.migration;
  }

  /** Run one public operation inside the gate. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.closing) throw new GuildmintError(ErrorCode.STORE_UNAVAILABLE, 'the economy has been closed');
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
