import type { MemberContext } from '@guildmint/sdk';
import { ApplicationCommandType, ComponentType, InteractionType, PermissionFlagsBits } from 'discord.js';
import type { InteractionPayload } from './guard.js';
import type { RawOption } from './options.js';

const DISCORD_CDN = 'https://cdn.discordapp.com';

/** Discord's epoch: a snowflake's upper bits count milliseconds from here. */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

/** What the runtime does with an interaction: runs a slash command or a button, or says it has none. */
export type InteractionKind = 'command' | 'button' | 'autocomplete' | 'other';

function kindOf(payload: InteractionPayload): InteractionKind {
  switch (payload.type) {
    case InteractionType.ApplicationCommand:
      return payload.data.type === ApplicationCommandType.ChatInput ? 'command' : 'other';
    case InteractionType.MessageComponent:
      return payload.data.component_type === ComponentType.Button ? 'button' : 'other';
    case InteractionType.ApplicationCommandAutocomplete:
      return 'autocomplete';
    default:
      return 'other';
  }
}

/**
 * An interaction read straight from its gateway payload (checked by the packet guard): the few fields the
 * runtime needs, without the objects discord.js would build for it.
 */
export class IncomingInteraction {
  readonly id: string;
  readonly token: string;
  readonly applicationId: string;
  readonly kind: InteractionKind;
  readonly guildId: string | null;
  /** The member's user id (`user` in a DM, `member.user` in a guild, as discord.js reads it). */
  readonly userId: string;
  /** The slash command's name (commands and autocomplete), else undefined. */
  readonly commandName: string | undefined;
  /** The button's or component's custom id, else undefined. */
  readonly customId: string | undefined;
  readonly options: readonly RawOption[];
  /** When Discord created it, from its id. */
  readonly createdTimestamp: number;

  constructor(private readonly payload: InteractionPayload) {
    this.id = payload.id;
    this.token = payload.token;
    this.applicationId = payload.application_id;
    this.kind = kindOf(payload);
    this.guildId = payload.guild_id ?? null;
    // The guard refuses a payload with neither.
    this.userId = (payload.user ?? payload.member?.user)!.id;
    if (
      payload.type === InteractionType.ApplicationCommand ||
      payload.type === InteractionType.ApplicationCommandAutocomplete
    ) {
      this.commandName = payload.data.name;
      this.customId = undefined;
      this.options = payload.data.options ?? [];
    } else {
      this.commandName = undefined;
      this.customId = payload.data.custom_id;
      this.options = [];
    }
    this.createdTimestamp = Number((BigInt(payload.id) >> 22n) + DISCORD_EPOCH_MS);
  }

  get createdAt(): Date {
    return new Date(this.createdTimestamp);
  }

  /** Manage Server in the channel, or Administrator (which grants every permission, as Discord judges it). */
  canManageGuild(): boolean {
    const permissions = this.payload.member?.permissions;
    if (permissions === undefined) return false;
    const bits = BigInt(permissions);
    return (
      (bits & PermissionFlagsBits.Administrator) !== 0n ||
      (bits & PermissionFlagsBits.ManageGuild) === PermissionFlagsBits.ManageGuild
    );
  }

  /**
   * How Discord shows the member in this guild: their server nickname, else display name, else username;
   * their server avatar, else their own, as a CDN URL (null: Discord's default avatar).
   */
  profile(): { name: string; avatar: string | null } {
    const user = (this.payload.user ?? this.payload.member?.user)!;
    const member = this.payload.member;
    const name = member?.nick || user.global_name || user.username;
    const avatar =
      member?.avatar && this.guildId
        ? `${DISCORD_CDN}/guilds/${this.guildId}/users/${user.id}/avatars/${member.avatar}.png`
        : user.avatar
          ? `${DISCORD_CDN}/avatars/${user.id}/${user.avatar}.png`
          : null;
    return { name, avatar };
  }

  /** The member's roles and join date, for the SDK's eligibility rules (empty outside a guild). */
  member(): MemberContext {
    return memberContext(this.payload.member);
  }

  /** Roles and join date of a member picked in a USER option, as Discord resolved them (empty if it sent none). */
  resolvedMember(userId: string): MemberContext {
    const data = this.payload.type === InteractionType.ApplicationCommand ? this.payload.data : undefined;
    const members = data?.resolved?.members;
    return memberContext(members && Object.hasOwn(members, userId) ? members[userId] : undefined);
  }
}

function memberContext(
  member: { roles: string[]; joined_at?: string | null | undefined } | undefined,
): MemberContext {
  if (!member) return {};
  const joinedAt = member.joined_at ? new Date(member.joined_at) : undefined;
  return { roles: member.roles, ...(joinedAt && !Number.isNaN(joinedAt.getTime()) && { joinedAt }) };
}
