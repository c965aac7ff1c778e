import { ErrorCode, GuildmintError, RetryLaterError } from '@guildmint/sdk';

/**
 * Errors the runtime itself raises while answering an interaction, each with an identifier from
 * this one list (as sapphire does): the code is for logs, metrics and tests; the message is for people.
 */
export const RuntimeErrorCode = {
  /** The command is not (or no longer) offered in this guild, or the payload made no sense. */
  UNKNOWN_COMMAND: 'UNKNOWN_COMMAND',
  /** A command used outside a guild (a DM). */
  GUILD_ONLY: 'GUILD_ONLY',
  /** An admin command by a member without Manage Server. */
  MISSING_PERMISSIONS: 'MISSING_PERMISSIONS',
  /** An option is missing or unusable. */
  INVALID_OPTION: 'INVALID_OPTION',
  /** A blackjack button pressed by someone other than the player (or for a round that is not theirs). */
  NOT_YOUR_ROUND: 'NOT_YOUR_ROUND',
  /** `/fair verify` for a round the guild's economy has no record of. */
  ROUND_UNKNOWN: 'ROUND_UNKNOWN',
  /** The guild's config defines slash commands that break Discord's limits (the message names the limit). */
  COMMANDS_REFUSED: 'COMMANDS_REFUSED',
  /** A shop item grants a role the bot may not hand out (checked before anything is charged). */
  ROLE_NOT_GRANTABLE: 'ROLE_NOT_GRANTABLE',
  /** A currency pack could not be offered (none such, daily limit, payments down): nothing was charged. */
  PACK_REFUSED: 'PACK_REFUSED',
  /** Anything unexpected: logged with its context. */
  INTERNAL: 'INTERNAL',
} as const;
export type RuntimeErrorCode = (typeof RuntimeErrorCode)[keyof typeof RuntimeErrorCode];

export class RuntimeError extends Error {
  readonly code: RuntimeErrorCode;

  constructor(code: RuntimeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = `RuntimeError[${code}]`;
  }
}

