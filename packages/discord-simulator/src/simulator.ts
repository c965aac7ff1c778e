import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type APIApplicationCommand,
  type APIEntitlement,
  type APIMessage,
  type APISKU,
  ButtonStyle,
  ComponentType,
  GatewayDispatchEvents,
  InteractionType,
  type Locale,
  MessageFlags,
} from 'discord-api-types/v10';
import type { SimContext, SimSettings } from './context.js';
import { SimulatorError, SimulatorErrorCode } from './errors.js';
import { Gateway } from './gateway/gateway.js';
import { PRIVILEGED_INTENTS } from './gateway/intents.js';
import { tallyShards } from './gateway/tally.js';
import { dispatchFor } from './gateway/world-events.js';
import { checkCommandPermission, type OptionValue, resolveInvocation } from './interactions/options.js';
import {
  commandInteraction,
  componentInteraction,
  customIds,
  findComponent,
  findComponentWhere,
  type InteractionTarget,
} from './interactions/payloads.js';
import { InteractionRegistry, type NewInteraction } from './interactions/registry.js';
import { snapshotReply } from './interactions/reply.js';
import { OAuthStore } from './oauth/store.js';
import { apiEntitlement, apiSku } from './premium/serialize.js';
import {
  type EntitlementChange,
  type EntitlementQuery,
  PremiumStore,
  type SkuKind,
} from './premium/store.js';
import { RestApi } from './rest/api.js';
import { buildRouter } from './rest/routes/index.js';
import { SnowflakeGenerator } from './snowflake.js';
import { CommandStore } from './state/commands.js';
import { type GuildRecord, type MemberRecord, recordVoiceState, World } from './state/model.js';
import { memberPermissions } from './state/permissions.js';
import { apiMember, apiMessage } from './state/serialize.js';
import type {
  DiscordSimulatorOptions,
  SimGatewayEvent,
  SimGuild,
  SimMember,
  SimOAuthApp,
  SimOAuthEndpoints,
  SimReply,
  SimRestCall,
  SimRestDelay,
  SimRestFault,
  SimShardTally,
  SimUser,
} from './types.js';

export interface SlashOptions {
  guildId: string;
  userId: string;
  command: string;
  subcommand?: string | undefined;
  subcommandGroup?: string | undefined;
  options?: Record<string, OptionValue> | undefined;
  interactionId?: string | undefined;
  /** Defaults to the guild's first text channel. */
  channelId?: string | undefined;
  timeoutMs?: number | undefined;
}

export interface ClickOptions {
  guildId: string;
  userId: string;
  message: SimReply;
  customId: string;
  interactionId?: string | undefined;
  timeoutMs?: number | undefined;
}

export interface SelectOptions extends ClickOptions {
  values: string[];
}

/**
 * A loopback Discord: REST under `apiUrl`, the gateway at the URL `GET /gateway/bot` returns. An unmodified
 * discord.js v14 `Client` given `rest: { api: sim.apiUrl }` and `sim.botToken` logs in, receives its guilds
 * and interactions, and answers them; tests drive members (`slash`, `click`) and read what the bot did.
 */
export class DiscordSimulator {
  readonly applicationId: string;
  readonly botToken: string;
  readonly botUserId: string;
  /** The application's OAuth2 client secret: what `registerOAuthApp` uses when given none. */
  readonly clientSecret: string;
  /** Every REST call, in arrival order, with the status it got. */
  readonly calls: SimRestCall[] = [];
  /** Exceptions inside the simulator (answered with 500). Empty unless the simulator has a bug. */
  readonly internalErrors: Error[] = [];

  private readonly settings: SimSettings;
  private readonly now: () => number;
  private readonly ids: SnowflakeGenerator;
  private readonly world: World;
  private readonly commandStore: CommandStore;
  private readonly interactions: InteractionRegistry;
  private readonly oauth: OAuthStore;
  private readonly premium: PremiumStore;
  private readonly gateway: Gateway;
  private readonly rest: RestApi;
  private readonly server: Server;
  private readonly syntheticCommandIds = new Map<string, string>();
  private port = 0;
  private closed = false;

  static async start(options: DiscordSimulatorOptions = {}): Promise<DiscordSimulator> {
    const simulator = new DiscordSimulator(options);
    await simulator.listen(options.port ?? 0);
    return simulator;
  }

