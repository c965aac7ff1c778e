// The simulator's public shapes. Internal records live in state/; these are what tests see.

export interface DiscordSimulatorOptions {
  /** 0 (the default) picks a free port. The simulator only ever listens on 127.0.0.1. */
  port?: number | undefined;
  applicationId?: string | undefined;
  botToken?: string | undefined;
  /** Defaults to the application id, as for applications created since 2020. */
  botUserId?: string | undefined;
  botUsername?: string | undefined;
  /** The application's OAuth2 client secret, `registerOAuthApp`'s default. Random when absent. */
  clientSecret?: string | undefined;
  /** What `GET /gateway/bot` recommends as `shards` (default 1). */
  recommendedShards?: number | undefined;
  /** Sent in HELLO (default 41 250 ms, Discord's). */
  heartbeatIntervalMs?: number | undefined;
  /** Discord's window to acknowledge an interaction (default 3 000 ms). */
  ackDeadlineMs?: number | undefined;
  /** How long an interaction token works for edits and follow-ups (default 15 minutes). */
  tokenLifetimeMs?: number | undefined;
  /** Default for how long `slash()`/`click()` wait for the final reply (default 5 000 ms). */
  replyTimeoutMs?: number | undefined;
  /**
   * The simulator's clock in epoch milliseconds (ids, timestamps, the 3-second and 15-minute rules,
   * latencies). Inject one to test deadlines without sleeping. Timers that bound waits stay real.
   */
  now?: (() => number) | undefined;
  /**
   * When true, `slash()` refuses commands the bot has not registered (as Discord's client would).
   * By default an unregistered command is still delivered, its option types inferred from the values.
   */
  strictCommands?: boolean | undefined;
  /**
   * The privileged intents switched on for the application in the developer portal (a bitfield of
   * GuildMembers, GuildPresences, MessageContent). Identifying with one that is off closes the gateway with
   * 4014 Disallowed intents, as on Discord. Default: all three on.
   */
  privilegedIntents?: number | undefined;
  /**
   * Discord's identify concurrency: `GET /gateway/bot` answers this `max_concurrency`, and at most one
   * IDENTIFY per bucket (`shard_id % maxConcurrency`) is accepted per `windowMs` (default 5 000 ms, Discord's).
   * One over the budget gets op 9 Invalid Session (not resumable) and is counted as `identify-throttled`.
   * Absent (the default): `max_concurrency` 16 is advertised and nothing is enforced, so rigs that restart
   * a bot on the same shard at once need not wait out the window.
   */
  identifyConcurrency?: SimIdentifyConcurrency | undefined;
}

export interface SimIdentifyConcurrency {
  maxConcurrency: number;
  windowMs?: number | undefined;
}

/** How often one shard started a session (IDENTIFY), resumed one, and was refused an identify over the budget. */
export interface SimShardTally {
  shard: number;
  identifies: number;
  resumes: number;
  throttled: number;
}

/** What the bot answered, as a member would see it. */
export interface SimReply {
  interactionId: string;
  /** The callback type the bot used: 4 reply, 5 deferred reply, 6 deferred update, 7 update, 9 modal. */
  type: number;
  /** The message's text; null when it has none. */
  content: string | null;
  embeds: Array<Record<string, unknown>>;
  components: Array<Record<string, unknown>>;
  ephemeral: boolean;
  /** The bot acknowledged first (type 5 or 6) and answered later. */
  deferred: boolean;
  /** The message holding the reply (for updates: the message the component is on); '' for a modal. */
  messageId: string;
  /** From INTERACTION_CREATE to this reply (after a deferral: to the edit), on the simulator's clock. */
  latencyMs: number;
  /** From INTERACTION_CREATE to the bot's callback — what Discord's 3-second rule bounds. */
  ackLatencyMs: number;
  /** Follow-up messages; the array keeps filling after the promise resolved. */
  followUps: SimReply[];
  flags: number;
  attachments: Array<{ id: string; filename: string; size: number }>;
  /** For type 9: the modal the bot opened. */
  modal: Record<string, unknown> | null;
  /** The reply was deleted (`DELETE …/messages/@original`). */
  deleted: boolean;
}

