import { Permission } from './permissions';

/** A guild role as Discord describes it (`GET /guilds/{id}`). */
export interface GuildRole {
  id: string;
  name: string;
  position: number;
  /** Discord's decimal string. */
  permissions: string;
  managed: boolean;
}

export interface RoleGrantFacts {
  guild: { id: string; ownerId: string; roles: readonly GuildRole[] };
  /** The publisher's roles, or null when they are not a member of the guild. */
  publisher: { id: string; roles: readonly string[] } | null;
  /** The bot's roles, or null when the bot is not in the guild. */
  bot: { roles: readonly string[] } | null;
  /** The roles the config would have the bot hand out. */
  granted: readonly string[];
}

/**
 * Whether publishing these role grants would make the bot a confused deputy: every reason it would,
 * in words for the publisher. The bot may only hand out a role that (1) exists, is not @everyone and
 * is not managed by an integration, (2) sits below the bot's own highest role (or Discord refuses),
 * and (3) the publisher could hand out themselves: they hold Manage Roles and the role sits below
 * their highest role. The guild's owner passes (3), as on Discord.
 */
export function roleGrantProblems(facts: RoleGrantFacts): string[] {
  const { guild, publisher, bot } = facts;
  const roles = new Map(guild.roles.map((r) => [r.id, r]));
  const problems: string[] = [];
  const isOwner = publisher?.id === guild.ownerId;
  if (!publisher) problems.push('you are not a member of this server on Discord');
  else if (!isOwner && !canManageRoles(guild, publisher.roles))
    problems.push('granting roles needs the Manage Roles permission on Discord, which you do not have');
  if (!bot) problems.push('the bot is not in this server: add it first');
  else if (!canManageRoles(guild, bot.roles)) problems.push('the bot lacks the Manage Roles permission');

  const publisherTop = publisher ? highest(guild, publisher.roles) : null;
  const botTop = bot ? highest(guild, bot.roles) : null;
  for (const id of new Set(facts.granted)) {
    const role = roles.get(id);
    if (id === guild.id) {
      problems.push('@everyone cannot be granted: every member has it');
      continue;
    }
    if (!role) {
      problems.push(`role ${id} does not exist in this server`);
      continue;
    }
    if (role.managed) problems.push(`role "${role.name}" is managed by an integration and cannot be granted`);
    if (botTop && !isAbove(botTop, role))
      problems.push(`role "${role.name}" is not below the bot's highest role, so the bot may not grant it`);
    if (publisherTop && !isOwner && !isAbove(publisherTop, role))
      problems.push(`role "${role.name}" is not below your highest role, so you may not grant it`);
  }
  return problems;
}

/** The member's highest role (@everyone when they have none). */
function highest(guild: RoleGrantFacts['guild'], memberRoles: readonly string[]): GuildRole {
  const everyone: GuildRole = guild.roles.find((r) => r.id === guild.id) ?? {
    id: guild.id,
    name: '@everyone',
    position: 0,
    permissions: '0',
    managed: false,
  };
  return guild.roles
    .filter((r) => memberRoles.includes(r.id))
    .reduce((top, role) => (isAbove(role, top) ? role : top), everyone);
}

/** Discord's order: higher position first; at equal positions, the older role (smaller id). */
function isAbove(a: GuildRole, b: GuildRole): boolean {
  if (a.position !== b.position) return a.position > b.position;
  return BigInt(a.id) < BigInt(b.id);
}

function canManageRoles(guild: RoleGrantFacts['guild'], memberRoles: readonly string[]): boolean {
  let permissions = 0n;
  for (const role of guild.roles) {
    if (role.id === guild.id || memberRoles.includes(role.id)) permissions |= BigInt(role.permissions);
  }
  return (permissions & (Permission.ADMINISTRATOR | Permission.MANAGE_ROLES)) !== 0n;
}