  private constructor(options: DiscordSimulatorOptions) {
    this.now = options.now ?? (() => performance.timeOrigin + performance.now());
    this.ids = new SnowflakeGenerator(this.now);
    this.applicationId = options.applicationId ?? this.ids.next();
    this.botUserId = options.botUserId ?? this.applicationId;
    this.botToken =
      options.botToken ??
      `${Buffer.from(this.botUserId).toString('base64url')}.${randomBytes(4).toString('base64url')}.${randomBytes(27).toString('base64url')}`;
    this.clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
    this.settings = {
      applicationId: this.applicationId,
      botToken: this.botToken,
      botUserId: this.botUserId,
      recommendedShards: options.recommendedShards ?? 1,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      ackDeadlineMs: options.ackDeadlineMs ?? 3_000,
      tokenLifetimeMs: options.tokenLifetimeMs ?? 15 * 60_000,
      replyTimeoutMs: options.replyTimeoutMs ?? 5_000,
      strictCommands: options.strictCommands ?? false,
      maxConcurrency: options.identifyConcurrency?.maxConcurrency ?? 16,
      identifyWindowMs: options.identifyConcurrency ? (options.identifyConcurrency.windowMs ?? 5_000) : null,
    };
    if (!Number.isInteger(this.settings.maxConcurrency) || this.settings.maxConcurrency < 1) {
      throw new SimulatorError(
        SimulatorErrorCode.INVALID_ARGUMENT,
        'identifyConcurrency.maxConcurrency must be a whole number of at least 1',
      );
    }

    this.world = new World({
      ids: this.ids,
      now: this.now,
      bot: { userId: this.botUserId, username: options.botUsername ?? 'Guildmint' },
      onChange: (change) => {
        // Removing the app from a guild removes its guild commands there, as on Discord.
        if (change.kind === 'bot-leave' || change.kind === 'guild-delete')
          this.commandStore.dropGuild(change.guildId);
        this.gateway.dispatchGuild(dispatchFor(this.world, change, this.apiUrl));
      },
    });
    this.commandStore = new CommandStore(this.ids, this.applicationId);
    this.oauth = new OAuthStore(this.world, this.now);
    this.premium = new PremiumStore({
      ids: this.ids,
      now: this.now,
      onChange: (change, record) =>
        this.gateway.dispatchGuild({
          // A guild's entitlement goes to the shard that has the guild; a user's to shard 0, as DMs do.
          guildId: record.guildId ?? '0',
          t: ENTITLEMENT_EVENTS[change],
          d: apiEntitlement(record, this.applicationId),
          aboutSelf: false,
        }),
    });
    this.interactions = new InteractionRegistry({
      now: this.now,
      ackDeadlineMs: this.settings.ackDeadlineMs,
      tokenLifetimeMs: this.settings.tokenLifetimeMs,
      snapshot: (record) => snapshotReply(this.world, record, this.now()),
      abandoned: (record) => this.gateway.cancelPending(record.id),
    });
    this.gateway = new Gateway({
      world: this.world,
      botToken: this.botToken,
      applicationId: this.applicationId,
      heartbeatIntervalMs: this.settings.heartbeatIntervalMs,
      privilegedIntents: options.privilegedIntents ?? PRIVILEGED_INTENTS,
      identifyLimit:
        this.settings.identifyWindowMs === null
          ? null
          : { maxConcurrency: this.settings.maxConcurrency, windowMs: this.settings.identifyWindowMs },
      now: this.now,
      url: () => this.gatewayUrl,
      apiUrl: () => this.apiUrl,
    });
    const context: SimContext = {
      settings: this.settings,
      world: this.world,
      commands: this.commandStore,
      interactions: this.interactions,
      oauth: this.oauth,
      premium: this.premium,
      ids: this.ids,
      now: this.now,
      apiUrl: () => this.apiUrl,
      gatewayUrl: () => this.gatewayUrl,
    };
    this.rest = new RestApi({
      router: buildRouter(context),
      botToken: this.botToken,
      now: this.now,
      calls: this.calls,
      internalErrors: this.internalErrors,
    });
    this.server = createServer((request, response) => {
      void this.rest.handle(request, response);
    });
    this.server.on('upgrade', (request, socket, head) => this.gateway.handleUpgrade(request, socket, head));
    this.server.on('clientError', (_error, socket) => socket.destroy());
  }

  /** `http://127.0.0.1:PORT/api`: what discord.js's `rest.api` and `DISCORD_API_URL` take. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  /** `http://127.0.0.1:PORT/api/oauth2`: the base of the authorize, token and revoke endpoints. */
  get oauthUrl(): string {
    return `${this.apiUrl}/oauth2`;
  }

