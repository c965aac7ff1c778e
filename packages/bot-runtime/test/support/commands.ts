import {
  createEconomy,
  defineEconomy,
  type Economy,
  type EconomyConfigInput,
  type MemberContext,
} from '@guildmint/sdk';
import { pino } from 'pino';
import type { ButtonContext, CommandContext } from '../../src/command.js';
import { commandModules } from '../../src/commands/index.js';
import { RuntimeError, RuntimeErrorCode } from '../../src/errors.js';
import { loadCommands } from '../../src/loader.js';
import { OptionReader, type RawOption } from '../../src/options.js';
import type { PackShop } from '../../src/packs.js';
import type { Reply } from '../../src/replies.js';
import { LoadedTenant } from '../../src/tenants.js';

export const GUILD = '100000000000000001';
export const ALICE = '200000000000000001';
export const BOB = '200000000000000002';

let nextId = 900_000_000_000_000_000n;
export const interactionId = () => String(nextId++);

export interface Invoke {
  userId?: string;
  options?: Record<string, string | number | boolean>;
  subcommand?: string;
  isAdmin?: boolean;
  interactionId?: string;
  /** When Discord created the interaction (default: the clock's now). */
  createdAt?: Date;
  /** The invoking member's roles and join date (default: no roles). */
  member?: MemberContext;
  /** Members picked in USER options, as Discord resolves them. */
  resolved?: Record<string, MemberContext>;
}

/**
 * Runs command files directly against a real in-memory economy, with a context built as the
 * dispatcher builds it: the command layer without Discord.
 */
export async function commandHarness(
  o: {
    config?: EconomyConfigInput;
    now?: () => Date;
    /** Roles the bot may not hand out here, with why (see roles.ts). */
    refusedRoles?: Record<string, string>;
    /** Currency packs (default: none sold). */
    packs?: PackShop;
    /** The control plane's public address (default: none). */
    publicUrl?: string;
  } = {},
) {
  const clock = { now: o.now ?? (() => new Date()) };
  const economy: Economy = createEconomy({ storage: ':memory:', clock });
  const tenant = economy.tenant(GUILD);
  if (o.config) await tenant.configure(defineEconomy(o.config));
  const commands = loadCommands(commandModules);
  const loaded = new LoadedTenant(GUILD, tenant, 0);
  const roles: string[] = [];

  async function base(name: string, i: Invoke): Promise<Omit<ButtonContext, 'customId' | 'args'>> {
    const config = await tenant.config();
    return {
      name,
      interactionId: i.interactionId ?? interactionId(),
      createdAt: i.createdAt ?? clock.now(),
      guildId: GUILD,
      userId: i.userId ?? ALICE,
      member: i.member ?? { roles: [] },
      memberOf: (id) => i.resolved?.[id] ?? {},
      isAdmin: i.isAdmin ?? false,
      tenant,
      config,
      currency: config.currency,
      log: pino({ level: 'silent' }),
      now: clock.now,
      counted: (_operation, result) => result,
      grantRole: async (roleId) => {
        roles.push(roleId);
        return true;
      },
      roleRefusal: async (roleId) => o.refusedRoles?.[roleId] ?? null,
      packs: o.packs ?? null,
      isMember: async () => true,
      publicUrl: o.publicUrl ?? null,
    };
  }

  return {
    economy,
    tenant,
    roles,
    /** `/name` with options, as the dispatcher would run it (admin check included). */
    async run(name: string, i: Invoke = {}): Promise<Reply> {
      const config = await tenant.config();
      const command = loaded.table(commands, config).byName.get(name);
      if (!command) throw new RuntimeError(RuntimeErrorCode.UNKNOWN_COMMAND, `/${name} is not offered`);
      if (command.adminOnly && !i.isAdmin)
        throw new RuntimeError(RuntimeErrorCode.MISSING_PERMISSIONS, 'admins only');
      const values: RawOption[] = Object.entries(i.options ?? {}).map(([n, value]) => ({
        name: n,
        type: 3,
        value,
      }));
      const raw = i.subcommand ? [{ name: i.subcommand, type: 1, options: values }] : values;
      const ctx: CommandContext = { ...(await base(name, i)), options: new OptionReader(raw) };
      return command.run(ctx);
    },
    /** A button press on a message whose button has `customId`. */
    async press(customId: string, i: Invoke = {}): Promise<Reply> {
      const command = commands.forButton(customId);
      if (!command?.buttons) throw new Error(`no command handles ${customId}`);
      return command.buttons.run({
        ...(await base(customId.split(':')[0]!, i)),
        customId,
        args: customId.split(':'),
      });
    },
    close: () => economy.close(),
  };
}

/** All the text of a reply, for assertions. */
export function text(reply: Reply): string {
  return reply.embeds
    .map((e) =>
      [e.title, e.description, ...(e.fields ?? []).map((f) => `${f.name}: ${f.value}`), e.footer?.text]
        .filter(Boolean)
        .join('\n'),
    )
    .join('\n');
}

/** The custom ids of a reply's buttons. */
export function buttons(reply: Reply): string[] {
  return (reply.components ?? []).flatMap((row) =>
    row.components.flatMap((c) => ('custom_id' in c ? [c.custom_id] : [])),
  );
}
