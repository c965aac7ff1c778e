import { GatewayCloseCodes, GatewayOpcodes } from 'discord-api-types/v10';
import type { RawData, WebSocket } from 'ws';
import type { z } from 'zod';
import { frame, identify, requestGuildMembers, resume } from './protocol.js';
import type { GatewaySession } from './session.js';

/** What a connection needs from the gateway that owns the sessions. */
export interface ConnectionHost {
  readonly heartbeatIntervalMs: number;
  /** Returns the new session, null when refused with op 9 (over the identify budget), or a close code. */
  identify(socket: WebSocket, data: z.infer<typeof identify>): GatewaySession | null | number;
  /** Returns the resumed session, or null when the session cannot be resumed (op 9 follows). */
  resume(socket: WebSocket, data: z.infer<typeof resume>): GatewaySession | null | number;
  requestGuildMembers(session: GatewaySession, data: z.infer<typeof requestGuildMembers>): void;
  detached(socket: WebSocket, session: GatewaySession | null, code: number): void;
  /** The connection is about to be closed with `code` because of what the client sent. */
  refused(session: GatewaySession | null, code: number, reason: string): void;
}

/** One client socket: HELLO, heartbeats, then IDENTIFY or RESUME binds it to a session. */
export class GatewayConnection {
  private session: GatewaySession | null = null;

  constructor(
    private readonly socket: WebSocket,
    private readonly host: ConnectionHost,
  ) {
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    socket.on('close', (code) => this.host.detached(socket, this.session, code));
    // A client that vanishes mid-frame must not take the simulator down with it.
    socket.on('error', () => socket.terminate());
    this.send({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: host.heartbeatIntervalMs } });
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    const refusal = this.handle(data, isBinary);
    if (refusal) this.refuse(refusal.code, refusal.reason);
  }

  /** Acts on one frame; returns why the socket must close, if it must. */
  private handle(data: RawData, isBinary: boolean): Refusal | undefined {
    let parsed: unknown;
    try {
      if (isBinary) throw new Error('binary frames are not supported (no ETF, no compression)');
      parsed = JSON.parse(rawText(data));
    } catch (error) {
      return refusal(
        GatewayCloseCodes.DecodeError,
        `Error while decoding payload: ${(error as Error).message}`,
      );
    }
    const payload = frame.safeParse(parsed);
    if (!payload.success) return refusal(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
    const { op, d } = payload.data;

    switch (op) {
      case GatewayOpcodes.Heartbeat:
        this.send({ op: GatewayOpcodes.HeartbeatAck });
        return undefined;
      case GatewayOpcodes.Identify: {
        if (this.session) return refusal(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
        const body = identify.safeParse(d);
        if (!body.success) return refusal(GatewayCloseCodes.DecodeError, 'Invalid IDENTIFY payload.');
        return this.bind(this.host.identify(this.socket, body.data));
      }
      case GatewayOpcodes.Resume: {
        if (this.session) return refusal(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
        const body = resume.safeParse(d);
        if (!body.success) return refusal(GatewayCloseCodes.DecodeError, 'Invalid RESUME payload.');
        return this.bind(this.host.resume(this.socket, body.data));
      }
      case GatewayOpcodes.RequestGuildMembers: {
        if (!this.session) return refusal(GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
        const body = requestGuildMembers.safeParse(d);
        if (!body.success)
          return refusal(GatewayCloseCodes.DecodeError, 'Invalid REQUEST_GUILD_MEMBERS payload.');
        this.host.requestGuildMembers(this.session, body.data);
        return undefined;
      }
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
      case GatewayOpcodes.RequestSoundboardSounds:
        // Accepted and ignored: nothing in the simulator depends on them.
        return this.session ? undefined : refusal(GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
      default:
        return refusal(GatewayCloseCodes.UnknownOpcode, `Unknown opcode ${op}.`);
    }
  }

  /** Binds the socket to the session IDENTIFY or RESUME gave; null is op 9 (not resumable), a number a close. */
  private bind(result: GatewaySession | null | number): Refusal | undefined {
    if (typeof result === 'number') return refusal(result, closeReason(result));
    if (result === null) this.send({ op: GatewayOpcodes.InvalidSession, d: false });
    else this.session = result;
    return undefined;
  }

  private refuse(code: number, reason: string): void {
    this.host.refused(this.session, code, reason);
    this.socket.close(code, reason);
  }

  private send(payload: unknown): void {
    this.socket.send(JSON.stringify(payload));
  }
}

interface Refusal {
  code: number;
  reason: string;
}

function refusal(code: number, reason: string): Refusal {
  return { code, reason };
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function closeReason(code: number): string {
  switch (code) {
    case GatewayCloseCodes.AuthenticationFailed:
      return 'Authentication failed.';
    case GatewayCloseCodes.InvalidShard:
      return 'Invalid shard.';
    case GatewayCloseCodes.InvalidIntents:
      return 'Invalid intent(s).';
    case GatewayCloseCodes.DisallowedIntents:
      return 'Disallowed intent(s).';
    default:
      return 'Closed by the simulator.';
  }
}