  /**
   * The URLs an OAuth2 client needs (Auth.js's Discord provider: authorization, token, userinfo). The token
   * endpoints are where Discord documents them (without a version); what a bearer token reads is on v10.
   */
  get oauthEndpoints(): SimOAuthEndpoints {
    return {
      authorization: `${this.oauthUrl}/authorize`,
      token: `${this.oauthUrl}/token`,
      revocation: `${this.oauthUrl}/token/revoke`,
      userinfo: `${this.apiUrl}/v10/users/@me`,
      guilds: `${this.apiUrl}/v10/users/@me/guilds`,
    };
  }

  /**
   * The environment that points the control plane at this simulator for a registered application (default:
   * the simulator's own): its Discord login and the API it calls with users' tokens (`DISCORD_OAUTH_API_URL`,
   * which the control plane versions itself). Not `DISCORD_API_URL`: that is the bot's REST base.
   */
  oauthEnv(clientId: string = this.applicationId): Record<string, string> {
    const app = this.oauth.app(clientId);
    if (!app) {
      throw new SimulatorError(
        SimulatorErrorCode.INVALID_ARGUMENT,
        `no OAuth2 application ${clientId}; call registerOAuthApp first`,
      );
    }
    return {
      AUTH_DISCORD_ID: app.clientId,
      AUTH_DISCORD_SECRET: app.clientSecret,
      AUTH_DISCORD_AUTHORIZATION_URL: this.oauthEndpoints.authorization,
      DISCORD_OAUTH_API_URL: this.apiUrl,
    };
  }

  /** Gateway happenings (identify, resume, closes, malformed payloads), in order. */
  get gatewayEvents(): readonly SimGatewayEvent[] {
    return this.gateway.events;
  }

  // ── The world ────────────────────────────────────────────────────────────────────────────────

  /**
   * Adds (or updates, by id) a user who needs no guild, e.g. someone who logs in to the control plane before
   * the bot is anywhere. `email` is what `/users/@me` shows with the `email` scope.
   */
  addUser(user: {
    id?: string | undefined;
    username: string;
    globalName?: string | null | undefined;
    email?: string | null | undefined;
  }): SimUser {
    if (user.id === this.botUserId) {
      throw new SimulatorError(SimulatorErrorCode.INVALID_ARGUMENT, 'that id is the bot user');
    }
    const record = this.world.upsertUser({ id: user.id, username: user.username });
    if (user.globalName !== undefined) record.globalName = user.globalName;
    if (user.email !== undefined) this.oauth.setEmail(record.id, user.email);
    return {
      id: record.id,
      username: record.username,
      globalName: record.globalName,
      email: this.oauth.email(record.id),
    };
  }

  /**
   * Adds a guild (and a text channel), with the bot in it unless `withBot: false`; with the bot, shards
   * connected by then get GUILD_CREATE. Without it, the guild is there for its members (`/users/@me/guilds`,
   * the invite page) and the bot hears nothing of it until it is invited (the OAuth2 `scope=bot` flow, or
   * `addBotToGuild`). `botPermissions` are its managed role's (the invite's `permissions` replace them).
   */
  addGuild(guild: {
    id?: string | undefined;
    name: string;
    ownerId?: string | undefined;
    botPermissions?: bigint | undefined;
    locale?: Locale | undefined;
    withBot?: boolean | undefined;
  }): SimGuild {
    return toSimGuild(this.world.addGuild(guild));
  }

  /** Deletes the guild; the bot, if it was in it, gets GUILD_DELETE. */
  removeGuild(guildId: string): void {
    this.world.removeGuild(guildId);
  }

  /**
   * The bot joins the guild, as an accepted invite makes it (without the page): the owning shard's
   * session gets GUILD_CREATE. `permissions` replace its role's. False when it was already there.
   */
  addBotToGuild(guildId: string, o: { permissions?: bigint | undefined } = {}): boolean {
    return this.world.addBot(guildId, o);
  }

  /**
   * The bot is removed from the guild (kicked; the guild stays): GUILD_DELETE without `unavailable`, its
   * guild commands are dropped, and the guild's interactions no longer reach it. False when it was not there.
   */
  removeBotFromGuild(guildId: string): boolean {
    return this.world.removeBot(guildId);
  }

