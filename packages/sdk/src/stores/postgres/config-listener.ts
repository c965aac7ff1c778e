import pg from 'pg';
import type { ConfigChange } from '../types.js';
import type { PostgresHosts } from './hosts.js';

/** How often a listening connection is asked to answer, so one that went silent is noticed. */
export const LISTENER_HEARTBEAT_MS = 5_000;

/**
 * One dedicated connection that LISTENs for published configs and fans them out. It reconnects with
 * backoff when the connection drops, and says so (`live`): while it is down, readers fall back to the
 * config cache's expiry, and once it listens again they drop what they cached (a notification may have
 * been missed meanwhile), so nothing is lost. A server that accepts the connection and never answers
 * counts as down after `connectTimeoutMs` (the store's own connect wait), so it too is retried.
 *
 * A connection can also go silent while it listens (the server's host gone without a word, a partition):
 * TCP says nothing for hours, and a listener that still counted itself live would let readers trust their
 * caches forever. So every `heartbeatMs` it runs `SELECT 1`; no answer within `connectTimeoutMs` counts
 * as a dropped connection. Readers trust a cache on a silent connection for at most about
 * `heartbeatMs + connectTimeoutMs` (7 s by default).
 */
export class ConfigListener {
  private readonly listeners = new Set<(change: ConfigChange) => void>();
  private readonly liveListeners = new Set<(listening: boolean) => void>();
  private listening = false;
  private client: pg.Client | undefined;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private attempt = 0;

  constructor(
    private readonly hosts: PostgresHosts,
    private readonly channel: string,
    private readonly connectTimeoutMs: number,
    private readonly heartbeatMs = LISTENER_HEARTBEAT_MS,
  ) {
    void this.connect();
  }

  add(listener: (change: ConfigChange) => void, live?: (listening: boolean) => void): () => void {
    this.listeners.add(listener);
    if (live) {
      this.liveListeners.add(live);
      if (this.listening) live(true);
    }
    return () => {
      this.listeners.delete(listener);
      if (live) this.liveListeners.delete(live);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.setListening(false);
    clearTimeout(this.retryTimer);
    clearTimeout(this.heartbeat);
    await this.client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const url = this.hosts.current();
    const client = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: this.connectTimeoutMs,
      keepAlive: true,
    });
    this.client = client;
    client.on('notification', (message) => this.dispatch(message.payload));
    client.on('error', () => this.reconnect(client));
    client.on('end', () => this.reconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      this.attempt = 0;
      if (this.client === client) {
        this.setListening(true);
        this.beatLater(client);
      }
    } catch {
      // Refused, timed out, or a standby (LISTEN fails during recovery): the next attempt tries the next host.
      this.hosts.failed(url);
      this.reconnect(client);
    }
  }

  /** The next heartbeat of `client`, once the last one has answered. */
  private beatLater(client: pg.Client): void {
    this.heartbeat = setTimeout(() => {
      // pg reads query_timeout per query too, though its types know it only per client.
      client.query({ text: 'SELECT 1', query_timeout: this.connectTimeoutMs } as pg.QueryConfig).then(
        () => {
          if (this.client === client && !this.closed) this.beatLater(client);
        },
        () => this.reconnect(client),
      );
    }, this.heartbeatMs);
    this.heartbeat.unref();
  }

  private reconnect(client: pg.Client): void {
    if (this.closed || this.client !== client) return;
    clearTimeout(this.heartbeat);
    this.client = undefined;
    this.setListening(false);
    client.end().catch(() => {});
    const delay = Math.min(30_000, 250 * 2 ** this.attempt++);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    this.retryTimer.unref();
  }

  private setListening(listening: boolean): void {
    if (this.listening === listening) return;
    this.listening = listening;
    for (const live of this.liveListeners) live(listening);
  }

  private dispatch(payload: string | undefined): void {
    const match = /^([A-Za-z0-9_-]{1,64}):(\d+)$/.exec(payload ?? '');
    if (!match) return;
    const change = { tenant: match[1]!, version: Number(match[2]) };
    for (const listener of this.listeners) listener(change);
  }
}
