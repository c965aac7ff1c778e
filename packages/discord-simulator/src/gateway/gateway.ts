import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  GatewayCloseCodes,
  GatewayDispatchEvents,
  type GatewayGuildMembersChunkDispatchData,
  GatewayIntentBits,
  GatewayOpcodes,
  type GatewayReadyDispatchData,
} from 'discord-api-types/v10';
import { type WebSocket, WebSocketServer } from 'ws';
import type { z } from 'zod';
import { SimulatorError, SimulatorErrorCode } from '../errors.js';
import type { World } from '../state/model.js';
import { apiMember, apiUser, noFlags } from '../state/serialize.js';
import type { SimGatewayEvent } from '../types.js';
import { type ConnectionHost, GatewayConnection } from './connection.js';
import { PRIVILEGED_INTENTS, receives } from './intents.js';
import { bareToken, type identify, type requestGuildMembers, type resume } from './protocol.js';
import { GatewaySession } from './session.js';
import { dispatchFor, type GuildDispatch } from './world-events.js';

export interface GatewayOptions {
  world: World;
  botToken: string;
  applicationId: string;
  heartbeatIntervalMs: number;
  /** The privileged intents the application may use (see DiscordSimulatorOptions). */
  privilegedIntents: number;
  /** One IDENTIFY per bucket (`shard_id % maxConcurrency`) per window; null: not enforced. */
  identifyLimit: { maxConcurrency: number; windowMs: number } | null;
  now: () => number;
  /** `ws://127.0.0.1:PORT/gateway`, known once the server listens. */
  url: () => string;
  apiUrl: () => string;
}

interface PendingDispatch {
  interactionId: string;
  guildId: string;
  d: unknown;
}

/** How long a disconnected session stays resumable (Discord does not publish its window; minutes, in practice). */
const RESUME_WINDOW_MS = 5 * 60_000;

const ALL_INTENTS = Object.values(GatewayIntentBits)
  .filter((bit): bit is number => typeof bit === 'number')
  .reduce((all, bit) => all | bit, 0);

/**
 * The gateway: accepts shard connections, keeps their sessions, and routes each guild's events to the
 * session whose shard owns the guild (`(guild_id >> 22) % shard_count`).
 */