  /** Whether the bot is in the guild. */
  hasBot(guildId: string): boolean {
    return this.world.hasBot(this.world.requireGuild(guildId));
  }

  /** Adds (or updates) a member; `permissions` replaces what their roles would grant. Dispatches GUILD_MEMBER_ADD. */
  addMember(
    guildId: string,
    user: { id?: string | undefined; username: string },
    o: { roles?: string[] | undefined; permissions?: bigint | undefined; joinedAt?: Date | undefined } = {},
  ): SimMember {
    const member = this.world.addMember(guildId, user, o);
    return this.toSimMember(this.world.requireGuild(guildId), member);
  }

  removeMember(guildId: string, userId: string): void {
    this.world.removeMember(guildId, userId);
  }

  /** Adds a role just below the bot's own (so the bot may assign it) unless `aboveBot`. Returns its id. */
  addRole(
    guildId: string,
    role: {
      id?: string | undefined;
      name: string;
      permissions?: bigint | undefined;
      aboveBot?: boolean | undefined;
    },
  ): string {
    return this.world.addRole(guildId, role).id;
  }

  /** Replaces a member's roles and dispatches GUILD_MEMBER_UPDATE. */
  setMemberRoles(guildId: string, userId: string, roles: string[]): void {
    this.world.setMemberRoles(guildId, userId, roles);
  }

  guild(guildId: string): SimGuild | undefined {
    const guild = this.world.guilds.get(guildId);
    return guild ? toSimGuild(guild) : undefined;
  }

  member(guildId: string, userId: string): SimMember | undefined {
    const guild = this.world.guilds.get(guildId);
    const member = guild?.members.get(userId);
    return guild && member ? this.toSimMember(guild, member) : undefined;
  }

  /** Messages visible in a channel (not ephemeral ones), oldest first, as Discord's API returns them. */
  messages(channelId: string): APIMessage[] {
    return [...this.world.messages.values()]
      .filter((m) => m.channelId === channelId && !(m.flags & MessageFlags.Ephemeral))
      .map((m) => apiMessage(this.world, m, this.apiUrl));
  }

  /** Messages the bot sent a user in DMs. */
  directMessages(userId: string): APIMessage[] {
    const channel = this.world.findDmChannel(userId);
    return channel ? this.messages(channel.id) : [];
  }

  /** Registered application commands: the guild's, or the global ones without `guildId`. */
  commands(guildId?: string): APIApplicationCommand[] {
    return this.commandStore.list(guildId ?? null);
  }

  // ── Members acting ───────────────────────────────────────────────────────────────────────────

  /**
   * Invokes a slash command as a member; resolves with the bot's final reply (after a deferral: the edit or
   * first follow-up). Rejects (SimulatorError) when the bot misses the 3-second window, answers too late,
   * or no final reply arrives within `timeoutMs` (default 5 s).
   */
  async slash(o: SlashOptions): Promise<SimReply> {
    this.assertOpen();
    const { guild, member } = this.world.requireMember(o.guildId, o.userId);
    this.requireBot(guild);
    const channel = this.channelIn(guild, o.channelId);
    const definition = this.commandStore.find(guild.id, o.command);
    if (!definition && this.settings.strictCommands) {
      const known = [...this.commands(guild.id), ...this.commands()].map((c) => c.name);
      throw new SimulatorError(
        SimulatorErrorCode.INVALID_COMMAND,
        `/${o.command} is not registered for guild ${guild.id} or globally (registered: ${known.join(', ') || 'none'})`,
      );
    }
    checkCommandPermission(guild, member.userId, definition);
    const { options, resolved } = resolveInvocation(this.world, guild, definition, o);
    const id = o.interactionId ?? this.ids.next();
    const target = this.target(guild, member, channel.id, id);
    const command = definition
      ? { id: definition.id, name: definition.name, guildId: definition.guild_id ?? null }
      : { id: this.syntheticCommandId(o.command), name: o.command, guildId: null };
    const payload = commandInteraction(target, command, options, resolved);
    const name = [o.command, o.subcommandGroup, o.subcommand].filter(Boolean).join(' ');
    return this.deliver(
      {
        id,
        token: target.token,
        type: InteractionType.ApplicationCommand,
        payload: { ...payload },
        guildId: guild.id,
        userId: member.userId,
        channelId: channel.id,
        name,
        sourceMessageId: null,
        label: `/${name} by ${member.userId} in guild ${guild.id}`,
        dispatchedAt: this.now(),
      },
      o.timeoutMs,
    );
  }

