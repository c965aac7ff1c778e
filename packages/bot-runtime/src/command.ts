import type { EconomyConfig, MemberContext, Tenant } from '@guildmint/sdk';
import type { Logger } from 'pino';
import type { CurrencyFormat } from './format.js';
import type { OptionReader } from './options.js';
import type { PackShop } from './packs.js';
import type { Reply } from './replies.js';
import type { SlashCommandData } from './slash.js';

export type { Reply } from './replies.js';
export type { SlashCommandData } from './slash.js';

/** A guild's economy config in force, with its version (0: the classic preset, never published). */
export type GuildConfig = EconomyConfig & { version: number };

/** Money operations counted in metrics. */
export type MoneyOperation =
  | 'claim'
  | 'pay'
  | 'buy'
  | 'use'
  | 'play'
  | 'act'
  | 'grant'
  | 'revoke'
  | 'rollback'
  | 'freeze'
  | 'unfreeze'
  | 'deposit'
  | 'withdraw'
  | 'rob'
  | 'collect'
  | 'gift'
  | 'sell'
  | 'trade'
  | 'lottery';

/** Everything a command needs to answer one interaction, already resolved for its guild. */
export interface CommandContext {
  /** The name the member typed (for a faucet command, the faucet's name). */
  readonly name: string;
  /** The interaction id: the idempotency key of any money operation this command performs. */
  readonly interactionId: string;
  /**
   * When Discord created the interaction (from its id): the same on every retry, so arguments derived
   * from it (a rollback's "since 2h") keep the key bound to the same request.
   */
  readonly createdAt: Date;
  readonly guildId: string;
  readonly userId: string;
  /** Roles and join date, for faucet eligibility rules. */
  readonly member: MemberContext;
  /** Roles and join date of a member picked in a USER option (from Discord's resolved data; {} if none). */
  memberOf(userId: string): MemberContext;
  /** The member has Manage Server (or Administrator). */
  readonly isAdmin: boolean;
  readonly options: OptionReader;
  readonly tenant: Tenant;
  readonly config: GuildConfig;
  readonly currency: CurrencyFormat;
  readonly log: Logger;
  now(): Date;
  /** Records a completed money operation in the metrics; returns the result unchanged. */
  counted<T extends { replayed: boolean; transfers?: readonly unknown[] }>(
    operation: MoneyOperation,
    result: T,
  ): T;
  /** Gives the member a Discord role (a shop item's effect); false when Discord refused. */
  grantRole(roleId: string): Promise<boolean>;
  /** Why the bot must not hand out this role here now (see roles.ts), or null: ask before charging. */
  roleRefusal(roleId: string): Promise<string | null>;
  /** Currency packs through the control plane (null: not configured for this bot). */
  readonly packs: PackShop | null;
  /** Whether a user is in this guild now, asked of Discord over REST (no cache, no privileged intent). */
  isMember(userId: string): Promise<boolean>;
  /** The control plane's public address, where an opted-in guild's leaderboard page is (null: none). */
  readonly publicUrl: string | null;
}

/** A button press: the same context, with the button's custom id split on `:` instead of options. */
export interface ButtonContext extends Omit<CommandContext, 'options'> {
  readonly customId: string;
  /** `customId.split(':')`, the prefix first. */
  readonly args: readonly string[];
}

/**
 * One command file's default export. `define` says which slash commands the file offers in a guild
 * with a given config (none when the feature is off there); `run` answers them.
 */
export interface Command {
  /** The file's name for logs and metrics; also the slash command's name when it defines one. */
  readonly name: string;
  define(config: GuildConfig): SlashCommandData[];
  /** Only members with Manage Server may run it (checked on every call, not only hidden by Discord). */
  readonly adminOnly?: boolean;
  /** Success replies too are seen only by the member (errors always are). */
  readonly privateReply?: boolean;
  run(ctx: CommandContext): Promise<Reply>;
  /** Buttons whose custom id starts with `${prefix}:`. */
  readonly buttons?: {
    readonly prefix: string;
    run(ctx: ButtonContext): Promise<Reply>;
  };
}
