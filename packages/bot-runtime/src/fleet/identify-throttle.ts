import { setTimeout as sleep } from 'node:timers/promises';
import type { IIdentifyThrottler } from 'discord.js';
import type { FleetStore } from './store.js';

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
  ) {}

  async waitForIdentify(shardId: number, signal: AbortSignal): Promise<void> {
    const bucket = shardId % this.maxConcurrency;
    for (;;) {
      signal.throwIfAborted();
      const wait = await this.store.takeIdentifySlot(bucket, this.windowMs);
      if (wait === 0) return;
      await sleep(wait, undefined, { signal });
    }
  }
}