  /** Clicks a button on a message the bot sent (`customId` from that reply's components). */
  async click(o: ClickOptions): Promise<SimReply> {
    return this.useComponent(o, ComponentType.Button);
  }

  /** Picks `values` in a string select menu on a message the bot sent. */
  async select(o: SelectOptions): Promise<SimReply> {
    return this.useComponent(o, ComponentType.StringSelect);
  }

  /** Sends the same interaction again (same id and payload, new token), as Discord may on retries. */
  async replay(interactionId: string, o: { timeoutMs?: number | undefined } = {}): Promise<SimReply> {
    this.assertOpen();
    const previous = this.interactions.latest(interactionId);
    if (!previous) {
      throw new SimulatorError(
        SimulatorErrorCode.UNKNOWN_INTERACTION,
        `no interaction ${interactionId} to replay`,
      );
    }
    this.requireBot(this.world.requireGuild(previous.guildId));
    const token = newToken();
    return this.deliver(
      {
        ...previous,
        token,
        payload: { ...previous.payload, token },
        label: `${previous.label} (replay)`,
        dispatchedAt: this.now(),
      },
      o.timeoutMs,
    );
  }

  /** What the member currently sees for the latest delivery of an interaction. */
  latest(interactionId: string): SimReply | undefined {
    const record = this.interactions.latest(interactionId);
    return record ? snapshotReply(this.world, record, this.now()) : undefined;
  }

  // ── Gateway controls ─────────────────────────────────────────────────────────────────────────

  /** Resolves once `count` distinct shards are connected and have received READY and their guilds. */
  waitForShards(count: number, o: { timeoutMs?: number | undefined } = {}): Promise<void> {
    return this.gateway.waitFor(
      () => this.gateway.connectedShards().length >= count,
      o.timeoutMs ?? 15_000,
      () => `waitForShards(${count}): connected shards are [${this.gateway.connectedShards().join(', ')}]`,
    );
  }

  /** Resolves with the next gateway event of `kind` (on `shard`, if given) recorded after this call. */
  waitForGatewayEvent(
    kind: SimGatewayEvent['kind'],
    o: { shard?: number | undefined; timeoutMs?: number | undefined } = {},
  ): Promise<SimGatewayEvent> {
    const from = this.gateway.events.length;
    const find = () =>
      this.gateway.events
        .slice(from)
        .find((e) => e.kind === kind && (o.shard === undefined || e.shard === o.shard));
    return this.gateway
      .waitFor(
        () => find() !== undefined,
        o.timeoutMs ?? 15_000,
        () => `no '${kind}' gateway event${o.shard === undefined ? '' : ` on shard ${o.shard}`}`,
      )
      .then(() => find()!);
  }

  connectedShards(): number[] {
    return this.gateway.connectedShards();
  }

  /** Per shard that ever connected: sessions started (IDENTIFY), sessions resumed, identifies refused over the budget. */
  shardTally(): SimShardTally[] {
    return tallyShards(this.gateway.events);
  }

  /** Sends `payload` as-is to the shard's socket (objects as JSON, strings and buffers raw). */
  sendRaw(shard: number, payload: unknown): void {
    this.gateway.sendRaw(shard, payload);
  }

  /** Drops the shard's connection. Resumable (default): the client RESUMEs and gets what it missed. */
  disconnectShard(shard: number, o: { resumable?: boolean | undefined } = {}): void {
    this.gateway.disconnect(shard, o.resumable ?? true);
  }

  /** Sends op 7 RECONNECT: the client reconnects and resumes. */
  requestReconnect(shard: number): void {
    this.gateway.requestReconnect(shard);
  }

  /** Sends op 9 INVALID_SESSION (not resumable): the client must IDENTIFY again. */
  invalidateSession(shard: number): void {
    this.gateway.invalidateSession(shard);
  }

  // ── OAuth2 ───────────────────────────────────────────────────────────────────────────────────

  /**
   * Lets an OAuth2 client log users in: `clientId` and `clientSecret` default to the simulator's application
   * (`applicationId`, `clientSecret`); `redirectUris` must contain the client's exact callback URL.
   * Registering a client id again replaces it.
   */
  registerOAuthApp(app: {
    clientId?: string | undefined;
    clientSecret?: string | undefined;
    redirectUris: string[];
    name?: string | undefined;
  }): SimOAuthApp {
    return this.oauth.registerApp({
      clientId: app.clientId ?? this.applicationId,
      clientSecret: app.clientSecret ?? this.clientSecret,
      redirectUris: app.redirectUris,
      name: app.name ?? this.world.botUser.username,
    });
  }