/** What a member is told when something did not work: a title, what happened and what to do. */
export interface Friendly {
  /** The SDK's or the runtime's code; `INTERNAL` for anything unexpected. */
  code: string;
  title: string;
  message: string;
  /** False when this is a bug or an outage worth an error log line, true for ordinary refusals. */
  expected: boolean;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const sentence = (text: string) => {
  const trimmed = capitalize(text.trim());
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
};
const when = (date: Date) => `<t:${Math.ceil(date.getTime() / 1000)}:R>`;

export interface DescribeOptions {
  /**
   * The failure is known to have happened before the command could write anything (resolving the guild,
   * its config or the command): only then may the member be told that nothing was charged.
   */
  beforeAnyWrite?: boolean;
}

/** The one place that turns any error into what the member reads. */
export function describeError(error: unknown, o: DescribeOptions = {}): Friendly {
  if (error instanceof RuntimeError) return describeRuntime(error);
  if (error instanceof GuildmintError) return describeSdk(error, o);
  return { code: RuntimeErrorCode.INTERNAL, ...ourFault(o), expected: false };
}

/** A bug or an error that is not the member's doing: whether money moved is claimed only when known. */
function ourFault(o: DescribeOptions): Pick<Friendly, 'title' | 'message'> {
  return {
    title: 'Something went wrong on our side',
    message: o.beforeAnyWrite
      ? 'Nothing was charged. Please try again in a moment; if it keeps happening, tell the server staff.'
      : 'We could not tell whether it went through. Check `/balance` before trying again; if it keeps happening, tell the server staff.',
  };
}

function describeRuntime(error: RuntimeError): Friendly {
  const base = { code: error.code, expected: error.code !== RuntimeErrorCode.INTERNAL };
  switch (error.code) {
    case RuntimeErrorCode.UNKNOWN_COMMAND:
      return {
        ...base,
        title: 'Unknown command',
        message: `${sentence(error.message)} Type \`/\` to see the commands this server offers.`,
      };
    case RuntimeErrorCode.GUILD_ONLY:
      return { ...base, title: 'Servers only', message: 'Use this command in a server, not in DMs.' };
    case RuntimeErrorCode.MISSING_PERMISSIONS:
      return {
        ...base,
        title: 'Not allowed',
        message: `${sentence(error.message)} Ask someone with **Manage Server**.`,
      };
    case RuntimeErrorCode.COMMANDS_REFUSED:
      return {
        ...base,
        title: "This server's commands are misconfigured",
        message: `Discord would refuse them: ${error.message}. Ask the server staff to change the economy config.`,
      };
    default:
      return { ...base, title: "That didn't work", message: sentence(error.message) };
  }
}

function describeSdk(error: GuildmintError, o: DescribeOptions): Friendly {
  const said = sentence(error.message);
  const base = { code: error.code, expected: true };
  switch (error.code) {
    case ErrorCode.COOLDOWN: {
      const retryAt = error instanceof RetryLaterError ? error.retryAt : undefined;
      return {
        ...base,
        title: 'Not yet',
        message: retryAt ? `You can do this again ${when(retryAt)}.` : 'Try again later.',
      };
    }
    case ErrorCode.RATE_LIMITED: {
      const retryAt = error instanceof RetryLaterError ? error.retryAt : undefined;
      return {
        ...base,
        title: 'Slow down',
        message: `You're doing that too often. Try again ${retryAt ? when(retryAt) : 'in a minute'}.`,
      };
    }
    case ErrorCode.INSUFFICIENT_FUNDS:
      return {
        ...base,
        title: 'Not enough money',
        message: 'Your balance is too low for that. Check `/balance`, or earn more with the daily commands.',
      };
    case ErrorCode.ACCOUNT_FROZEN:
      return {
        ...base,
        title: 'Wallet frozen',
        message: 'A moderator has frozen your wallet, so you cannot spend or send. Ask the server staff.',
      };
    case ErrorCode.STORE_UNAVAILABLE:
      return {
        ...base,
        expected: false,
        title: 'The bank is unreachable',
        // Not "nothing changed": the database may have committed before the answer was lost.
        message: 'We could not reach the database. Check /balance before trying again in a minute.',
      };
    case ErrorCode.CONCURRENT_UPDATE:
      return { ...base, title: 'Busy', message: 'Something else changed at the same moment. Try again.' };
    case ErrorCode.NOT_FOUND:
      return { ...base, title: 'Not found', message: `${said} Check the name and try again.` };
    case ErrorCode.OUT_OF_STOCK:
      return { ...base, title: 'Sold out', message: `${said} See \`/shop\` for what is left.` };
    case ErrorCode.LIMIT_REACHED:
      return { ...base, title: 'Limit reached', message: said };
    case ErrorCode.NOT_ELIGIBLE:
      return { ...base, title: 'Not eligible', message: said };
    case ErrorCode.FORBIDDEN:
      return { ...base, title: 'Not allowed', message: said };
    case ErrorCode.BUDGET_EXHAUSTED:
      return { ...base, title: 'Out for today', message: said };
    case ErrorCode.PLAN_LIMIT:
      return { ...base, title: "This server's plan is full", message: `${said} Ask the server owner.` };
    case ErrorCode.INVALID_INPUT:
    case ErrorCode.INVALID_AMOUNT:
    case ErrorCode.INVALID_TRANSFER:
    case ErrorCode.AMOUNT_OVERFLOW:
    case ErrorCode.INVALID_ACCOUNT:
      return { ...base, title: "That didn't work", message: `${said} Check the command's options.` };
    default:
      // IDEMPOTENCY_CONFLICT, ALREADY_REVERSED, CONFIG_INVALID, TENANT_INVALID, INTERNAL: not the member's doing.
      return { ...base, expected: false, ...ourFault(o) };
  }
}
