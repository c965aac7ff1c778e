import {
  type APIApplicationCommand,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
  type APIApplicationCommandOption,
  type APIInteractionDataResolved,
  ChannelType,
  type InteractionType,
  ApplicationCommandOptionType as Option,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { SimulatorError, SimulatorErrorCode } from '../errors.js';
import type { GuildRecord, World } from '../state/model.js';
import { hasPermission, memberPermissions } from '../state/permissions.js';
import { apiRole, apiUser, noFlags } from '../state/serialize.js';

export type OptionValue = string | number | boolean;
type DataOption = APIApplicationCommandInteractionDataOption<InteractionType.ApplicationCommand>;
type BasicOption = APIApplicationCommandInteractionDataBasicOption<InteractionType.ApplicationCommand>;

export interface CommandInvocation {
  command: string;
  subcommandGroup?: string | undefined;
  subcommand?: string | undefined;
  options?: Record<string, OptionValue> | undefined;
}

export interface ResolvedInvocation {
  options: DataOption[];
  resolved: APIInteractionDataResolved | undefined;
}

/**
 * Builds `data.options` (and `data.resolved`) for a slash command. With the registered definition, values
 * are checked the way Discord's client checks them before sending; without one, types are inferred.
 */
export function resolveInvocation(
  world: World,
  guild: GuildRecord,
  definition: APIApplicationCommand | undefined,
  invocation: CommandInvocation,
): ResolvedInvocation {
  const resolved: APIInteractionDataResolved = {};
  const given = invocation.options ?? {};
  const label = ['/' + invocation.command, invocation.subcommandGroup, invocation.subcommand]
    .filter(Boolean)
    .join(' ');

  let level: APIApplicationCommandOption[] | undefined = definition?.options;
  let groupName: string | undefined;
  let subName: string | undefined;
  if (definition) {
    const nested = (level ?? []).some(
      (o) => o.type === Option.Subcommand || o.type === Option.SubcommandGroup,
    );
    if (invocation.subcommandGroup) {
      const group = level?.find(
        (o) => o.type === Option.SubcommandGroup && o.name === invocation.subcommandGroup,
      );
      if (!group || group.type !== Option.SubcommandGroup)
        throw invalid(`${label}: no subcommand group '${invocation.subcommandGroup}'`);
      groupName = group.name;
      level = group.options;
    }
    if (invocation.subcommand) {
      const sub = level?.find((o) => o.type === Option.Subcommand && o.name === invocation.subcommand);
      if (!sub || sub.type !== Option.Subcommand) {
        throw invalid(
          `${label}: no subcommand '${invocation.subcommand}' (has: ${names(level, [Option.Subcommand])})`,
        );
      }
      subName = sub.name;
      level = sub.options;
    } else if (nested) {
      throw invalid(
        `${label}: a subcommand is required (has: ${names(level, [Option.Subcommand, Option.SubcommandGroup])})`,
      );
    }
  } else {
    groupName = invocation.subcommandGroup;
    subName = invocation.subcommand;
  }
  if (groupName !== undefined && subName === undefined)
    throw invalid(`${label}: a subcommand group needs a subcommand`);

  const values: BasicOption[] = [];
  for (const [name, value] of Object.entries(given)) {
    const spec = definition ? level?.find((o) => o.name === name) : undefined;
    if (definition && !spec)
      throw invalid(`${label}: unknown option '${name}' (takes: ${names(level) || 'no options'})`);
    const type = spec ? spec.type : inferType(value);
    values.push(basicOption(world, guild, label, name, type, value, spec, resolved));
  }
  for (const spec of level ?? []) {
    if ('required' in spec && spec.required && !(spec.name in given)) {
      throw invalid(`${label}: required option '${spec.name}' is missing`);
    }
  }

  let options: DataOption[] = values;
  if (subName !== undefined) {
    const sub = { name: subName, type: Option.Subcommand, options: values } as const;
    options =
      groupName === undefined ? [sub] : [{ name: groupName, type: Option.SubcommandGroup, options: [sub] }];
  }
  return { options, resolved: Object.keys(resolved).length > 0 ? resolved : undefined };
}

/** Discord hides a command from members lacking its `default_member_permissions` ("0": admins only). */
export function checkCommandPermission(
  guild: GuildRecord,
  userId: string,
  definition: APIApplicationCommand | undefined,
): void {
  const required = definition?.default_member_permissions;
  if (required === null || required === undefined) return;
  const has = memberPermissions(guild, guild.members.get(userId)!);
  const needed = BigInt(required);
  if (!hasPermission(has, needed === 0n ? PermissionFlagsBits.Administrator : needed)) {
    throw invalid(
      `/${definition!.name} needs permissions ${required}; member ${userId} has ${has} and cannot see it`,
    );
  }
}

function basicOption(
  world: World,
  guild: GuildRecord,
  label: string,
  name: string,
  type: Option,
  value: OptionValue,
  spec: APIApplicationCommandOption | undefined,
  resolved: APIInteractionDataResolved,
): BasicOption {
  const wrong = (expected: string) =>
    invalid(`${label}: option '${name}' expects ${expected}, got ${JSON.stringify(value)}`);
  if (spec && 'choices' in spec && spec.choices && !spec.choices.some((c) => c.value === value)) {
    throw invalid(
      `${label}: option '${name}' must be one of ${spec.choices.map((c) => JSON.stringify(c.value)).join(', ')}`,
    );
  }
  switch (type) {
    case Option.String:
      if (typeof value !== 'string') throw wrong('a string');
      if (spec?.type === Option.String) {
        if (spec.min_length !== undefined && value.length < spec.min_length)
          throw wrong(`at least ${spec.min_length} characters`);
        if (spec.max_length !== undefined && value.length > spec.max_length)
          throw wrong(`at most ${spec.max_length} characters`);
      }
      return { name, type: Option.String, value };
    case Option.Integer:
    case Option.Number: {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw wrong('a number');
      if (type === Option.Integer && !Number.isSafeInteger(value)) throw wrong('an integer');
      if (spec && (spec.type === Option.Integer || spec.type === Option.Number)) {
        if (spec.min_value !== undefined && value < spec.min_value) throw wrong(`at least ${spec.min_value}`);
        if (spec.max_value !== undefined && value > spec.max_value) throw wrong(`at most ${spec.max_value}`);
      }
      return type === Option.Integer
        ? { name, type: Option.Integer, value }
        : { name, type: Option.Number, value };
    }
    case Option.Boolean:
      if (typeof value !== 'boolean') throw wrong('a boolean');
      return { name, type: Option.Boolean, value };
    case Option.User:
      if (typeof value !== 'string' || !resolveUser(world, guild, value, resolved))
        throw wrong('the id of a known user');
      return { name, type: Option.User, value };
    case Option.Role:
      if (typeof value !== 'string' || !resolveRole(guild, value, resolved))
        throw wrong(`a role id of guild ${guild.id}`);
      return { name, type: Option.Role, value };
    case Option.Mentionable:
      if (
        typeof value !== 'string' ||
        !(resolveUser(world, guild, value, resolved) || resolveRole(guild, value, resolved))
      ) {
        throw wrong('a user or role id');
      }
      return { name, type: Option.Mentionable, value };
    case Option.Channel: {
      const channel = typeof value === 'string' ? world.channels.get(value) : undefined;
      if (!channel || channel.guildId !== guild.id) throw wrong(`a channel id of guild ${guild.id}`);
      resolved.channels = {
        ...resolved.channels,
        [channel.id]: {
          id: channel.id,
          name: channel.name,
          type: ChannelType.GuildText,
          permissions: memberPermissions(guild, guild.members.get(world.botUserId)!).toString(),
        },
      };
      return { name, type: Option.Channel, value: channel.id };
    }
    default:
      throw invalid(
        `${label}: option '${name}' has type ${type}, which the simulator cannot send (attachments are not supported)`,
      );
  }
}

function resolveUser(
  world: World,
  guild: GuildRecord,
  id: string,
  resolved: APIInteractionDataResolved,
): boolean {
  const user = world.users.get(id);
  if (!user) return false;
  resolved.users = { ...resolved.users, [id]: apiUser(user) };
  const member = guild.members.get(id);
  if (member) {
    resolved.members = {
      ...resolved.members,
      [id]: {
        nick: member.nick,
        avatar: null,
        roles: [...member.roles],
        joined_at: member.joinedAt.toISOString(),
        premium_since: null,
        pending: false,
        flags: noFlags(),
        communication_disabled_until: null,
        permissions: memberPermissions(guild, member).toString(),
      },
    };
  }
  return true;
}

function resolveRole(guild: GuildRecord, id: string, resolved: APIInteractionDataResolved): boolean {
  const role = guild.roles.get(id);
  if (!role) return false;
  resolved.roles = { ...resolved.roles, [id]: apiRole(role) };
  return true;
}

function inferType(value: OptionValue): Option {
  if (typeof value === 'boolean') return Option.Boolean;
  if (typeof value === 'number') return Number.isInteger(value) ? Option.Integer : Option.Number;
  return Option.String;
}

function names(options: APIApplicationCommandOption[] | undefined, types?: Option[]): string {
  return (options ?? [])
    .filter((o) => !types || types.includes(o.type))
    .map((o) => o.name)
    .join(', ');
}

function invalid(message: string): SimulatorError {
  return new SimulatorError(SimulatorErrorCode.INVALID_COMMAND, message);
}
