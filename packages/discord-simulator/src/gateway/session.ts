import { GatewayOpcodes } from 'discord-api-types/v10';
import { WebSocket } from 'ws';
import { shardForGuild } from '../snowflake.js';

export interface SentDispatch {
  s: number;
  t: string;
  d: unknown;
}

/** Dispatches kept for RESUME; Discord keeps a bounded backlog too. */
const BACKLOG = 2_000;

/**
 * One gateway session: a shard that IDENTIFYed. It outlives its socket — while disconnected, its
 * dispatches are numbered and kept, and a RESUME on a new socket replays them.
 */
export class GatewaySession {
  private seq = 0;
  private readonly backlog: SentDispatch[] = [];
  socket: WebSocket | null = null;
  /** READY and every GUILD_CREATE have been sent. */
  ready = false;
  /** When the socket went away (simulator clock); null while connected. */
  disconnectedAt: number | null = null;

  constructor(
    readonly id: string,
    readonly shardId: number,
    readonly shardCount: number,
    readonly intents: number,
    readonly identifiedAt: number,
  ) {}

  get sequence(): number {
    return this.seq;
  }

  get connected(): boolean {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  owns(guildId: string): boolean {
    return shardForGuild(guildId, this.shardCount) === this.shardId;
  }

  dispatch(t: string, d: unknown): void {
    const entry: SentDispatch = { s: ++this.seq, t, d };
    this.backlog.push(entry);
    if (this.backlog.length > BACKLOG) this.backlog.shift();
    this.write(entry);
  }

  /** Sends what came after `seq`; false when the backlog no longer reaches back that far. */
  replayAfter(seq: number): boolean {
    const first = this.backlog[0];
    if (first && first.s > seq + 1) return false;
    for (const entry of this.backlog) if (entry.s > seq) this.write(entry);
    return true;
  }

  send(payload: unknown): void {
    if (this.connected) this.socket!.send(JSON.stringify(payload));
  }

  private write(entry: SentDispatch): void {
    this.send({ op: GatewayOpcodes.Dispatch, t: entry.t, s: entry.s, d: entry.d });
  }
}
