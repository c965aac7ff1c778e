import { type IShardingStrategy, type SessionInfo, SimpleShardingStrategy } from 'discord.js';
import type { Logger } from 'pino';
import type { FleetStore } from './store.js';

type WsManager = ConstructorParameters<typeof SimpleShardingStrategy>[0];

/**
 * The gateway sessions of the shards this process holds: read by @discordjs/ws on every dispatch (kept
 * in memory), written through to Redis after each batch of dispatches (one write in flight per shard,
 * the newest sequence next), fenced by the shard's lease. A process taking a shard over loads the
 * session and RESUMEs instead of identifying again.
 */
export class FleetSessions {
  private readonly local = new Map<number, SessionInfo>();
  /** Shards whose session is handed on: their client's teardown must not erase what Redis holds. */
  private readonly detached = new Set<number>();
  private readonly writing = new Map<number, Promise<void>>();
  private readonly dirty = new Set<number>();

  constructor(
    private readonly store: FleetStore,
    /** The lease token the shard is held with, if this process holds it. */
    private readonly tokenOf: (shard: number) => string | undefined,
    private readonly log: Logger,
  ) {}

  /** Before serving a shard: what the previous holder left in Redis (null: nothing to resume). */
  async load(shard: number): Promise<SessionInfo | null> {
    this.detached.delete(shard);
    const info = await this.store.loadSession(shard);
    if (info) this.local.set(shard, info);
    else this.local.delete(shard);
    return info;
  }

  retrieve(shard: number): SessionInfo | null {
    return this.local.get(shard) ?? null;
  }

  update(shard: number, info: SessionInfo | null): void {
    if (this.detached.has(shard)) return;
    if (info) this.local.set(shard, info);
    else this.local.delete(shard);
    this.persist(shard);
  }

  /** Stops writing the shard's session once what is pending reached Redis (the session stays there). */
  async detach(shard: number): Promise<void> {
    this.detached.add(shard);
    await this.writing.get(shard);
    this.local.delete(shard);
  }

  /**
   * `ws.buildStrategy` for a discord.js client: @discordjs/ws's own strategy, with the session hooks
   * pointed here. discord.js fixes `retrieveSessionInfo`/`updateSessionInfo` to its shard objects, and
   * this is the one hook it passes through; discord.js's own hook still runs (its shard status reads it).
   */
  strategy(): (manager: WsManager) => IShardingStrategy {
    return (ws) => {
      const options = ws.options as { -readonly [K in keyof WsManager['options']]: WsManager['options'][K] };
      const discordJs = options.updateSessionInfo;
      options.retrieveSessionInfo = (shard) => this.retrieve(shard);
      options.updateSessionInfo = (shard, info) => {
        void discordJs(shard, info);
        this.update(shard, info);
      };
      return new SimpleShardingStrategy(ws);
    };
  }

  private persist(shard: number): void {
    if (this.writing.has(shard)) {
      this.dirty.add(shard);
      return;
    }
    const write = async () => {
      do {
        this.dirty.delete(shard);
        const token = this.tokenOf(shard);
        if (token === undefined) return;
        if (!(await this.store.saveSession(shard, token, this.local.get(shard) ?? null))) {
          this.log.warn({ shard }, 'session not saved: the shard lease is no longer ours');
          return;
        }
      } while (this.dirty.has(shard));
    };
    const running = write()
      .catch((err: unknown) => this.log.warn({ shard, err }, 'could not save the gateway session to Redis'))
      .finally(() => this.writing.delete(shard));
    this.writing.set(shard, running);
  }
}
