import type { SimContext } from '../../context.js';
import { httpErrors } from '../../errors.js';
import type { ChannelRecord, GuildRecord, MemberRecord } from '../../state/model.js';

// Lookups that answer the way Discord does when something does not exist (10004, 10007, 10003…).

/** A guild the bot is in; 404 Unknown Guild when there is none, 403 Missing Access when the bot is not in it. */
export function guildOr404(ctx: SimContext, guildId: string): GuildRecord {
  const guild = ctx.world.guilds.get(guildId);
  if (!guild) throw httpErrors.unknownGuild();
  if (!ctx.world.hasBot(guild)) throw httpErrors.missingAccess();
  return guild;
}

export function memberOr404(guild: GuildRecord, userId: string): MemberRecord {
  const member = guild.members.get(userId);
  if (!member) throw httpErrors.unknownMember();
  return member;
}

/** A DM channel, or a channel of a guild the bot is in (403 Missing Access otherwise). */
export function channelOr404(ctx: SimContext, channelId: string): ChannelRecord {
  const channel = ctx.world.channels.get(channelId);
  if (!channel) throw httpErrors.unknownChannel();
  if (channel.guildId !== null && !ctx.world.hasBot(channel.guildId)) throw httpErrors.missingAccess();
  return channel;
}

/** The bot's member in a guild (403 Missing Access when it is not in it). */
export function botMember(ctx: SimContext, guild: GuildRecord): MemberRecord {
  const member = guild.members.get(ctx.world.botUserId);
  if (!member) throw httpErrors.missingAccess();
  return member;
}
