import { presets } from '@guildmint/sdk';
import { z } from 'zod';
import type { Command, GuildConfig } from './command.js';
import { RuntimeError, RuntimeErrorCode } from './errors.js';
import { type SlashCommandData, slashCommandSetSchema } from './slash.js';

const fn = z.custom<(...args: never[]) => unknown>(
  (value) => typeof value === 'function',
  'must be a function',
);

/** The structural check every command file's default export must pass at start. */
export const commandSchema = z.object({
  name: z.string().regex(/^[a-z0-9_-]{1,32}$/, 'must be 1-32 characters of a-z 0-9 _ -'),
  define: fn,
  run: fn,
  adminOnly: z.boolean().optional(),
  privateReply: z.boolean().optional(),
  buttons: z
    .object({
      prefix: z.string().regex(/^[a-z0-9_-]{1,16}$/, 'must be 1-16 characters of a-z 0-9 _ -'),
      run: fn,
    })
    .optional(),
});

export class CommandLoadError extends Error {
  constructor(readonly problems: string[]) {
    super(`bad command file(s):\n- ${problems.join('\n- ')}`);
    this.name = 'CommandLoadError';
  }
}

/** What a guild gets for one config: the definitions to register and the command behind each name. */
export interface CommandTable {
  readonly definitions: SlashCommandData[];
  readonly byName: ReadonlyMap<string, Command>;
  /** Names dropped because an earlier file already defines them (a faucet called "pay"). */
  readonly shadowed: string[];
}

/** The loaded, checked commands of the runtime. */
export class CommandSet {
  readonly all: readonly Command[];
  private readonly byPrefix: ReadonlyMap<string, Command>;

  constructor(commands: Command[]) {
    this.all = Object.freeze([...commands]);
    this.byPrefix = new Map(commands.flatMap((c) => (c.buttons ? [[c.buttons.prefix, c] as const] : [])));
  }

  /**
   * Every command a guild with this config offers, in file order; the first file to claim a name keeps it.
   * Throws `COMMANDS_REFUSED`, naming the limit, when the set breaks one of Discord's limits, unless
   * `checked`: this process already checked the set this config gives (its commands were registered), and
   * the check is most of the cost of a table.
   */
  table(config: GuildConfig, o: { checked?: boolean } = {}): CommandTable {
    const definitions: SlashCommandData[] = [];
    const byName = new Map<string, Command>();
    const shadowed: string[] = [];
    for (const command of this.all) {
      for (const definition of command.define(config)) {
        if (byName.has(definition.name)) {
          shadowed.push(definition.name);
          continue;
        }
        byName.set(definition.name, command);
        definitions.push(definition);
      }
    }
    if (o.checked) return { definitions, byName, shadowed };
    const checked = slashCommandSetSchema.safeParse(definitions);
    if (!checked.success) {
      const where = (path: PropertyKey[]) => (path.length > 0 ? `${path.map(String).join('.')}: ` : '');
      throw new RuntimeError(
        RuntimeErrorCode.COMMANDS_REFUSED,
        checked.error.issues.map((i) => `${where(i.path)}${i.message}`).join('; '),
      );
    }
    return { definitions, byName, shadowed };
  }

  /** The command whose buttons start with `prefix:`. */
  forButton(customId: string): Command | undefined {
    return this.byPrefix.get(customId.split(':', 1)[0] ?? '');
  }
}

/**
 * Checks every module's default export (by file name) and the slash commands they define for each
 * built-in preset; throws one error listing every problem, so a bad file stops the process at start.
 */
export function loadCommands(modules: Readonly<Record<string, unknown>>): CommandSet {
  const problems: string[] = [];
  const commands: Command[] = [];
  for (const [file, exported] of Object.entries(modules)) {
    const parsed = commandSchema.safeParse(exported);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push(`${file}: ${issue.path.join('.') || 'export'}: ${issue.message}`);
      continue;
    }
    commands.push(exported as Command);
  }
  const seen = new Map<string, string>();
  const prefixes = new Map<string, string>();
  for (const [file, command] of Object.entries(modules).filter(([, c]) => commands.includes(c as Command))) {
    const c = command as Command;
    if (seen.has(c.name))
      problems.push(`${file}: the name "${c.name}" is already used by ${seen.get(c.name)}`);
    seen.set(c.name, file);
    if (c.buttons) {
      if (prefixes.has(c.buttons.prefix)) {
        problems.push(
          `${file}: the button prefix "${c.buttons.prefix}" is already used by ${prefixes.get(c.buttons.prefix)}`,
        );
      }
      prefixes.set(c.buttons.prefix, file);
    }
  }
  const set = new CommandSet(commands);
  if (problems.length === 0) {
    for (const [name, preset] of Object.entries(presets)) {
      try {
        // With a built-in preset nothing may be shadowed: two files claiming one name is a bug.
        const { shadowed } = set.table({ ...preset, version: 0 });
        if (shadowed.length > 0)
          problems.push(`with the ${name} preset: /${shadowed.join(', /')} defined twice`);
      } catch (error) {
        problems.push(`with the ${name} preset: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  if (problems.length > 0) throw new CommandLoadError(problems);
  return set;
}
