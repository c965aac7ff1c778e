import { ChannelType, Locale, MessageFlags } from 'discord-api-types/v10';
import { SimulatorError, SimulatorErrorCode } from '../errors.js';
import { isSnowflake, type SnowflakeGenerator } from '../snowflake.js';
import { DEFAULT_BOT_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS } from './permissions.js';

// The simulator's world: users, guilds, roles, members, channels and messages, held in memory.
// It knows nothing of the gateway or REST; every change is reported through `onChange`, and the
// gateway turns those into dispatches.

export interface UserRecord {
  id: string;
  username: string;
  globalName: string | null;
  bot: boolean;
}

export interface RoleRecord {
  id: string;
  name: string;
  permissions: bigint;
  /** 0 for @everyone; higher is more powerful. */
  position: number;
  /** Managed roles (the bot's own) cannot be assigned by anyone. */
  managed: boolean;
  botId: string | null;
}

export interface ChannelRecord {
  id: string;
  type: ChannelType.GuildText | ChannelType.DM;
  guildId: string | null;
  name: string;
  position: number;
  recipientId: string | null;
  lastMessageId: string | null;
}

export interface MemberRecord {
  userId: string;
  roles: string[];
  joinedAt: Date;
  nick: string | null;
  /** Set by `addMember(…, { permissions })`: used as the member's permissions instead of their roles'. */
  permissionsOverride: bigint | null;
}

export interface GuildRecord {
  id: string;
  name: string;
  ownerId: string;
  locale: Locale;
  /** When the bot (last) joined the guild. */
  joinedAt: Date;
  roles: Map<string, RoleRecord>;
  members: Map<string, MemberRecord>;
  channelIds: string[];
  defaultChannelId: string;
  botRoleId: string;
}

export interface StoredAttachment {
  id: string;
  filename: string;
  size: number;
  contentType: string | null;
}

export interface MessageInteractionRef {
  id: string;
  type: number;
  name: string;
  userId: string;
  /** For component interactions: the message whose component was used. */
  interactedMessageId: string | null;
}

export interface MessageRecord {
  id: string;
  channelId: string;
  guildId: string | null;
  authorId: string;
  /** Set when an application's webhook (an interaction response) wrote the message. */
  webhookId: string | null;
  type: number;
  content: string;
  embeds: Array<Record<string, unknown>>;
  components: Array<Record<string, unknown>>;
  attachments: StoredAttachment[];
  flags: number;
  createdAt: Date;
  editedAt: Date | null;
  interaction: MessageInteractionRef | null;
}

export interface MessageContent {
  content?: string | undefined;
  embeds?: Array<Record<string, unknown>> | undefined;
  components?: Array<Record<string, unknown>> | undefined;
  attachments?: StoredAttachment[] | undefined;
  flags?: number | undefined;
}

export type WorldChange =
  | { kind: 'guild-create'; guildId: string }
  /** The guild is gone; `withBot`: the bot was in it (and hears of it). */
  | { kind: 'guild-delete'; guildId: string; withBot: boolean }
  /** The bot was added to (invited into) an existing guild. */
  | { kind: 'bot-join'; guildId: string }
  /** The bot was removed from (kicked out of) a guild that goes on existing. */
  | { kind: 'bot-leave'; guildId: string }
  | { kind: 'member-add'; guildId: string; userId: string }
  | { kind: 'member-update'; guildId: string; userId: string }
  | { kind: 'member-remove'; guildId: string; user: UserRecord }
  | { kind: 'role-create'; guildId: string; roleId: string }
  | { kind: 'role-update'; guildId: string; roleId: string }
  | { kind: 'message-create'; messageId: string }
  | { kind: 'message-update'; messageId: string }
  | { kind: 'message-delete'; message: MessageRecord };

export interface WorldOptions {
  ids: SnowflakeGenerator;
  now: () => number;
  bot: { userId: string; username: string };
  onChange: (change: WorldChange) => void;
}

/** Where a member is in voice, and whether they (or a moderator) deafened them. */
export interface VoiceStateRecord {
  channelId: string;
  selfDeaf: boolean;
  deaf: boolean;
}

/** Records a voice state (a member in a channel) or forgets it (channel null: left voice). */
export function recordVoiceState(
  world: World,
  guildId: string,
  userId: string,
  state: VoiceStateRecord | null,
): void {
  let guild = world.voiceStates.get(guildId);
  if (!guild) {
    guild = new Map();
    world.voiceStates.set(guildId, guild);
  }
  if (state) guild.set(userId, state);
  else guild.delete(userId);
}