export class Gateway implements ConnectionHost {
  readonly events: SimGatewayEvent[] = [];
  readonly heartbeatIntervalMs: number;
  private readonly sessions = new Map<string, GatewaySession>();
  /** Interactions for guilds no connected shard owns yet; sent when one identifies. */
  private readonly pending: PendingDispatch[] = [];
  /** Sockets the simulator closed itself, so their close code says nothing about the client's intent. */
  private readonly closedByUs = new WeakSet<WebSocket>();
  private readonly watchers = new Set<() => void>();
  /** When each identify concurrency bucket last accepted an IDENTIFY (simulator clock). */
  private readonly lastIdentifyAt = new Map<number, number>();
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  constructor(private readonly options: GatewayOptions) {
    this.heartbeatIntervalMs = options.heartbeatIntervalMs;
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (!/^\/gateway\/?$/.test(url.pathname)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      const version = url.searchParams.get('v');
      const encoding = url.searchParams.get('encoding');
      new GatewayConnection(ws, this);
      if (version !== null && version !== '10' && version !== '9') {
        this.closeSocket(ws, GatewayCloseCodes.InvalidAPIVersion, 'Invalid API version.');
      } else if (encoding !== null && encoding !== 'json') {
        this.closeSocket(ws, GatewayCloseCodes.DecodeError, 'Only encoding=json is supported.');
      }
    });
  }

  identify(socket: WebSocket, data: z.infer<typeof identify>): GatewaySession | null | number {
    if (bareToken(data.token) !== this.options.botToken) return GatewayCloseCodes.AuthenticationFailed;
    const [shardId, shardCount] = data.shard ?? [0, 1];
    if (shardId >= shardCount) return GatewayCloseCodes.InvalidShard;
    if ((data.intents & ~ALL_INTENTS) !== 0) return GatewayCloseCodes.InvalidIntents;
    if ((data.intents & PRIVILEGED_INTENTS & ~this.options.privilegedIntents) !== 0)
      return GatewayCloseCodes.DisallowedIntents;
    if (!this.takeIdentifySlot(shardId)) return null;

    const session = new GatewaySession(
      randomBytes(16).toString('hex'),
      shardId,
      shardCount,
      data.intents,
      this.options.now(),
    );
    session.socket = socket;
    this.sessions.set(session.id, session);
    this.record(shardId, 'identify', session.id, null);

    const { world } = this.options;
    // Only the guilds the bot is in: the others exist for their members, not for the bot.
    const owned = [...world.guilds.values()].filter((g) => session.owns(g.id) && world.hasBot(g));
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: { ...apiUser(world.botUser), verified: true, mfa_enabled: false, flags: noFlags() },
      guilds: owned.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.options.url(),
      shard: [shardId, shardCount],
      application: { id: this.options.applicationId, flags: noFlags(), flags_new: '0' },
    };
    session.dispatch(GatewayDispatchEvents.Ready, ready);
    for (const guild of owned) {
      this.dispatchTo(
        session,
        dispatchFor(world, { kind: 'guild-create', guildId: guild.id }, this.options.apiUrl()),
      );
    }
    session.ready = true;
    this.record(shardId, 'ready', session.id, null);
    this.flushPending(session);
    this.notify();
    return session;
  }

  /**
   * Spends the shard's bucket for this window, or records the refusal: Discord answers an IDENTIFY over
   * `max_concurrency` with op 9 Invalid Session, and the client identifies again later.
   */
  private takeIdentifySlot(shardId: number): boolean {
    const limit = this.options.identifyLimit;
    if (!limit) return true;
    const bucket = shardId % limit.maxConcurrency;
    const now = this.options.now();
    const last = this.lastIdentifyAt.get(bucket);
    if (last !== undefined && now - last < limit.windowMs) {
      this.record(
        shardId,
        'identify-throttled',
        null,
        bucket,
        `bucket ${bucket} identified ${now - last} ms ago`,
      );
      return false;
    }
    this.lastIdentifyAt.set(bucket, now);
    return true;
  }

  resume(socket: WebSocket, data: z.infer<typeof resume>): GatewaySession | null | number {
    if (bareToken(data.token) !== this.options.botToken) return GatewayCloseCodes.AuthenticationFailed;
    const session = this.sessions.get(data.session_id);
    if (!session) {
      this.record(-1, 'invalid-session', data.session_id, data.seq);
      return null;
    }
    this.record(session.shardId, 'resume', session.id, data.seq);
    const previous = session.socket;
    session.socket = socket;
    session.disconnectedAt = null;
    if (previous && previous !== socket) this.closeSocket(previous, 4000, 'Session resumed elsewhere.');
    if (!session.replayAfter(data.seq ?? 0)) {
      // The backlog no longer reaches back to `seq`: the client must start over.
      this.sessions.delete(session.id);
      session.socket = null;
      this.record(session.shardId, 'invalid-session', session.id, data.seq);
      return null;
    }
    session.dispatch(GatewayDispatchEvents.Resumed, {});
    this.record(session.shardId, 'resumed', session.id, session.sequence);
    this.flushPending(session);
    this.notify();
    return session;
  }

  requestGuildMembers(session: GatewaySession, data: z.infer<typeof requestGuildMembers>): void {
    const { world } = this.options;
    const guildIds = Array.isArray(data.guild_id) ? data.guild_id : [data.guild_id];
    const userIds =
      data.user_ids === undefined ? null : Array.isArray(data.user_ids) ? data.user_ids : [data.user_ids];
    for (const guildId of guildIds) {
      const guild = world.guilds.get(guildId);
      if (!guild || !session.owns(guildId) || !world.hasBot(guild)) continue;
      const query = (data.query ?? '').toLowerCase();
      let members = [...guild.members.values()].filter((m) =>
        userIds
          ? userIds.includes(m.userId)
          : world.users.get(m.userId)?.username.toLowerCase().startsWith(query),
      );
      if (data.limit) members = members.slice(0, data.limit);
      const chunk: GatewayGuildMembersChunkDispatchData = {
        guild_id: guildId,
        members: members.map((m) => apiMember(world, m)),
        chunk_index: 0,
        chunk_count: 1,
        ...(userIds ? { not_found: userIds.filter((id) => !guild.members.has(id)) } : {}),
        ...(data.nonce ? { nonce: data.nonce } : {}),
      };
      session.dispatch(GatewayDispatchEvents.GuildMembersChunk, chunk);
    }
  }

  detached(socket: WebSocket, session: GatewaySession | null, code: number): void {
    this.record(session?.shardId ?? -1, 'close', session?.id ?? null, code);
    if (!session || session.socket !== socket) return;
    session.socket = null;
    session.disconnectedAt = this.options.now();
    // A client that closes with 1000/1001 ends its session (Discord's rule); any other code keeps it resumable.
    if ((code === 1000 || code === 1001) && !this.closedByUs.has(socket)) this.sessions.delete(session.id);
    this.notify();
  }

  refused(session: GatewaySession | null, code: number, reason: string): void {
    const malformed = code === GatewayCloseCodes.DecodeError || code === GatewayCloseCodes.UnknownOpcode;
    this.record(
      session?.shardId ?? -1,
      malformed ? 'malformed' : 'refused',
      session?.id ?? null,
      code,
      reason,
    );
  }

  /** Sends a world change to every session whose shard owns the guild (disconnected ones keep it for RESUME). */
  dispatchGuild(dispatch: GuildDispatch | null): void {
    if (!dispatch) return;
    this.sweep();
    for (const session of this.sessions.values()) {
      if (session.owns(dispatch.guildId)) this.dispatchTo(session, dispatch);
    }
  }

  /**
   * Sends INTERACTION_CREATE to one session owning the guild — the newest connected one, else the newest
   * resumable one. Returns its shard, or null when none exists yet (the interaction waits for one).
   */
  dispatchInteraction(interactionId: string, guildId: string, d: unknown): number | null {
    this.sweep();
    const session = this.sessionFor(guildId);
    if (!session) {
      this.pending.push({ interactionId, guildId, d });
      return null;
    }
    session.dispatch(GatewayDispatchEvents.InteractionCreate, d);
    return session.shardId;
  }

  cancelPending(interactionId: string): void {
    const index = this.pending.findIndex((p) => p.interactionId === interactionId);
    if (index >= 0) this.pending.splice(index, 1);
  }

  /** Shard ids with a connected, READY session. */
  connectedShards(): number[] {
    const shards = new Set<number>();
    for (const session of this.sessions.values())
      if (session.connected && session.ready) shards.add(session.shardId);
    return [...shards].sort((a, b) => a - b);
  }

  waitFor(predicate: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new SimulatorError(SimulatorErrorCode.TIMEOUT, `${describe()} (waited ${timeoutMs} ms)`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.watchers.delete(check);
      };
      this.watchers.add(check);
    });
  }

  sendRaw(shard: number, payload: unknown): void {
    const session = this.liveSession(shard);
    let text: string | Buffer;
    if (typeof payload === 'string' || Buffer.isBuffer(payload)) {
      text = payload;
    } else {
      try {
        text = JSON.stringify(payload);
      } catch (error) {
        throw new SimulatorError(
          SimulatorErrorCode.INVALID_ARGUMENT,
          'sendRaw: payload is not JSON-serializable',
          {
            cause: error,
          },
        );
      }
    }
    session.socket!.send(text);
  }

  /** Drops the shard's socket. Resumable: the session stays for RESUME; otherwise it is gone and RESUME gets op 9. */
  disconnect(shard: number, resumable: boolean): void {
    const session = this.liveSession(shard);
    if (!resumable) this.sessions.delete(session.id);
    this.closeSocket(session.socket!, 4000, 'Simulated disconnect.');
  }

  /** Op 7: the client should reconnect and resume. */
  requestReconnect(shard: number): void {
    this.liveSession(shard).send({ op: GatewayOpcodes.Reconnect, d: null });
  }

  /** Op 9 (not resumable): the session ends; the client must IDENTIFY again. */
  invalidateSession(shard: number): void {
    const session = this.liveSession(shard);
    this.sessions.delete(session.id);
    this.record(shard, 'invalid-session', session.id, null);
    session.send({ op: GatewayOpcodes.InvalidSession, d: false });
  }

  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
    this.sessions.clear();
    this.pending.length = 0;
  }

  private dispatchTo(session: GatewaySession, dispatch: GuildDispatch | null): void {
    if (dispatch && receives(session.intents, dispatch.t, dispatch.aboutSelf))
      session.dispatch(dispatch.t, dispatch.d);
  }

  /** Forgets sessions nobody resumed in time, so their guilds' events wait for a live shard instead. */
  private sweep(): void {
    const now = this.options.now();
    for (const [id, session] of this.sessions) {
      if (session.disconnectedAt !== null && now - session.disconnectedAt > RESUME_WINDOW_MS)
        this.sessions.delete(id);
    }
  }

  private sessionFor(guildId: string): GatewaySession | undefined {
    let best: GatewaySession | undefined;
    for (const session of this.sessions.values()) {
      if (!session.owns(guildId)) continue;
      const better =
        !best ||
        (session.connected && !best.connected) ||
        (session.connected === best.connected && session.identifiedAt >= best.identifiedAt);
      if (better) best = session;
    }
    return best;
  }

  private liveSession(shard: number): GatewaySession {
    let found: GatewaySession | undefined;
    for (const session of this.sessions.values()) {
      if (
        session.shardId === shard &&
        session.connected &&
        (!found || session.identifiedAt >= found.identifiedAt)
      ) {
        found = session;
      }
    }
    if (!found) {
      throw new SimulatorError(
        SimulatorErrorCode.NO_SUCH_SHARD,
        `shard ${shard} has no connected session (connected shards: [${this.connectedShards().join(', ')}])`,
      );
    }
    return found;
  }

  private flushPending(session: GatewaySession): void {
    for (let i = 0; i < this.pending.length; ) {
      const item = this.pending[i]!;
      if (session.owns(item.guildId)) {
        this.pending.splice(i, 1);
        session.dispatch(GatewayDispatchEvents.InteractionCreate, item.d);
      } else {
        i++;
      }
    }
  }

  private closeSocket(socket: WebSocket, code: number, reason: string): void {
    this.closedByUs.add(socket);
    socket.close(code, reason);
  }

  private record(
    shard: number,
    kind: SimGatewayEvent['kind'],
    sessionId: string | null,
    detail: number | null,
    reason: string | null = null,
  ): void {
    this.events.push({ shard, kind, sessionId, detail, reason, at: this.options.now() });
    this.notify();
  }

  private notify(): void {
    for (const watcher of [...this.watchers]) watcher();
  }
}
