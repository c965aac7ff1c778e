import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { FleetStore } from './store.js';

/** What the fleet asks of the runtime for one shard. */
export interface ShardHost {
  /** Connect the shard (RESUME the stored session, or IDENTIFY); resolves once it is ready. */
  serve(shard: number): Promise<void>;
  /**
   * Disconnect the shard at once, leaving its gateway session resumable for the next holder (it stays in
   * Redis). `lost`: the lease is gone already; `handoff`: it is released right after.
   */
  drop(shard: number, why: 'lost' | 'handoff'): Promise<void>;
}

export interface ShardFleetOptions {
  store: FleetStore;
  host: ShardHost;
  shardCount: number;
  /** A lease runs this long unless renewed (renewed every third of it). */
  leaseMs: number;
  log: Logger;
  /** Unique per process; default: random. */
  processId?: string;
}

interface Lease {
  token: string;
  /** When the last successful renewal was sent (local clock): the lease surely runs until then + leaseMs. */
  renewedAt: number;
  /** The shard is connected and its session stored: it can be handed on without a new IDENTIFY. */
  ready: boolean;
}

/**
 * Shards leased through Redis. Every tick (a third of the lease): count the live processes, renew the
 * leases held (a failed renewal drops the shard at once), then move toward a fair share,
 * ceil(shards / processes): take free shards while below it, hand one shard on while above it. A
 * process that dies stops renewing; its leases expire and the others take the shards over.
 */
export class ShardFleet {
  readonly processId: string;
  private readonly leases = new Map<number, Lease>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;
  private readonly tickMs: number;

  constructor(private readonly o: ShardFleetOptions) {
    this.processId = o.processId ?? randomBytes(8).toString('hex');
    this.tickMs = Math.max(50, Math.floor(o.leaseMs / 3));
  }

  /** The shards held now, sorted. */
  held(): number[] {
    return [...this.leases.keys()].sort((a, b) => a - b);
  }

  tokenOf(shard: number): string | undefined {
    return this.leases.get(shard)?.token;
  }

  /**
   * Joins the fleet: registers, waits one tick so that processes started together count each other
   * (otherwise the first would take every shard), then takes its share and resolves once those are served.
   */
  async start(): Promise<void> {
    await this.o.store.heartbeat(this.processId, this.o.leaseMs);
    await new Promise((resolve) => setTimeout(resolve, this.tickMs));
    const served = await this.tick();
    // Renewals go on while the first shards connect (identifies wait their turn for seconds).
    this.schedule();
    await Promise.all(served);
  }

  /** Hands every shard on (sessions stay resumable in Redis) and leaves. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
    await Promise.all(this.held().map((shard) => this.handOff(shard)));
    await this.o.store.leave(this.processId).catch(() => {});
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.ticking = this.tick()
        .then(() => undefined)
        .catch((err: unknown) => this.o.log.warn({ err }, 'fleet tick failed'))
        .finally(() => {
          this.ticking = undefined;
          this.schedule();
        });
    }, this.tickMs);
    this.timer.unref();
  }

  /** One round; returns the serving of the shards it took (start() waits for them, ticks do not). */
  private async tick(): Promise<Array<Promise<void>>> {
    const { store, leaseMs, shardCount } = this.o;
    await this.renewAll();
    const processes = await store.heartbeat(this.processId, leaseMs);
    const share = Math.ceil(shardCount / Math.max(1, processes));
    const held = this.held();
    if (held.length > share) {
      // One per tick, so that a process joining takes shards over gradually (each one RESUMEs); never one
      // still connecting, whose session the next holder could not resume.
      const ready = held.filter((shard) => this.leases.get(shard)!.ready);
      if (ready.length > 0) await this.handOff(ready[ready.length - 1]!);
      return [];
    }
    const serving: Array<Promise<void>> = [];
    if (this.leases.size >= share) return [];
    for (const shard of await store.freeShards(shardCount)) {
      if (this.leases.size >= share || this.stopped) break;
      const token = `${this.processId}:${randomBytes(6).toString('hex')}`;
      const sentAt = Date.now();
      if (!(await store.acquire(shard, token, leaseMs))) continue;
      this.leases.set(shard, { token, renewedAt: sentAt, ready: false });
      this.o.log.info({ shard, processes, share }, 'shard lease acquired');
      serving.push(this.serve(shard));
    }
    return serving;
  }

  private async serve(shard: number): Promise<void> {
    try {
      await this.o.host.serve(shard);
      const lease = this.leases.get(shard);
      if (lease) lease.ready = true;
    } catch (err) {
      this.o.log.error({ shard, err }, 'could not serve a leased shard; releasing it');
      await this.handOff(shard);
    }
  }

  private async renewAll(): Promise<void> {
    const { store, leaseMs } = this.o;
    await Promise.all(
      this.held().map(async (shard) => {
        const lease = this.leases.get(shard)!;
        const sentAt = Date.now();
        const renewed = await store.renew(shard, lease.token, leaseMs).catch((err: unknown) => {
          this.o.log.warn({ shard, err }, 'could not renew a shard lease');
          return undefined;
        });
        if (renewed === true) {
          lease.renewedAt = sentAt;
          return;
        }
        // Refused (another process holds it), or unconfirmed for two thirds of the lease (Redis is away):
        // stop serving before anyone else can hold it.
        if (renewed === false || Date.now() - lease.renewedAt > (2 * leaseMs) / 3) {
          this.leases.delete(shard);
          this.o.log.warn({ shard, refused: renewed === false }, 'shard lease lost; dropping the shard');
          await this.o.host.drop(shard, 'lost');
        }
      }),
    );
  }

  private async handOff(shard: number): Promise<void> {
    const lease = this.leases.get(shard);
    if (!lease) return;
    await this.o.host.drop(shard, 'handoff');
    this.leases.delete(shard);
    await this.o.store.release(shard, lease.token).catch((err: unknown) => {
      this.o.log.warn({ shard, err }, 'could not release a shard lease (it expires by itself)');
    });
    this.o.log.info({ shard }, 'shard handed off');
  }
}