export class World {
  readonly users = new Map<string, UserRecord>();
  readonly guilds = new Map<string, GuildRecord>();
  readonly channels = new Map<string, ChannelRecord>();
  readonly messages = new Map<string, MessageRecord>();
  readonly botUserId: string;
  /** guild → member → their voice state, while in a voice channel (GUILD_CREATE sends them). */
  readonly voiceStates = new Map<string, Map<string, VoiceStateRecord>>();

  constructor(private readonly options: WorldOptions) {
    this.botUserId = options.bot.userId;
    this.users.set(options.bot.userId, {
      id: options.bot.userId,
      username: options.bot.username,
      globalName: null,
      bot: true,
    });
  }

  get botUser(): UserRecord {
    return this.users.get(this.botUserId)!;
  }

  /** Creates the user, or renames it if the id is known. */
  upsertUser(user: { id?: string | undefined; username: string; bot?: boolean }): UserRecord {
    const id = checkId(user.id) ?? this.options.ids.next();
    const existing = this.users.get(id);
    if (existing) {
      existing.username = user.username;
      return existing;
    }
    const created: UserRecord = { id, username: user.username, globalName: null, bot: user.bot ?? false };
    this.users.set(id, created);
    return created;
  }

  addGuild(input: {
    id?: string | undefined;
    name: string;
    ownerId?: string | undefined;
    botPermissions?: bigint | undefined;
    locale?: Locale | undefined;
    /** False: the guild exists without the bot, until it is invited (`addBot`). Default true. */
    withBot?: boolean | undefined;
  }): GuildRecord {
    const id = checkId(input.id) ?? this.options.ids.next();
    if (this.guilds.has(id)) throw invalid(`guild ${id} already exists`);
    const now = new Date(this.options.now());
    const botRoleId = this.options.ids.next();
    const guild: GuildRecord = {
      id,
      name: input.name,
      ownerId: input.ownerId ?? '',
      locale: input.locale ?? Locale.EnglishUS,
      joinedAt: now,
      roles: new Map([
        [id, role(id, '@everyone', DEFAULT_EVERYONE_PERMISSIONS, 0)],
        [
          botRoleId,
          {
            ...role(botRoleId, this.botUser.username, input.botPermissions ?? DEFAULT_BOT_PERMISSIONS, 1),
            managed: true,
            botId: this.botUserId,
          },
        ],
      ]),
      members: new Map(),
      channelIds: [],
      defaultChannelId: '',
      botRoleId,
    };
    const channel: ChannelRecord = {
      id: this.options.ids.next(),
      type: ChannelType.GuildText,
      guildId: id,
      name: 'general',
      position: 0,
      recipientId: null,
      lastMessageId: null,
    };
    this.channels.set(channel.id, channel);
    guild.channelIds.push(channel.id);
    guild.defaultChannelId = channel.id;

    const owner = this.upsertUser({
      id: input.ownerId,
      username: this.users.get(input.ownerId ?? '')?.username ?? 'owner',
    });
    guild.ownerId = owner.id;
    guild.members.set(owner.id, member(owner.id, [], now, null));
    if (input.withBot ?? true)
      guild.members.set(this.botUserId, member(this.botUserId, [botRoleId], now, null));
    this.guilds.set(id, guild);
    this.options.onChange({ kind: 'guild-create', guildId: id });
    return guild;
  }

  /** The guild is deleted (the bot, if it was there, hears GUILD_DELETE). */
  removeGuild(guildId: string): void {
    const guild = this.requireGuild(guildId);
    const withBot = this.hasBot(guild);
    this.guilds.delete(guildId);
    for (const channelId of guild.channelIds) this.channels.delete(channelId);
    this.options.onChange({ kind: 'guild-delete', guildId, withBot });
  }

  /** Whether the bot is a member of the guild. */
  hasBot(guild: GuildRecord | string): boolean {
    const record = typeof guild === 'string' ? this.guilds.get(guild) : guild;
    return record?.members.has(this.botUserId) ?? false;
  }

  /**
   * The bot joins the guild (an accepted invite): it becomes a member with its managed role, whose
   * permissions become `permissions` when given. Returns false when it was already there (then only the
   * role's permissions change, as a re-authorization does on Discord).
   */
  addBot(guildId: string, o: { permissions?: bigint | undefined } = {}): boolean {
    const guild = this.requireGuild(guildId);
    const role = guild.roles.get(guild.botRoleId)!;
    if (this.hasBot(guild)) {
      if (o.permissions !== undefined && o.permissions !== role.permissions) {
        role.permissions = o.permissions;
        this.options.onChange({ kind: 'role-update', guildId, roleId: role.id });
      }
      return false;
    }
    if (o.permissions !== undefined) role.permissions = o.permissions;
    const now = new Date(this.options.now());
    guild.joinedAt = now;
    guild.members.set(this.botUserId, member(this.botUserId, [guild.botRoleId], now, null));
    this.options.onChange({ kind: 'bot-join', guildId });
    return true;
  }

