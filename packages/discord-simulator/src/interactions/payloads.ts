import {
  type APIChatInputApplicationCommandGuildInteraction,
  type APIEntitlement,
  type APIInteractionDataResolved,
  type APIMessage,
  type APIMessageComponentGuildInteraction,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ComponentType,
  InteractionContextType,
  InteractionType,
  Locale,
} from 'discord-api-types/v10';
import type { ChannelRecord, GuildRecord, MemberRecord, World } from '../state/model.js';
import { memberPermissions } from '../state/permissions.js';
import { apiInteractionMember, apiTextChannel } from '../state/serialize.js';

// INTERACTION_CREATE payloads, field for field what Discord sends for a guild interaction. discord.js
// reads `entitlements`, `authorizing_integration_owners`, `app_permissions` and more without checks.

/** Discord's attachment limit for a guild without boosts (10 MiB). */
const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

export interface InteractionTarget {
  world: World;
  applicationId: string;
  guild: GuildRecord;
  member: MemberRecord;
  channel: ChannelRecord;
  id: string;
  token: string;
  /** The live entitlements of the guild and of the member (Premium Apps), as Discord attaches them. */
  entitlements: APIEntitlement[];
}

type Base = Omit<APIChatInputApplicationCommandGuildInteraction, 'type' | 'data'>;

function base(t: InteractionTarget): Base {
  const botMember = t.guild.members.get(t.world.botUserId)!;
  return {
    id: t.id,
    application_id: t.applicationId,
    token: t.token,
    version: 1,
    guild: { id: t.guild.id, locale: t.guild.locale, features: [] },
    guild_id: t.guild.id,
    channel_id: t.channel.id,
    channel: apiTextChannel(t.channel),
    member: apiInteractionMember(t.world, t.guild, t.member),
    app_permissions: memberPermissions(t.guild, botMember).toString(),
    locale: Locale.EnglishUS,
    guild_locale: t.guild.locale,
    entitlements: t.entitlements,
    authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: t.guild.id },
    context: InteractionContextType.Guild,
    attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
  };
}

export function commandInteraction(
  t: InteractionTarget,
  command: { id: string; name: string; guildId: string | null },
  options: APIChatInputApplicationCommandGuildInteraction['data']['options'],
  resolved: APIInteractionDataResolved | undefined,
): APIChatInputApplicationCommandGuildInteraction {
  return {
    ...base(t),
    type: InteractionType.ApplicationCommand,
    data: {
      id: command.id,
      name: command.name,
      type: ApplicationCommandType.ChatInput,
      ...(command.guildId ? { guild_id: command.guildId } : {}),
      ...(options && options.length > 0 ? { options } : {}),
      ...(resolved ? { resolved } : {}),
    },
  };
}

export function componentInteraction(
  t: InteractionTarget,
  message: APIMessage,
  component:
    | { customId: string; type: ComponentType.Button }
    | { customId: string; type: ComponentType.StringSelect; values: string[] },
): APIMessageComponentGuildInteraction {
  return {
    ...base(t),
    type: InteractionType.MessageComponent,
    message,
    data:
      component.type === ComponentType.Button
        ? { custom_id: component.customId, component_type: ComponentType.Button }
        : {
            custom_id: component.customId,
            component_type: ComponentType.StringSelect,
            values: component.values,
          },
  };
}

/** Finds the interactive component with `customId` anywhere in a message (rows, sections, containers). */
export function findComponent(
  components: Array<Record<string, unknown>>,
  customId: string,
): Record<string, unknown> | undefined {
  return findComponentWhere(components, (component) => component.custom_id === customId);
}

/** The first component, at any depth (rows, sections' accessories), that `matches`. */
export function findComponentWhere(
  components: Array<Record<string, unknown>>,
  matches: (component: Record<string, unknown>) => boolean,
): Record<string, unknown> | undefined {
  for (const component of components) {
    if (matches(component)) return component;
    const children = [
      ...(Array.isArray(component.components)
        ? (component.components as Array<Record<string, unknown>>)
        : []),
      ...(typeof component.accessory === 'object' && component.accessory !== null
        ? [component.accessory as Record<string, unknown>]
        : []),
    ];
    const found = findComponentWhere(children, matches);
    if (found) return found;
  }
  return undefined;
}

/** Every custom id on a message, for error messages. */
export function customIds(components: Array<Record<string, unknown>>): string[] {
  const ids: string[] = [];
  const visit = (list: Array<Record<string, unknown>>) => {
    for (const c of list) {
      if (typeof c.custom_id === 'string') ids.push(c.custom_id);
      if (Array.isArray(c.components)) visit(c.components as Array<Record<string, unknown>>);
      if (typeof c.accessory === 'object' && c.accessory !== null)
        visit([c.accessory as Record<string, unknown>]);
    }
  };
  visit(components);
  return ids;
}
