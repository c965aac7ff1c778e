import type { LogChannelConfig, LogEventKind } from '@guildmint/sdk';
import type { APIEmbed } from 'discord.js';
import type { Logger } from 'pino';
import { Colors, embed } from './replies.js';
import { clip } from './slash.js';

/** Events waiting per guild at most; beyond it they are counted as dropped, and the next post says so. */
export const MAX_QUEUED = 100;
/** Lines per post at most, each clipped: together they always fit an embed's 4096 characters. */
export const MAX_LINES_PER_POST = 15;
const MAX_LINE = 250;

export interface LogEvent {
  kind: LogEventKind;
  /** One line, already in the guild's words (mentions are not pinged: posts allow none). */
  text: string;
}

export interface LogChannelOptions {
  /** Posts a message to a channel; a rejection counts the post's events as dropped. */
  post(channelId: string, body: { embeds: APIEmbed[]; allowed_mentions: { parse: [] } }): Promise<unknown>;
  log: Logger;
  now?: () => number;
}

/** Events delivered together (`deliver`): told once whether every one of them was posted. */
interface Delivery {
  left: number;
  posted: boolean;
  settle(posted: boolean): void;
}

interface Queued {
  event: LogEvent;
  /** Set for a delivered event: its failure is told to the deliverer (who retries), not counted as dropped. */
  delivery?: Delivery;
}

interface GuildQueue {
  channelId: string;
  events: Queued[];
  dropped: number;
  /** When the last post went out (ms), for the rate limit. */
  lastPostAt: number;
  intervalMs: number;
  timer: NodeJS.Timeout | undefined;
  /** The post under way, if any. */
  posting: Promise<void> | undefined;
}

/**
 * Money events posted to each guild's log channel, rate-limited. `record` never blocks, throws or waits
 * for Discord: the money has already moved when it is called. Bursts wait in a bounded queue and go out
 * together in one post; what could not be kept or posted is counted and reported in the next post.
 */
export class LogChannel {
  private readonly queues = new Map<string, GuildQueue>();
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly o: LogChannelOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Queues an event for the guild's log channel, if the guild has one that takes this kind. */
  record(guildId: string, config: LogChannelConfig, event: LogEvent): void {
    try {
      if (this.closed || !config.enabled || config.channelId === null || !config.events.includes(event.kind))
        return;
      const queue = this.queueOf(guildId, config.channelId, config.maxPostsPerMinute);
      if (queue.events.length >= MAX_QUEUED) queue.dropped++;
      else queue.events.push({ event });
      this.schedule(queue);
    } catch (error) {
      // Never into the money path: a bug here is logged, the command answered as if nothing happened.
      this.o.log.error({ err: error, guildId }, 'log channel: could not queue an event');
    }
  }