  /** The bot is removed from the guild, which goes on existing. Returns false when it was not there. */
  removeBot(guildId: string): boolean {
    const guild = this.requireGuild(guildId);
    if (!guild.members.delete(this.botUserId)) return false;
    this.options.onChange({ kind: 'bot-leave', guildId });
    return true;
  }

  addMember(
    guildId: string,
    user: { id?: string | undefined; username: string },
    options: {
      roles?: string[] | undefined;
      permissions?: bigint | undefined;
      joinedAt?: Date | undefined;
    } = {},
  ): MemberRecord {
    const guild = this.requireGuild(guildId);
    if (user.id === this.botUserId) throw invalid('the bot joins a guild by invite: use addBotToGuild');
    const record = this.upsertUser(user);
    const roles = this.checkAssignableRoles(guild, options.roles ?? []);
    const existing = guild.members.get(record.id);
    if (existing) {
      existing.roles = roles;
      existing.permissionsOverride = options.permissions ?? existing.permissionsOverride;
      if (options.joinedAt) existing.joinedAt = options.joinedAt;
      this.options.onChange({ kind: 'member-update', guildId, userId: record.id });
      return existing;
    }
    const created = member(
      record.id,
      roles,
      options.joinedAt ?? new Date(this.options.now()),
      options.permissions ?? null,
    );
    guild.members.set(record.id, created);
    this.options.onChange({ kind: 'member-add', guildId, userId: record.id });
    return created;
  }

  removeMember(guildId: string, userId: string): void {
    const guild = this.requireGuild(guildId);
    if (userId === this.botUserId) throw invalid('use removeBotFromGuild to make the bot leave');
    if (!guild.members.delete(userId)) throw unknownMember(guildId, userId);
    // Leaving a server disconnects from its voice channels.
    this.voiceStates.get(guildId)?.delete(userId);
    this.options.onChange({ kind: 'member-remove', guildId, user: this.users.get(userId)! });
  }

  addRole(
    guildId: string,
    input: {
      id?: string | undefined;
      name: string;
      permissions?: bigint | undefined;
      aboveBot?: boolean | undefined;
    },
  ): RoleRecord {
    const guild = this.requireGuild(guildId);
    const id = checkId(input.id) ?? this.options.ids.next();
    if (guild.roles.has(id)) throw invalid(`role ${id} already exists in guild ${guildId}`);
    const botRole = guild.roles.get(guild.botRoleId)!;
    // New roles go just below the bot's role, so the bot may hand them out, unless asked otherwise.
    let position: number;
    if (input.aboveBot) {
      position = Math.max(...[...guild.roles.values()].map((r) => r.position)) + 1;
    } else {
      position = botRole.position;
      for (const other of guild.roles.values()) if (other.position >= position) other.position += 1;
    }
    const created = role(id, input.name, input.permissions ?? 0n, position);
    guild.roles.set(id, created);
    this.options.onChange({ kind: 'role-create', guildId, roleId: id });
    return created;
  }

  setMemberRoles(guildId: string, userId: string, roles: string[]): MemberRecord {
    const guild = this.requireGuild(guildId);
    const found = guild.members.get(userId);
    if (!found) throw unknownMember(guildId, userId);
    found.roles = this.checkAssignableRoles(guild, roles, userId === this.botUserId ? found.roles : []);
    this.options.onChange({ kind: 'member-update', guildId, userId });
    return found;
  }

  requireGuild(guildId: string): GuildRecord {
    const guild = this.guilds.get(guildId);
    if (!guild)
      throw new SimulatorError(SimulatorErrorCode.UNKNOWN_GUILD, `no guild ${guildId} in the simulator`);
    return guild;
  }

  requireMember(
    guildId: string,
    userId: string,
  ): { guild: GuildRecord; member: MemberRecord; user: UserRecord } {
    const guild = this.requireGuild(guildId);
    const found = guild.members.get(userId);
    if (!found) throw unknownMember(guildId, userId);
    return { guild, member: found, user: this.users.get(userId)! };
  }

  findDmChannel(userId: string): ChannelRecord | undefined {
    for (const channel of this.channels.values()) {
      if (channel.type === ChannelType.DM && channel.recipientId === userId) return channel;
    }
    return undefined;
  }

