import { type CacheFactory, Options } from 'discord.js';

/**
 * What the runtime's discord.js client keeps in memory, bounded so that a process serving many guilds grows
 * only with its guilds (and their channels and roles, which discord.js needs and cannot bound). A member and
 * their user arrive with every interaction, with current roles and permissions, so neither is kept, except
 * the bot's own; nothing else the gateway sends (emojis, stickers, messages, scheduled events, voice states,
 * …) is read by the runtime, so none of it is kept either.
 */
export const makeCache: CacheFactory = Options.cacheWithLimits({
  ...Options.DefaultMakeCacheSettings,
  GuildMemberManager: { maxSize: 0, keepOverLimit: (member) => member.id === member.client.user.id },
  UserManager: { maxSize: 0, keepOverLimit: (user) => user.id === user.client.user.id },
  ApplicationCommandManager: 0,
  ApplicationEmojiManager: 0,
  AutoModerationRuleManager: 0,
  BaseGuildEmojiManager: 0,
  DMMessageManager: 0,
  EntitlementManager: 0,
  GuildBanManager: 0,
  GuildEmojiManager: 0,
  GuildInviteManager: 0,
  GuildMessageManager: 0,
  GuildScheduledEventManager: 0,
  GuildStickerManager: 0,
  MessageManager: 0,
  PresenceManager: 0,
  ReactionManager: 0,
  ReactionUserManager: 0,
  StageInstanceManager: 0,
  ThreadMemberManager: 0,
  VoiceStateManager: 0,
});
