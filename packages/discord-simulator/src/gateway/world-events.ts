import { GatewayDispatchEvents } from 'discord-api-types/v10';
import type { World, WorldChange } from '../state/model.js';
import { apiGuildCreate, apiMember, apiMessage, apiRole, apiUser } from '../state/serialize.js';

export interface GuildDispatch {
  guildId: string;
  t: GatewayDispatchEvents;
  d: unknown;
  /** The event concerns the bot's own member (sent whatever the intents). */
  aboutSelf: boolean;
}

/**
 * The dispatch Discord sends the bot for a change in the world, or null when it sends none: DMs,
 * ephemerals, and anything in a guild the bot is not in (it hears only of joining and leaving).
 */
export function dispatchFor(world: World, change: WorldChange, apiUrl: string): GuildDispatch | null {
  switch (change.kind) {
    case 'guild-create':
    case 'bot-join': {
      const guild = world.guilds.get(change.guildId);
      return guild && world.hasBot(guild)
        ? guildDispatch(guild.id, GatewayDispatchEvents.GuildCreate, apiGuildCreate(world, guild))
        : null;
    }
    case 'guild-delete':
      return change.withBot
        ? guildDispatch(change.guildId, GatewayDispatchEvents.GuildDelete, { id: change.guildId })
        : null;
    case 'bot-leave':
      // Removed, not an outage: no `unavailable` flag, so the client drops the guild.
      return guildDispatch(change.guildId, GatewayDispatchEvents.GuildDelete, { id: change.guildId });
    default:
      return inGuild(world, change, apiUrl);
  }
}

/** Events inside a guild: only when the bot is a member there. */
function inGuild(
  world: World,
  change: Exclude<WorldChange, { kind: 'guild-create' | 'bot-join' | 'guild-delete' | 'bot-leave' }>,
  apiUrl: string,
): GuildDispatch | null {
  switch (change.kind) {
    case 'member-add':
    case 'member-update': {
      const member = world.guilds.get(change.guildId)?.members.get(change.userId);
      if (!member || !world.hasBot(change.guildId)) return null;
      const t =
        change.kind === 'member-add'
          ? GatewayDispatchEvents.GuildMemberAdd
          : GatewayDispatchEvents.GuildMemberUpdate;
      return {
        guildId: change.guildId,
        t,
        d: { ...apiMember(world, member), guild_id: change.guildId },
        aboutSelf: change.userId === world.botUserId,
      };
    }
    case 'member-remove':
      return world.hasBot(change.guildId)
        ? guildDispatch(change.guildId, GatewayDispatchEvents.GuildMemberRemove, {
            guild_id: change.guildId,
            user: apiUser(change.user),
          })
        : null;
    case 'role-create':
    case 'role-update': {
      const role = world.guilds.get(change.guildId)?.roles.get(change.roleId);
      if (!role || !world.hasBot(change.guildId)) return null;
      const t =
        change.kind === 'role-create'
          ? GatewayDispatchEvents.GuildRoleCreate
          : GatewayDispatchEvents.GuildRoleUpdate;
      return guildDispatch(change.guildId, t, { guild_id: change.guildId, role: apiRole(role) });
    }
    case 'message-create':
    case 'message-update': {
      const message = world.messages.get(change.messageId);
      if (!message?.guildId || !world.hasBot(message.guildId)) return null;
      const t =
        change.kind === 'message-create'
          ? GatewayDispatchEvents.MessageCreate
          : GatewayDispatchEvents.MessageUpdate;
      // A member's message carries their member object (roles), as Discord's MESSAGE_CREATE does.
      const author = world.guilds.get(message.guildId)?.members.get(message.authorId);
      return guildDispatch(message.guildId, t, {
        ...apiMessage(world, message, apiUrl),
        guild_id: message.guildId,
        ...(author && { member: apiMember(world, author) }),
      });
    }
    case 'message-delete':
      return change.message.guildId && world.hasBot(change.message.guildId)
        ? guildDispatch(change.message.guildId, GatewayDispatchEvents.MessageDelete, {
            id: change.message.id,
            channel_id: change.message.channelId,
            guild_id: change.message.guildId,
          })
        : null;
  }
}

function guildDispatch(guildId: string, t: GatewayDispatchEvents, d: unknown): GuildDispatch {
  return { guildId, t, d, aboutSelf: false };
}