  /** The DM channel between the bot and a user, created on first use. */
  dmChannel(userId: string): ChannelRecord {
    const existing = this.findDmChannel(userId);
    if (existing) return existing;
    const channel: ChannelRecord = {
      id: this.options.ids.next(),
      type: ChannelType.DM,
      guildId: null,
      name: '',
      position: 0,
      recipientId: userId,
      lastMessageId: null,
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  createMessage(input: {
    channelId: string;
    authorId: string;
    webhookId?: string | null;
    type?: number;
    interaction?: MessageInteractionRef | null;
    content: MessageContent;
  }): MessageRecord {
    const channel = this.channels.get(input.channelId);
    if (!channel)
      throw new SimulatorError(SimulatorErrorCode.UNKNOWN_CHANNEL, `no channel ${input.channelId}`);
    const message: MessageRecord = {
      id: this.options.ids.next(),
      channelId: channel.id,
      guildId: channel.guildId,
      authorId: input.authorId,
      webhookId: input.webhookId ?? null,
      type: input.type ?? 0,
      content: input.content.content ?? '',
      embeds: input.content.embeds ?? [],
      components: input.content.components ?? [],
      attachments: input.content.attachments ?? [],
      flags: input.content.flags ?? 0,
      createdAt: new Date(this.options.now()),
      editedAt: null,
      interaction: input.interaction ?? null,
    };
    this.messages.set(message.id, message);
    channel.lastMessageId = message.id;
    if (!(message.flags & MessageFlags.Ephemeral))
      this.options.onChange({ kind: 'message-create', messageId: message.id });
    return message;
  }

  /** Applies the fields present in `patch`; `flags` may only clear Loading or set SuppressEmbeds, as on Discord. */
  editMessage(messageId: string, patch: MessageContent): MessageRecord {
    const message = this.messages.get(messageId);
    if (!message) throw new SimulatorError(SimulatorErrorCode.UNKNOWN_MESSAGE, `no message ${messageId}`);
    if (patch.content !== undefined) message.content = patch.content;
    if (patch.embeds !== undefined) message.embeds = patch.embeds;
    if (patch.components !== undefined) message.components = patch.components;
    if (patch.attachments !== undefined) message.attachments = patch.attachments;
    const kept = message.flags & (MessageFlags.Ephemeral | MessageFlags.IsComponentsV2);
    const allowed = (patch.flags ?? 0) & (MessageFlags.SuppressEmbeds | MessageFlags.IsComponentsV2);
    message.flags = kept | allowed;
    message.editedAt = new Date(this.options.now());
    if (!(message.flags & MessageFlags.Ephemeral))
      this.options.onChange({ kind: 'message-update', messageId });
    return message;
  }

  deleteMessage(messageId: string): void {
    const message = this.messages.get(messageId);
    if (!message) throw new SimulatorError(SimulatorErrorCode.UNKNOWN_MESSAGE, `no message ${messageId}`);
    this.messages.delete(messageId);
    if (!(message.flags & MessageFlags.Ephemeral)) this.options.onChange({ kind: 'message-delete', message });
  }

  private checkAssignableRoles(guild: GuildRecord, roles: string[], keepManaged: string[] = []): string[] {
    const result = new Set<string>(keepManaged.filter((id) => guild.roles.get(id)?.managed));
    for (const roleId of roles) {
      const found = guild.roles.get(roleId);
      if (!found) {
        throw new SimulatorError(SimulatorErrorCode.UNKNOWN_ROLE, `no role ${roleId} in guild ${guild.id}`);
      }
      if (roleId === guild.id) continue; // @everyone is implicit
      if (found.managed && !keepManaged.includes(roleId))
        throw invalid(`role ${roleId} is managed by an integration`);
      result.add(roleId);
    }
    return [...result];
  }
}

function role(id: string, name: string, permissions: bigint, position: number): RoleRecord {
  return { id, name, permissions, position, managed: false, botId: null };
}

function member(
  userId: string,
  roles: string[],
  joinedAt: Date,
  permissionsOverride: bigint | null,
): MemberRecord {
  return { userId, roles, joinedAt, nick: null, permissionsOverride };
}

/** Ids must be snowflakes: sharding and discord.js both read the timestamp bits. */
function checkId(id: string | undefined): string | undefined {
  if (id !== undefined && !isSnowflake(id))
    throw invalid(`'${id}' is not a snowflake (a decimal string of up to 20 digits)`);
  return id;
}

function invalid(message: string): SimulatorError {
  return new SimulatorError(SimulatorErrorCode.INVALID_ARGUMENT, message);
}

function unknownMember(guildId: string, userId: string): SimulatorError {
  return new SimulatorError(
    SimulatorErrorCode.UNKNOWN_MEMBER,
    `user ${userId} is not a member of guild ${guildId}`,
  );
}
