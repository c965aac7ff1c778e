import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { GuildRecord, MemberRecord } from './model.js';

export const ALL_PERMISSIONS: bigint = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

/** What a fresh guild's @everyone may do (a subset of Discord's defaults that matters to bots). */
export const DEFAULT_EVERYONE_PERMISSIONS: bigint =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.ChangeNickname |
  PermissionFlagsBits.CreateInstantInvite |
  PermissionFlagsBits.Connect |
  PermissionFlagsBits.Speak;

/** The permissions an economy bot asks for in its invite link; its managed role gets these. */
export const DEFAULT_BOT_PERMISSIONS: bigint =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.ManageRoles;

/** Guild-level permissions, computed the way Discord does (owner and Administrator get everything). */
export function memberPermissions(guild: GuildRecord, member: MemberRecord): bigint {
  if (member.permissionsOverride !== null) return member.permissionsOverride;
  if (guild.ownerId === member.userId) return ALL_PERMISSIONS;
  let permissions = guild.roles.get(guild.id)?.permissions ?? 0n;
  for (const roleId of member.roles) permissions |= guild.roles.get(roleId)?.permissions ?? 0n;
  return permissions & PermissionFlagsBits.Administrator ? ALL_PERMISSIONS : permissions;
}

export function hasPermission(permissions: bigint, bit: bigint): boolean {
  return (permissions & PermissionFlagsBits.Administrator) !== 0n || (permissions & bit) === bit;
}

/** The highest position among a member's roles (@everyone is 0). */
export function highestRolePosition(guild: GuildRecord, member: MemberRecord): number {
  let highest = 0;
  for (const roleId of member.roles) highest = Math.max(highest, guild.roles.get(roleId)?.position ?? 0);
  return highest;
}
