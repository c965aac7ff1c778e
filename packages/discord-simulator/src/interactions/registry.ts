import type { InteractionResponseType, InteractionType } from 'discord-api-types/v10';
import { SimulatorError, SimulatorErrorCode } from '../errors.js';
import type { SimReply } from '../types.js';

export type InteractionState = 'pending' | 'acknowledged' | 'expired';

/** One delivery of an interaction: an id and token, and how the bot has answered so far. */
export interface InteractionRecord {
  readonly id: string;
  readonly token: string;
  readonly type: InteractionType;
  /** The INTERACTION_CREATE data as sent (replays reuse it with a new token). */
  readonly payload: Record<string, unknown>;
  readonly guildId: string;
  readonly userId: string;
  readonly channelId: string;
  /** `/name` for commands, the custom id for components. */
  readonly name: string;
  /** For components: the message the component is on. */
  readonly sourceMessageId: string | null;
  /** For messages and errors: "/balance by 42 in guild 7". */
  readonly label: string;
  readonly dispatchedAt: number;
  shard: number | null;
  state: InteractionState;
  responseType: InteractionResponseType | null;
  ackAt: number | null;
  /** What `@original` means for this token. */
  originalMessageId: string | null;
  ephemeral: boolean;
  /** A deferred reply was edited (or its first follow-up replaced it). */
  edited: boolean;
  deleted: boolean;
  modal: Record<string, unknown> | null;
  readonly followUps: SimReply[];
  readonly followUpIds: string[];
  settledAt: number | null;
}

export type NewInteraction = Omit<
  InteractionRecord,
  | 'state'
  | 'responseType'
  | 'ackAt'
  | 'originalMessageId'
  | 'ephemeral'
  | 'edited'
  | 'deleted'
  | 'modal'
  | 'followUps'
  | 'followUpIds'
  | 'settledAt'
  | 'shard'
>;

interface Entry {
  record: InteractionRecord;
  resolve: (reply: SimReply) => void;
  reject: (error: Error) => void;
  timers: NodeJS.Timeout[];
  done: boolean;
}

export interface RegistryOptions {
  now: () => number;
  ackDeadlineMs: number;
  tokenLifetimeMs: number;
  snapshot: (record: InteractionRecord) => SimReply;
  /** Called when the simulator gives up waiting on an interaction (so an undelivered one is not sent later). */
  abandoned: (record: InteractionRecord) => void;
}

/**
 * Live interactions by token. It owns the waits behind `slash()`/`click()`: Discord's 3-second window to
 * acknowledge (checked on the simulator's clock) and the overall wait for the final reply (real time).
 */
export class InteractionRegistry {
  private readonly byToken = new Map<string, Entry>();
  private readonly latestToken = new Map<string, string>();

  constructor(private readonly options: RegistryOptions) {}

  open(init: NewInteraction, timeoutMs: number): { record: InteractionRecord; reply: Promise<SimReply> } {
    this.prune();
    const record: InteractionRecord = {
      ...init,
      shard: null,
      state: 'pending',
      responseType: null,
      ackAt: null,
      originalMessageId: null,
      ephemeral: false,
      edited: false,
      deleted: false,
      modal: null,
      followUps: [],
      followUpIds: [],
      settledAt: null,
    };
    let entry!: Entry;
    const reply = new Promise<SimReply>((resolve, reject) => {
      entry = { record, resolve, reject, timers: [], done: false };
    });
    this.byToken.set(record.token, entry);
    this.latestToken.set(record.id, record.token);
    this.armAckWatchdog(entry, this.options.ackDeadlineMs);
    entry.timers.push(
      setTimeout(() => {
        this.fail(
          record,
          new SimulatorError(SimulatorErrorCode.TIMEOUT, this.describeTimeout(record, timeoutMs)),
        );
      }, timeoutMs).unref(),
    );
    return { record, reply };
  }

  find(token: string): InteractionRecord | undefined {
    return this.byToken.get(token)?.record;
  }

  latest(interactionId: string): InteractionRecord | undefined {
    const token = this.latestToken.get(interactionId);
    return token === undefined ? undefined : this.find(token);
  }