  /**
   * With a user id, `/oauth2/authorize` skips its page and logs that user in at once (tests, scripted
   * browsers); `null` shows the page again. A `login_hint` query parameter does the same for one request.
   */
  setOAuthUser(userId: string | null): void {
    this.oauth.setAutoUser(userId);
  }

  // ── Premium Apps: SKUs, purchases, entitlements ──────────────────────────────────────────────

  /**
   * Adds a SKU the application sells (`GET /applications/{app}/skus` lists it): a subscription for a whole
   * guild (`guild-subscription`, what Guildmint's plans use) or for one user, or a one-time purchase.
   */
  addSku(sku: { id?: string; name: string; kind: SkuKind; available?: boolean }): APISKU {
    return apiSku(this.premium.addSku(sku), this.applicationId);
  }

  /**
   * A member buys a SKU through Discord's purchase flow (the app's premium button or the store page): the
   * entitlement starts now (a guild subscription's is the guild's) and ENTITLEMENT_CREATE goes to the shard
   * that has the guild. Refused when the SKU is unknown or unavailable, the user is not a member of the guild,
   * or the guild (for a guild subscription; otherwise the user) already has it.
   */
  purchaseSku(o: { guildId: string; userId: string; skuId: string }): APIEntitlement {
    this.assertOpen();
    this.world.requireMember(o.guildId, o.userId);
    return apiEntitlement(this.premium.purchase(o), this.applicationId);
  }

  /**
   * A member presses a premium button (style 6) on a message the bot sent and completes the purchase in
   * Discord's store: `purchaseSku` for the button's SKU (the first premium button, or the one for `skuId`).
   */
  pressPremiumButton(o: {
    guildId: string;
    userId: string;
    message: SimReply;
    skuId?: string;
  }): APIEntitlement {
    const button = findComponentWhere(
      o.message.components,
      (c) => c.style === ButtonStyle.Premium && (o.skuId === undefined || c.sku_id === o.skuId),
    );
    if (!button || typeof button.sku_id !== 'string')
      throw new SimulatorError(
        SimulatorErrorCode.UNKNOWN_COMPONENT,
        `no premium button${o.skuId ? ` for SKU ${o.skuId}` : ''} on message ${o.message.messageId}`,
      );
    return this.purchaseSku({ guildId: o.guildId, userId: o.userId, skuId: button.sku_id });
  }

  /** A subscription's next period is paid: as on Discord, the entitlement is unchanged and no event is sent. */
  renewSubscription(entitlementId: string): APIEntitlement {
    return apiEntitlement(this.premium.renew(entitlementId), this.applicationId);
  }

  /** The buyer cancels: the entitlement stays valid to the period's end, unchanged (no entitlement event). */
  cancelSubscription(entitlementId: string): APIEntitlement {
    return apiEntitlement(this.premium.cancel(entitlementId), this.applicationId);
  }

  /** The subscription ends now: `ends_at` is set and ENTITLEMENT_UPDATE is sent. */
  endSubscription(entitlementId: string): APIEntitlement {
    this.assertOpen();
    return apiEntitlement(this.premium.end(entitlementId), this.applicationId);
  }

  /** Discord deletes the entitlement (a refund, a chargeback): `deleted: true` and ENTITLEMENT_DELETE. */
  deleteEntitlement(entitlementId: string): APIEntitlement {
    this.assertOpen();
    this.premium.delete(entitlementId);
    return apiEntitlement(this.premium.entitlement(entitlementId)!, this.applicationId);
  }

  /** Entitlements as List Entitlements answers them (same filters; deleted ones left out unless asked). */
  entitlements(q: EntitlementQuery = {}): APIEntitlement[] {
    return this.premium.list(q).map((e) => apiEntitlement(e, this.applicationId));
  }

  // ── REST controls ────────────────────────────────────────────────────────────────────────────

