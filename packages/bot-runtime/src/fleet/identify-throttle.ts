import { setTimeout as sleep } from 'node:timers/promises';
import type { IIdentifyThrottler } from 'discord.js';
import type { FleetStore } from './store.js';

/** How soon to ask Redis again after it failed. */
const REDIS_RETRY_MS = 250;

/**
 * Discord's identify rule for every process of the fleet at once: one IDENTIFY per bucket
 * (`shard_id % max_concurrency`) per window, the bucket held in Redis. @discordjs/ws's own throttler
 * only knows the shards of its process.
 */
export class RedisIdentifyThrottler implements IIdentifyThrottler {
  constructor(
    private readonly store: FleetStore,
    private readonly maxConcurrency: number,
    /** Discord's window plus a margin for the time an IDENTIFY takes to reach it. */
    private readonly windowMs: number,
    /** Told when Redis could not be asked (the throttler then asks again). */
    private readonly onError: (error: unknown, shardId: number) => void = () => {},
  ) {}

  /**
   * Resolves when the shard may identify; rejects only when `signal` aborts. @discordjs/ws sends the IDENTIFY
   * anyway when this rejects for any other reason, unthrottled, so a Redis failure must not escape: ask again.
   */
  async waitForIdentify(shardId: number, signal: AbortSignal): Promise<void> {
    const bucket = shardId % this.maxConcurrency;
    for (;;) {
      signal.throwIfAborted();
      let wait: number;
      try {
        wait = await this.store.takeIdentifySlot(bucket, this.windowMs);
      } catch (error) {
        signal.throwIfAborted();
        this.onError(error, shardId);
        wait = REDIS_RETRY_MS;
      }
      if (wait === 0) return;
      await sleep(wait, undefined, { signal });
    }
  }
}