  /**
   * Queues events that someone keeps until they are posted (the audit feed, whose cursor moves after):
   * resolves true once every one was posted, false when one was not (a failed post, or a stop before it
   * went out). Not bounded by MAX_QUEUED (the deliverer bounds what it sends) nor counted as dropped.
   */
  deliver(guildId: string, config: LogChannelConfig, events: readonly LogEvent[]): Promise<boolean> {
    const taken = events.filter((e) => config.events.includes(e.kind));
    if (this.closed || !config.enabled || config.channelId === null) return Promise.resolve(false);
    if (taken.length === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const delivery: Delivery = { left: taken.length, posted: true, settle: resolve };
      const queue = this.queueOf(guildId, config.channelId!, config.maxPostsPerMinute);
      for (const event of taken) queue.events.push({ event, delivery });
      this.schedule(queue);
    });
  }

  /** Events waiting and dropped so far, per guild (for tests and metrics). */
  pending(guildId: string): { queued: number; dropped: number } {
    const queue = this.queues.get(guildId);
    return { queued: queue?.events.length ?? 0, dropped: queue?.dropped ?? 0 };
  }

  /**
   * Stops taking events and posts what is queued, back to back (the rate limit no longer applies), for at
   * most `drainMs`; what is left then is logged as not posted (and told to its deliverer).
   */
  async close(drainMs = 0): Promise<void> {
    this.closed = true;
    const deadline = this.now() + drainMs;
    const drains = [...this.queues].map(async ([guildId, queue]) => {
      clearTimeout(queue.timer);
      queue.timer = undefined;
      while (drainMs > 0 && this.now() < deadline) {
        if (queue.posting) await Promise.race([queue.posting, sleep(deadline - this.now())]);
        else if (queue.events.length > 0 || queue.dropped > 0)
          await Promise.race([this.post(queue), sleep(deadline - this.now())]);
        else break;
      }
      const lost = queue.events.length + queue.dropped;
      for (const queued of queue.events.splice(0)) settle(queued, false);
      if (lost > 0) this.o.log.warn({ guildId, lost }, 'log channel: events not posted before shutdown');
    });
    await Promise.all(drains);
    this.queues.clear();
  }

  private queueOf(guildId: string, channelId: string, perMinute: number): GuildQueue {
    let queue = this.queues.get(guildId);
    if (!queue) {
      queue = {
        channelId,
        events: [],
        dropped: 0,
        lastPostAt: Number.NEGATIVE_INFINITY,
        intervalMs: 0,
        timer: undefined,
        posting: undefined,
      };
      this.queues.set(guildId, queue);
    }
    // A republished config takes effect with the next post.
    queue.channelId = channelId;
    queue.intervalMs = Math.ceil(60_000 / perMinute);
    return queue;
  }

  private schedule(queue: GuildQueue): void {
    if (queue.timer !== undefined || queue.posting || this.closed) return;
    const wait = Math.max(0, queue.lastPostAt + queue.intervalMs - this.now());
    queue.timer = setTimeout(() => {
      queue.timer = undefined;
      void this.flush(queue);
    }, wait);
    queue.timer.unref?.();
  }

  private async flush(queue: GuildQueue): Promise<void> {
    if (this.closed || (queue.events.length === 0 && queue.dropped === 0)) return;
    await this.post(queue);
    if (queue.events.length > 0 || queue.dropped > 0) this.schedule(queue);
  }

  /** Posts the next batch of the queue; `queue.posting` while under way. */
  private post(queue: GuildQueue): Promise<void> {
    const batch = queue.events.splice(0, MAX_LINES_PER_POST);
    const dropped = queue.dropped;
    queue.dropped = 0;
    queue.lastPostAt = this.now();
    const body = {
      embeds: [
        logEmbed(
          batch.map((q) => q.event),
          dropped,
        ),
      ],
      allowed_mentions: { parse: [] as [] },
    };
    queue.posting = this.o.post(queue.channelId, body).then(
      () => {
        for (const queued of batch) settle(queued, true);
      },
      (error: unknown) => {
        // Counted, never lost silently: the next post reports these too (a deliverer retries its own).
        queue.dropped += dropped + batch.filter((q) => !q.delivery).length;
        for (const queued of batch) settle(queued, false);
        this.o.log.warn({ err: error, channelId: queue.channelId }, 'log channel: post failed');
      },
    );
    const posting = queue.posting;
    return posting.finally(() => {
      if (queue.posting === posting) queue.posting = undefined;
    });
  }
}

/** Tells a delivered event's deliverer, once all of its events are settled, whether all were posted. */
function settle(queued: Queued, posted: boolean): void {
  const delivery = queued.delivery;
  if (!delivery) return;
  delivery.posted &&= posted;
  if (--delivery.left === 0) delivery.settle(delivery.posted);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)).unref?.());
}

/** One post: the events in order, and how many were dropped since the last post. */
export function logEmbed(events: readonly LogEvent[], dropped: number): APIEmbed {
  const lines = events.map((e) => clip(e.text, MAX_LINE));
  if (dropped > 0) {
    lines.push(
      `⚠️ ${dropped} event${dropped === 1 ? ' was' : 's were'} not posted (too many at once, or Discord refused).`,
    );
  }
  return embed({ title: '📒 Economy log', description: lines.join('\n'), color: Colors.neutral });
}
