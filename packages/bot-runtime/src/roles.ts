import { type Guild, PermissionFlagsBits } from 'discord.js';

/**
 * Why the bot must not hand out this role in this guild right now, or null when it may. The control
 * plane checks role grants when a config is published; this is the same check at the moment of use,
 * for a config that got in some other way or a guild whose roles moved since: @everyone, a role managed
 * by an integration, a role that is gone, and anything not below the bot's own highest role.
 */
export async function roleGrantRefusal(guild: Guild, roleId: string): Promise<string | null> {
  if (roleId === guild.id) return 'everyone already has @everyone';
  const role = guild.roles.cache.get(roleId) ?? (await guild.roles.fetch(roleId).catch(() => null));
  if (!role) return `the role ${roleId} no longer exists in this server`;
  if (role.managed) return `<@&${roleId}> is managed by an integration`;
  const me = guild.members.me ?? (await guild.members.fetchMe());
  if (!me.permissions.has(PermissionFlagsBits.ManageRoles)) return 'I lack the **Manage Roles** permission';
  if (role.comparePositionTo(me.roles.highest) >= 0) return `<@&${roleId}> is not below my highest role`;
  return null;
}
