import type { Economy } from '@guildmint/sdk';
import type { Logger } from 'pino';
import { concurrencyLimit } from './limit.js';

export interface PresenceReport {
  guildId: string;
  present: boolean;
  /** False when the store already said so and nothing was written (`ensure`). */
  written: boolean;
}

interface Wanted {
  present: boolean;
  /** Read first and write only when the stored presence differs (a restart, a guild coming back). */
  onlyIfChanged: boolean;
}

/**
 * Tells each guild's economy whether the bot is in the guild (`tenant.reportPresence`), which the control
 * plane shows as "installed": true when the bot receives the guild (GUILD_CREATE), false when it leaves
 * (GUILD_DELETE). Reports for one guild run one at a time and the newest wins, so a join quickly followed
 * by a leave ends as "not present". A report that failed (the store unreachable) is kept and tried again
 * by `retryFailed()`, from the periodic job, unless a newer one replaced it.
 */
export class PresenceReporter {
  private readonly wanted = new Map<string, Wanted>();
  private readonly failed = new Map<string, Wanted>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly limit: <T>(task: () => Promise<T>) => Promise<T>;

  constructor(
    private readonly o: {
      economy: Economy;
      log: Logger;
      concurrency?: number;
      onReported?: (report: PresenceReport) => void;
    },
  ) {
    this.limit = concurrencyLimit(o.concurrency ?? 4);
  }

  /** Records that the bot is (or is no longer) in the guild. Never rejects. */
  report(guildId: string, present: boolean): Promise<void> {
    return this.want(guildId, { present, onlyIfChanged: false });
  }

  /** Like `report(guildId, true)`, but writes only when the store does not already say so. */
  ensurePresent(guildId: string): Promise<void> {
    return this.want(guildId, { present: true, onlyIfChanged: true });
  }

  /** Tries again the reports that failed. */
  retryFailed(): void {
    for (const [guildId, wanted] of this.failed) void this.want(guildId, wanted);
  }

  /** Guilds whose last report failed and waits for `retryFailed`. */
  get pending(): number {
    return this.failed.size;
  }

  /** Resolves when every report requested so far is done (written, or failed and kept for a retry). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  private want(guildId: string, wanted: Wanted): Promise<void> {
    this.wanted.set(guildId, wanted);
    this.failed.delete(guildId);
    const running = this.running.get(guildId);
    if (running) return running;
    const run = this.drain(guildId);
    this.running.set(guildId, run);
    return run;
  }

  /** Writes the guild's newest wanted presence until none is left. */
  private async drain(guildId: string): Promise<void> {
    await null; // `running` is set before this can end
    for (;;) {
      const wanted = this.wanted.get(guildId);
      if (!wanted) {
        this.running.delete(guildId);
        return;
      }
      this.wanted.delete(guildId);
      try {
        const written = await this.limit(() => this.write(guildId, wanted));
        const fields = { guildId, tenant: guildId, present: wanted.present, written };
        if (written) this.o.log.info(fields, 'presence reported');
        else this.o.log.debug(fields, 'presence already reported');
        this.o.onReported?.({ guildId, present: wanted.present, written });
      } catch (error) {
        this.o.log.warn(
          { guildId, tenant: guildId, present: wanted.present, err: error },
          'could not report presence; retried by the periodic job',
        );
        if (!this.wanted.has(guildId)) this.failed.set(guildId, wanted);
      }
    }
  }

  private async write(guildId: string, wanted: Wanted): Promise<boolean> {
    const tenant = this.o.economy.tenant(guildId);
    if (wanted.onlyIfChanged && (await tenant.presence()).present === wanted.present) return false;
    await tenant.reportPresence(wanted.present);
    return true;
  }
}