export interface SimGuild {
  readonly id: string;
  readonly name: string;
  readonly ownerId: string;
  /** The text channel every guild starts with; interactions happen there unless told otherwise. */
  readonly channelId: string;
  /** @everyone's id (the guild's id). */
  readonly everyoneRoleId: string;
  /** The bot's managed role. */
  readonly botRoleId: string;
}

export interface SimMember {
  readonly guildId: string;
  readonly userId: string;
  readonly username: string;
  readonly roles: readonly string[];
  readonly joinedAt: Date;
  /** Guild-level permissions as Discord computes them (or the override given to `addMember`). */
  readonly permissions: bigint;
}

/** An OAuth2 application the simulator accepts at `/oauth2/authorize` and `/oauth2/token`. */
export interface SimOAuthApp {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Compared exactly with `redirect_uri`, as Discord does. */
  readonly redirectUris: readonly string[];
  /** Shown on the authorize page: "Log in to {name} as …". */
  readonly name: string;
}

/** A Discord user (not necessarily in any guild) who can log in with OAuth2. */
export interface SimUser {
  readonly id: string;
  readonly username: string;
  readonly globalName: string | null;
  /** What `/users/@me` shows with the `email` scope. */
  readonly email: string | null;
}

/** Where an OAuth2 client (Auth.js's Discord provider) finds the simulator. */
export interface SimOAuthEndpoints {
  /** `…/api/oauth2/authorize` (also answered at `/oauth2/authorize`, without `/api`). */
  readonly authorization: string;
  /** `…/api/oauth2/token` */
  readonly token: string;
  /** `…/api/oauth2/token/revoke` */
  readonly revocation: string;
  /** `…/api/v10/users/@me` */
  readonly userinfo: string;
  /** `…/api/v10/users/@me/guilds` */
  readonly guilds: string;
}

export interface SimRestCall {
  method: string;
  /** The route below `/api/v10`, percent-decoded: `/webhooks/1/tok/messages/@original`. */
  path: string;
  /** The query string without `?` ('' when none). */
  query: string;
  /** Parsed JSON; for multipart, `payload_json` parsed plus `files: [{ name, size }]`; null when empty. */
  body: unknown;
  status: number;
  /** On the simulator's clock. */
  at: number;
}

/** Make the next matching REST calls fail, to test retries and error handling. */
export interface SimRestFault {
  method?: string | undefined;
  /** Matched against `SimRestCall.path`. */
  path: string | RegExp;
  status: number;
  /** Defaults to Discord's body for the status. */
  body?: { message: string; code: number } | undefined;
  /** For 429: seconds in `Retry-After` and `retry_after` (default 0.05). */
  retryAfterSeconds?: number | undefined;
  /** For 429: a global rate limit. */
  global?: boolean | undefined;
  /** How many calls fail (default 1). */
  times?: number | undefined;
}

/**
 * Answer the next matching REST calls late: each is handled at once (a member sees its effect, `slash()`
 * resolves), but its HTTP response reaches the bot `ms` later, as over a slow network.
 */
export interface SimRestDelay {
  method?: string | undefined;
  /** Matched against `SimRestCall.path`. */
  path: string | RegExp;
  ms: number;
  /** How many calls are delayed (default 1). */
  times?: number | undefined;
}

export interface SimGatewayEvent {
  /** `refused`: the simulator closed the socket over what the client sent; `malformed`: it could not decode it. */
  kind:
    | 'identify'
    | 'identify-throttled'
    | 'ready'
    | 'resume'
    | 'resumed'
    | 'invalid-session'
    | 'close'
    | 'refused'
    | 'malformed';
  /** -1 when the socket never identified. */
  shard: number;
  sessionId: string | null;
  /** A close code, the sequence a RESUME asked for, the last sequence after RESUMED, or a throttled identify's bucket. */
  detail: number | null;
  reason: string | null;
  at: number;
}
