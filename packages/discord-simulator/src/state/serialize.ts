import {
  type APIAttachment,
  type APIChannel,
  type APIEmbed,
  type APIGuild,
  type APIGuildMember,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageTopLevelComponent,
  type APIRole,
  type APITextChannel,
  type APIUser,
  ChannelType,
  type GatewayGuildCreateDispatchData,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildVerificationLevel,
  InteractionType,
} from 'discord-api-types/v10';
import type {
  ChannelRecord,
  GuildRecord,
  MemberRecord,
  MessageRecord,
  RoleRecord,
  UserRecord,
  VoiceStateRecord,
  World,
} from './model.js';
import { memberPermissions } from './permissions.js';

// Turns the world's records into the JSON Discord sends. Every shape is checked against
// discord-api-types, so a field discord.js reads cannot silently go missing.

export function apiUser(user: UserRecord): APIUser {
  return {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: user.globalName,
    avatar: null,
    ...(user.bot ? { bot: true } : {}),
    public_flags: noFlags(),
  };
}

export function apiRole(role: RoleRecord): APIRole {
  return {
    id: role.id,
    name: role.name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: role.position,
    permissions: role.permissions.toString(),
    managed: role.managed,
    mentionable: false,
    flags: noFlags(),
    ...(role.botId ? { tags: { bot_id: role.botId } } : {}),
  };
}

export function apiChannel(channel: ChannelRecord, world: World): APIChannel {
  if (channel.type === ChannelType.DM) {
    const recipient = world.users.get(channel.recipientId ?? '');
    return {
      id: channel.id,
      type: ChannelType.DM,
      name: null,
      last_message_id: channel.lastMessageId,
      recipients: recipient ? [apiUser(recipient)] : [],
      flags: noFlags(),
    };
  }
  return apiTextChannel(channel);
}

export function apiTextChannel(channel: ChannelRecord): APITextChannel {
  return {
    id: channel.id,
    type: ChannelType.GuildText,
    guild_id: channel.guildId ?? '',
    name: channel.name,
    position: channel.position,
    permission_overwrites: [],
    parent_id: null,
    nsfw: false,
    topic: null,
    last_message_id: channel.lastMessageId,
    rate_limit_per_user: 0,
    flags: noFlags(),
  };
}

export function apiMember(world: World, member: MemberRecord): APIGuildMember {
  return {
    user: apiUser(world.users.get(member.userId)!),
    nick: member.nick,
    avatar: null,
    banner: null,
    roles: [...member.roles],
    joined_at: member.joinedAt.toISOString(),
    premium_since: null,
    deaf: false,
    mute: false,
    flags: noFlags(),
    pending: false,
    communication_disabled_until: null,
  };
}

export function apiInteractionMember(
  world: World,
  guild: GuildRecord,
  member: MemberRecord,
): APIInteractionGuildMember {
  return { ...apiMember(world, member), permissions: memberPermissions(guild, member).toString() };
}

/** The guild object of `GET /guilds/{id}` (no channels or members, as on Discord). */
export function apiGuild(guild: GuildRecord): APIGuild {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: [...guild.roles.values()].map(apiRole),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: guild.defaultChannelId,
    system_channel_flags: noFlags(),
    rules_channel_id: null,
    max_members: 500_000,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: guild.locale,
    public_updates_channel_id: null,
    nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    incidents_data: null,
  };
}

/** GUILD_CREATE: the guild plus what only the gateway sends (channels, members, `unavailable: false`). */
export function apiGuildCreate(world: World, guild: GuildRecord): GatewayGuildCreateDispatchData {
  const channels = guild.channelIds.flatMap((id) => {
    const channel = world.channels.get(id);
    return channel ? [apiTextChannel(channel)] : [];
  });
  return {
    ...apiGuild(guild),
    joined_at: guild.joinedAt.toISOString(),
    large: false,
    unavailable: false,
    member_count: guild.members.size,
    voice_states: apiGuildVoiceStates(world, guild),
    members: [...guild.members.values()].map((m) => apiMember(world, m)),
    channels,
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** GUILD_CREATE's voice states: partial (no `guild_id`), one per member in a voice channel. */
function apiGuildVoiceStates(
  world: World,
  guild: GuildRecord,
): GatewayGuildCreateDispatchData['voice_states'] {
  return [...(world.voiceStates.get(guild.id) ?? new Map<string, VoiceStateRecord>())].map(([userId, v]) => ({
    channel_id: v.channelId,
    user_id: userId,
    session_id: `voice-${userId}`,
    deaf: v.deaf,
    mute: false,
    self_deaf: v.selfDeaf,
    self_mute: false,
    self_video: false,
    suppress: false,
    request_to_speak_timestamp: null,
  }));
}

export function apiAttachment(
  attachment: MessageRecord['attachments'][number],
  apiUrl: string,
): APIAttachment {
  const url = `${apiUrl.replace(/\/api$/, '')}/attachments/${attachment.id}/${encodeURIComponent(attachment.filename)}`;
  return {
    id: attachment.id,
    filename: attachment.filename,
    size: attachment.size,
    url,
    proxy_url: url,
    ...(attachment.contentType ? { content_type: attachment.contentType } : {}),
  };
}

export function apiMessage(world: World, message: MessageRecord, apiUrl: string): APIMessage {
  const author = world.users.get(message.authorId)!;
  const interactionUser = message.interaction ? world.users.get(message.interaction.userId) : undefined;
  return {
    id: message.id,
    channel_id: message.channelId,
    ...(message.guildId ? { guild_id: message.guildId } : {}),
    author: apiUser(author),
    content: message.content,
    timestamp: message.createdAt.toISOString(),
    edited_timestamp: message.editedAt?.toISOString() ?? null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: message.attachments.map((a) => apiAttachment(a, apiUrl)),
    // Stored exactly as the bot sent them (validated on the way in).
    embeds: message.embeds as APIEmbed[],
    components: message.components as unknown as APIMessageTopLevelComponent[],
    pinned: false,
    type: message.type,
    flags: message.flags,
    ...(message.webhookId ? { webhook_id: message.webhookId, application_id: message.webhookId } : {}),
    ...(message.interaction && interactionUser
      ? {
          interaction: {
            id: message.interaction.id,
            type: message.interaction.type,
            name: message.interaction.name,
            user: apiUser(interactionUser),
          },
          interaction_metadata:
            message.interaction.type === InteractionType.MessageComponent
              ? {
                  id: message.interaction.id,
                  type: InteractionType.MessageComponent,
                  user: apiUser(interactionUser),
                  authorizing_integration_owners: message.guildId ? { 0: message.guildId } : {},
                  interacted_message_id: message.interaction.interactedMessageId ?? message.id,
                }
              : {
                  id: message.interaction.id,
                  type: InteractionType.ApplicationCommand,
                  user: apiUser(interactionUser),
                  authorizing_integration_owners: message.guildId ? { 0: message.guildId } : {},
                },
        }
      : {}),
  };
}

/** An empty bitfield of any of discord-api-types' flag enums (whose members do not include 0). */
export function noFlags<Flags extends number>(): Flags {
  return 0 as Flags;
}