  /** Milliseconds since INTERACTION_CREATE on the simulator's clock. */
  age(record: InteractionRecord): number {
    return this.options.now() - record.dispatchedAt;
  }

  tokenExpired(record: InteractionRecord): boolean {
    return this.age(record) > this.options.tokenLifetimeMs;
  }

  /** Whether the bot is past the window: it then gets 10062, and the waiting test hears why. */
  rejectIfLate(record: InteractionRecord): boolean {
    if (record.state === 'expired') return true;
    const age = this.age(record);
    if (record.state !== 'pending' || age <= this.options.ackDeadlineMs) return false;
    record.state = 'expired';
    this.fail(
      record,
      new SimulatorError(
        SimulatorErrorCode.LATE_ACKNOWLEDGEMENT,
        `${record.label}: the bot acknowledged after ${Math.round(age)} ms, past Discord's ${this.options.ackDeadlineMs} ms window; ` +
          'Discord answered its callback with 404 Unknown interaction (10062)',
      ),
    );
    return true;
  }

  /** The reply is final: resolve the waiting `slash()`/`click()` with what the member now sees. */
  settle(record: InteractionRecord, at = this.options.now()): void {
    const entry = this.byToken.get(record.token);
    if (!entry || entry.done) return;
    record.settledAt = at;
    this.finish(entry);
    entry.resolve(this.options.snapshot(record));
  }

  isSettled(record: InteractionRecord): boolean {
    return record.settledAt !== null;
  }

  fail(record: InteractionRecord, error: Error): void {
    const entry = this.byToken.get(record.token);
    if (!entry || entry.done) return;
    this.finish(entry);
    this.options.abandoned(record);
    entry.reject(error);
  }

  close(): void {
    for (const entry of this.byToken.values()) {
      this.fail(
        entry.record,
        new SimulatorError(SimulatorErrorCode.CLOSED, `${entry.record.label}: the simulator closed`),
      );
    }
    this.byToken.clear();
    this.latestToken.clear();
  }

  private finish(entry: Entry): void {
    entry.done = true;
    for (const timer of entry.timers) clearTimeout(timer);
  }

  /** At the deadline (real time), check the simulator's clock; an injected clock may not have got there yet. */
  private armAckWatchdog(entry: Entry, delayMs: number): void {
    entry.timers.push(
      setTimeout(() => {
        const { record } = entry;
        if (entry.done || record.state !== 'pending') return;
        const age = this.age(record);
        if (age < this.options.ackDeadlineMs) {
          this.armAckWatchdog(entry, Math.max(1, this.options.ackDeadlineMs - age));
          return;
        }
        record.state = 'expired';
        this.fail(
          record,
          new SimulatorError(
            SimulatorErrorCode.NOT_ACKNOWLEDGED,
            `${record.label}: the bot did not acknowledge within ${this.options.ackDeadlineMs} ms ` +
              `(the member sees "This interaction failed")${record.shard === null ? '; no connected shard owns this guild' : ''}`,
          ),
        );
      }, delayMs).unref(),
    );
  }

  private describeTimeout(record: InteractionRecord, timeoutMs: number): string {
    const waiting =
      record.state === 'pending'
        ? 'no callback yet'
        : `acknowledged with type ${record.responseType} after ${Math.round((record.ackAt ?? 0) - record.dispatchedAt)} ms, ` +
          'then no edit of @original and no follow-up';
    const shard =
      record.shard === null ? '; no connected shard owns this guild' : ` (sent on shard ${record.shard})`;
    return `${record.label}: no final reply within ${timeoutMs} ms — ${waiting}${shard}`;
  }

  /** Tokens live 15 minutes; forget older ones (insertion order is dispatch order). */
  private prune(): void {
    for (const [token, entry] of this.byToken) {
      if (!entry.done || !this.tokenExpired(entry.record)) break;
      this.byToken.delete(token);
      if (this.latestToken.get(entry.record.id) === token) this.latestToken.delete(entry.record.id);
    }
  }
}
