import {
  type APIApplicationCommand,
  type APIApplicationCommandOption,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  RESTJSONErrorCodes,
} from 'discord-api-types/v10';
import { DiscordHttpError, invalidFormBody } from '../errors.js';
import type { SnowflakeGenerator } from '../snowflake.js';
import { type CommandBody, commandBody, commandList } from './command-schema.js';
import { formIssues } from './form-issues.js';

/** Discord's limit of chat-input commands per scope (global, or one guild). */
export const MAX_CHAT_COMMANDS = 100;

const tooManyCommands = () =>
  new DiscordHttpError(400, {
    message: `Maximum number of application commands reached (${MAX_CHAT_COMMANDS})`,
    code: RESTJSONErrorCodes.MaximumNumberOfApplicationCommandsReached,
  });

const isChatInput = (c: { type?: number | undefined }) =>
  (c.type ?? ApplicationCommandType.ChatInput) === ApplicationCommandType.ChatInput;

/** `null` is the global scope; otherwise a guild id. */
export type CommandScope = string | null;

/** Registered application commands, global and per guild, as Discord stores them. */
export class CommandStore {
  private readonly scopes = new Map<CommandScope, APIApplicationCommand[]>();

  constructor(
    private readonly ids: SnowflakeGenerator,
    private readonly applicationId: string,
  ) {}

  list(scope: CommandScope): APIApplicationCommand[] {
    return [...(this.scopes.get(scope) ?? [])];
  }

  get(scope: CommandScope, id: string): APIApplicationCommand | undefined {
    return this.scopes.get(scope)?.find((c) => c.id === id);
  }

  /** The chat-input command a member of `guildId` sees under `name`: the guild's own first, then global. */
  find(guildId: string, name: string): APIApplicationCommand | undefined {
    const isIt = (c: APIApplicationCommand) => c.name === name && c.type === ApplicationCommandType.ChatInput;
    return this.scopes.get(guildId)?.find(isIt) ?? this.scopes.get(null)?.find(isIt);
  }

  /** `PUT`: replaces the scope's commands; a command keeps its id when its name and type stay. */
  overwrite(scope: CommandScope, body: unknown): APIApplicationCommand[] {
    const parsed = commandList.safeParse(body);
    if (!parsed.success) throw invalidFormBody(formIssues(parsed.error));
    // The whole set is refused and the scope keeps what it had.
    if (parsed.data.filter(isChatInput).length > MAX_CHAT_COMMANDS) throw tooManyCommands();
    const previous = this.scopes.get(scope) ?? [];
    const seen = new Set<string>();
    const next = parsed.data.map((input, index) => {
      const type = input.type ?? ApplicationCommandType.ChatInput;
      const key = `${type}:${input.name}`;
      if (seen.has(key)) {
        throw invalidFormBody([
          {
            path: [index, 'name'],
            code: 'APPLICATION_COMMANDS_DUPLICATE_NAME',
            message: `Application command names must be unique`,
          },
        ]);
      }
      seen.add(key);
      const kept = previous.find((c) => c.name === input.name && c.type === type);
      return this.build(scope, input, kept?.id);
    });
    this.scopes.set(scope, next);
    return next;
  }

  /** `POST`: creates, or replaces the command with the same name and type. Says whether it was new. */
  upsert(scope: CommandScope, body: unknown): { command: APIApplicationCommand; created: boolean } {
    const input = this.parse(body);
    const list = this.scopes.get(scope) ?? [];
    const type = input.type ?? ApplicationCommandType.ChatInput;
    const index = list.findIndex((c) => c.name === input.name && c.type === type);
    if (index < 0 && isChatInput(input) && list.filter(isChatInput).length >= MAX_CHAT_COMMANDS)
      throw tooManyCommands();
    const command = this.build(scope, input, index >= 0 ? list[index]?.id : undefined);
    if (index >= 0) list[index] = command;
    else list.push(command);
    this.scopes.set(scope, list);
    return { command, created: index < 0 };
  }

  /** `PATCH`: fields given replace the stored ones. */
  edit(scope: CommandScope, id: string, body: unknown): APIApplicationCommand | undefined {
    const list = this.scopes.get(scope) ?? [];
    const index = list.findIndex((c) => c.id === id);
    const current = list[index];
    if (!current) return undefined;
    const merged = { ...current, ...(typeof body === 'object' && body !== null ? body : {}) };
    const input = this.parse({
      type: merged.type,
      name: merged.name,
      description: merged.description || undefined,
      options: merged.options,
      default_member_permissions: merged.default_member_permissions,
      nsfw: merged.nsfw,
      contexts: merged.contexts,
      integration_types: merged.integration_types,
    });
    const command = this.build(scope, input, id);
    list[index] = command;
    return command;
  }

  delete(scope: CommandScope, id: string): boolean {
    const list = this.scopes.get(scope) ?? [];
    const index = list.findIndex((c) => c.id === id);
    if (index < 0) return false;
    list.splice(index, 1);
    return true;
  }

  /** Forgets a guild's commands (the app was removed from the guild, or the guild is gone). */
  dropGuild(guildId: string): void {
    this.scopes.delete(guildId);
  }

  private parse(body: unknown): CommandBody {
    const parsed = commandBody.safeParse(body);
    if (!parsed.success) throw invalidFormBody(formIssues(parsed.error));
    return parsed.data;
  }

  private build(scope: CommandScope, input: CommandBody, id: string | undefined): APIApplicationCommand {
    const type = input.type ?? ApplicationCommandType.ChatInput;
    return {
      id: id ?? this.ids.next(),
      application_id: this.applicationId,
      version: this.ids.next(),
      type,
      ...(scope === null ? {} : { guild_id: scope }),
      name: input.name,
      name_localizations: input.name_localizations ?? null,
      description: input.description ?? '',
      description_localizations: input.description_localizations ?? null,
      // The schema checked every field against Discord's rules; the shapes match the API's option union.
      ...(input.options ? { options: input.options as APIApplicationCommandOption[] } : {}),
      default_member_permissions: input.default_member_permissions ?? null,
      dm_permission: scope === null ? (input.dm_permission ?? true) : false,
      nsfw: input.nsfw ?? false,
      integration_types: input.integration_types ?? [ApplicationIntegrationType.GuildInstall],
      contexts: input.contexts ?? [
        InteractionContextType.Guild,
        InteractionContextType.BotDM,
        InteractionContextType.PrivateChannel,
      ],
    };
  }
}
