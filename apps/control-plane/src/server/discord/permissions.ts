/** Discord permission bits the control plane cares about (https://discord.com/developers/docs/topics/permissions). */
export const Permission = {
  ADMINISTRATOR: 1n << 3n,
  VIEW_CHANNEL: 1n << 10n,
  SEND_MESSAGES: 1n << 11n,
  EMBED_LINKS: 1n << 14n,
  READ_MESSAGE_HISTORY: 1n << 16n,
  USE_EXTERNAL_EMOJIS: 1n << 18n,
  MANAGE_GUILD: 1n << 5n,
  MANAGE_ROLES: 1n << 28n,
} as const;

/**
 * What the bot asks for when invited: reply in channels with embeds and emoji, and grant the roles
 * that shop items give (MANAGE_ROLES). Slash commands themselves need no permission bit.
 */
export const BOT_PERMISSIONS =
  Permission.VIEW_CHANNEL |
  Permission.SEND_MESSAGES |
  Permission.EMBED_LINKS |
  Permission.READ_MESSAGE_HISTORY |
  Permission.USE_EXTERNAL_EMOJIS |
  Permission.MANAGE_ROLES;

export const BOT_SCOPES = ['bot', 'applications.commands'] as const;

/** Whether a member with these permissions (Discord's decimal string) may manage the guild. */
export function canManageGuild(guild: { owner: boolean; permissions: string }): boolean {
  if (guild.owner) return true;
  if (!/^\d+$/.test(guild.permissions)) return false;
  return (BigInt(guild.permissions) & Permission.MANAGE_GUILD) !== 0n;
}

/** The link that adds the bot to one guild, with its scopes and permissions preselected. */
export function botInviteUrl(o: { authorizeUrl: string; applicationId: string; guildId: string }): string {
  const url = new URL(o.authorizeUrl);
  url.search = new URLSearchParams({
    client_id: o.applicationId,
    scope: BOT_SCOPES.join(' '),
    permissions: BOT_PERMISSIONS.toString(),
    guild_id: o.guildId,
    disable_guild_select: 'true',
  }).toString();
  return url.toString();
}