  /**
   * A member posts a message in a guild text channel (default: the guild's first). Discord's MESSAGE_CREATE
   * follows, with the author's member (roles) as Discord sends it; its content is empty, as Discord sends it
   * to a bot without the privileged Message Content intent. Returns the message.
   */
  memberMessage(guildId: string, userId: string, o: { channelId?: string } = {}): APIMessage {
    const guild = this.world.requireGuild(guildId);
    if (!guild.members.has(userId))
      throw new SimulatorError(
        SimulatorErrorCode.INVALID_ARGUMENT,
        `${userId} is not a member of ${guildId}`,
      );
    const channelId = o.channelId ?? guild.defaultChannelId;
    if (!guild.channelIds.includes(channelId))
      throw new SimulatorError(
        SimulatorErrorCode.UNKNOWN_CHANNEL,
        `no channel ${channelId} in guild ${guildId}`,
      );
    const message = this.world.createMessage({ channelId, authorId: userId, content: { content: '' } });
    return apiMessage(this.world, message, this.apiUrl);
  }

  /**
   * A member joins, moves in or leaves (channelId null) a voice channel, or (un)deafens: VOICE_STATE_UPDATE
   * to the shard owning the guild (intent GuildVoiceStates). Voice channel ids are the caller's to pick.
   */
  setVoiceState(o: {
    guildId: string;
    userId: string;
    channelId: string | null;
    selfDeaf?: boolean;
    deaf?: boolean;
  }): void {
    const guild = this.world.requireGuild(o.guildId);
    const member = guild.members.get(o.userId);
    if (!member)
      throw new SimulatorError(
        SimulatorErrorCode.INVALID_ARGUMENT,
        `${o.userId} is not a member of ${o.guildId}`,
      );
    // Kept whether or not the bot is there: a bot (re)connecting reads them in GUILD_CREATE.
    recordVoiceState(
      this.world,
      o.guildId,
      o.userId,
      o.channelId === null
        ? null
        : { channelId: o.channelId, selfDeaf: o.selfDeaf ?? false, deaf: o.deaf ?? false },
    );
    if (!this.world.hasBot(guild)) return;
    this.gateway.dispatchGuild({
      guildId: o.guildId,
      t: GatewayDispatchEvents.VoiceStateUpdate,
      d: {
        guild_id: o.guildId,
        channel_id: o.channelId,
        user_id: o.userId,
        member: apiMember(this.world, member),
        session_id: `voice-${o.userId}`,
        deaf: o.deaf ?? false,
        mute: false,
        self_deaf: o.selfDeaf ?? false,
        self_mute: false,
        self_video: false,
        suppress: false,
        request_to_speak_timestamp: null,
      },
      aboutSelf: false,
    });
  }

  /** Makes the next matching REST call(s) fail, e.g. `{ path: /callback$/, status: 429 }`. */
  injectFault(fault: SimRestFault): void {
    this.rest.injectFault(fault);
  }

  /** Answers the next matching REST call(s) late, e.g. `{ path: /callback$/, ms: 200 }` (see SimRestDelay). */
  delayResponses(delay: SimRestDelay): void {
    this.rest.delayResponses(delay);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.interactions.close();
    this.gateway.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ── Internals ────────────────────────────────────────────────────────────────────────────────

  private async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  private async useComponent(
    o: ClickOptions | SelectOptions,
    type: ComponentType.Button | ComponentType.StringSelect,
  ): Promise<SimReply> {
    this.assertOpen();
    const { guild, member } = this.world.requireMember(o.guildId, o.userId);
    this.requireBot(guild);
    const message = this.world.messages.get(o.message.messageId);
    const visible =
      message &&
      message.guildId === guild.id &&
      (!(message.flags & MessageFlags.Ephemeral) || message.interaction?.userId === member.userId);
    if (!message || !visible) {
      throw new SimulatorError(
        SimulatorErrorCode.UNKNOWN_MESSAGE,
        `message ${o.message.messageId || '(none)'} is not one member ${member.userId} can see in guild ${guild.id}`,
      );
    }
    const component = findComponent(message.components, o.customId);
    const usable =
      component?.type === type &&
      component.disabled !== true &&
      component.style !== ButtonStyle.Link &&
      component.style !== ButtonStyle.Premium;
    if (!component || !usable) {
      throw new SimulatorError(
        SimulatorErrorCode.UNKNOWN_COMPONENT,
        `no enabled ${type === ComponentType.Button ? 'button' : 'select menu'} '${o.customId}' on message ${message.id} ` +
          `(custom ids: ${customIds(message.components).join(', ') || 'none'})`,
      );
    }
    const values = 'values' in o ? o.values : [];
    if (type === ComponentType.StringSelect) checkSelection(component, values, o.customId);

    const id = o.interactionId ?? this.ids.next();
    const target = this.target(guild, member, message.channelId, id);
    const payload = componentInteraction(
      target,
      apiMessage(this.world, message, this.apiUrl),
      type === ComponentType.Button
        ? { customId: o.customId, type: ComponentType.Button }
        : { customId: o.customId, type: ComponentType.StringSelect, values },
    );
    return this.deliver(
      {
        id,
        token: target.token,
        type: InteractionType.MessageComponent,
        payload: { ...payload },
        guildId: guild.id,
        userId: member.userId,
        channelId: message.channelId,
        name: o.customId,
        sourceMessageId: message.id,
        label: `component '${o.customId}' by ${member.userId} in guild ${guild.id}`,
        dispatchedAt: this.now(),
      },
      o.timeoutMs,
    );
  }

  private deliver(init: NewInteraction, timeoutMs: number | undefined): Promise<SimReply> {
    const { record, reply } = this.interactions.open(init, timeoutMs ?? this.settings.replyTimeoutMs);
    record.shard = this.gateway.dispatchInteraction(record.id, record.guildId, record.payload);
    return reply;
  }

  private target(guild: GuildRecord, member: MemberRecord, channelId: string, id: string): InteractionTarget {
    return {
      world: this.world,
      applicationId: this.applicationId,
      guild,
      member,
      channel: this.world.channels.get(channelId)!,
      id,
      token: newToken(),
      entitlements: this.premium
        .applying(guild.id, member.userId)
        .map((e) => apiEntitlement(e, this.applicationId)),
    };
  }

  private channelIn(guild: GuildRecord, channelId: string | undefined) {
    const channel = this.world.channels.get(channelId ?? guild.defaultChannelId);
    if (!channel || channel.guildId !== guild.id) {
      throw new SimulatorError(
        SimulatorErrorCode.UNKNOWN_CHANNEL,
        `no channel ${channelId} in guild ${guild.id}`,
      );
    }
    return channel;
  }

  /** An unregistered command still needs a stable id; one per name. */
  private syntheticCommandId(name: string): string {
    let id = this.syntheticCommandIds.get(name);
    if (!id) {
      id = this.ids.next();
      this.syntheticCommandIds.set(name, id);
    }
    return id;
  }

  private toSimMember(guild: GuildRecord, member: MemberRecord): SimMember {
    return {
      guildId: guild.id,
      userId: member.userId,
      username: this.world.users.get(member.userId)?.username ?? '',
      roles: [...member.roles],
      joinedAt: member.joinedAt,
      permissions: memberPermissions(guild, member),
    };
  }

  /** Discord delivers nothing from a guild the bot is not in. */
  private requireBot(guild: GuildRecord): void {
    if (!this.world.hasBot(guild)) {
      throw new SimulatorError(
        SimulatorErrorCode.BOT_NOT_IN_GUILD,
        `the bot is not in guild ${guild.id}: invite it (OAuth2 scope=bot) or call addBotToGuild first`,
      );
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new SimulatorError(SimulatorErrorCode.CLOSED, 'the simulator is closed');
  }
}

function toSimGuild(guild: GuildRecord): SimGuild {
  return {
    id: guild.id,
    name: guild.name,
    ownerId: guild.ownerId,
    channelId: guild.defaultChannelId,
    everyoneRoleId: guild.id,
    botRoleId: guild.botRoleId,
  };
}

const ENTITLEMENT_EVENTS: Record<EntitlementChange, GatewayDispatchEvents> = {
  create: GatewayDispatchEvents.EntitlementCreate,
  update: GatewayDispatchEvents.EntitlementUpdate,
  delete: GatewayDispatchEvents.EntitlementDelete,
};

function newToken(): string {
  return `aW50ZXJhY3Rpb246${randomBytes(48).toString('base64url')}`;
}

function checkSelection(component: Record<string, unknown>, values: string[], customId: string): void {
  const offered = Array.isArray(component.options)
    ? (component.options as Array<{ value?: unknown }>).map((option) => option.value)
    : [];
  const min = typeof component.min_values === 'number' ? component.min_values : 1;
  const max = typeof component.max_values === 'number' ? component.max_values : 1;
  const bad = values.find((v) => !offered.includes(v));
  if (bad !== undefined || values.length < min || values.length > max) {
    throw new SimulatorError(
      SimulatorErrorCode.UNKNOWN_COMPONENT,
      `select '${customId}' takes ${min}–${max} of [${offered.join(', ')}]; got [${values.join(', ')}]`,
    );
  }
}
