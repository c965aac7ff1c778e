import { RESTJSONErrorCodes } from 'discord-api-types/v10';

/** Why a simulator call (slash, click, …) failed. Tests switch on these; people read the message. */
export const SimulatorErrorCode = {
  /** The bot did not produce its final reply in time (after a deferral: the edit). */
  TIMEOUT: 'SIM_TIMEOUT',
  /** The bot did not acknowledge the interaction within Discord's 3-second window. */
  NOT_ACKNOWLEDGED: 'SIM_NOT_ACKNOWLEDGED',
  /** The bot acknowledged after the window; Discord answered its callback with 10062 Unknown interaction. */
  LATE_ACKNOWLEDGEMENT: 'SIM_LATE_ACKNOWLEDGEMENT',
  UNKNOWN_GUILD: 'SIM_UNKNOWN_GUILD',
  UNKNOWN_MEMBER: 'SIM_UNKNOWN_MEMBER',
  UNKNOWN_ROLE: 'SIM_UNKNOWN_ROLE',
  UNKNOWN_CHANNEL: 'SIM_UNKNOWN_CHANNEL',
  UNKNOWN_MESSAGE: 'SIM_UNKNOWN_MESSAGE',
  UNKNOWN_INTERACTION: 'SIM_UNKNOWN_INTERACTION',
  /** No clickable component with that custom id on the message. */
  UNKNOWN_COMPONENT: 'SIM_UNKNOWN_COMPONENT',
  /** Discord's client would not let a member send this command (unknown, bad options, missing permission). */
  INVALID_COMMAND: 'SIM_INVALID_COMMAND',
  /** The guild exists but the bot is not in it (never invited, or removed): nothing reaches the bot. */
  BOT_NOT_IN_GUILD: 'SIM_BOT_NOT_IN_GUILD',
  NO_SUCH_SHARD: 'SIM_NO_SUCH_SHARD',
  UNKNOWN_SKU: 'SIM_UNKNOWN_SKU',
  UNKNOWN_ENTITLEMENT: 'SIM_UNKNOWN_ENTITLEMENT',
  INVALID_ARGUMENT: 'SIM_INVALID_ARGUMENT',
  CLOSED: 'SIM_CLOSED',
} as const;

export type SimulatorErrorCode = (typeof SimulatorErrorCode)[keyof typeof SimulatorErrorCode];

export class SimulatorError extends Error {
  readonly code: SimulatorErrorCode;

  constructor(code: SimulatorErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = `SimulatorError[${code}]`;
  }
}

export function isSimulatorError(error: unknown, code?: SimulatorErrorCode): error is SimulatorError {
  return error instanceof SimulatorError && (code === undefined || error.code === code);
}

/** Discord's nested form-error tree: `{ field: { 0: { _errors: [{ code, message }] } } }`. */
export interface FormErrorTree {
  [key: string]: FormErrorTree | Array<{ code: string; message: string }>;
}

export interface DiscordErrorBody {
  message: string;
  code: number;
  errors?: FormErrorTree;
  /** 429 only. */
  retry_after?: number;
  global?: boolean;
}

/** An HTTP answer shaped like Discord's errors; REST handlers throw it, the server writes it. */
export class DiscordHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: DiscordErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${body.message} (${body.code})`);
    this.name = `DiscordHttpError[${body.code}]`;
  }
}

/** One form problem: where (`path`, e.g. `['embeds', 0, 'title']`), a Discord-style code and a message. */
export interface FormIssue {
  path: Array<string | number>;
  code: string;
  message: string;
}

export function invalidFormBody(issues: FormIssue[]): DiscordHttpError {
  const errors: FormErrorTree = {};
  for (const issue of issues) {
    let node: FormErrorTree = errors;
    for (const key of issue.path) {
      const next = node[String(key)];
      if (next === undefined || Array.isArray(next)) {
        const created: FormErrorTree = {};
        node[String(key)] = created;
        node = created;
      } else {
        node = next;
      }
    }
    const list = node._errors;
    const entry = { code: issue.code, message: issue.message };
    if (Array.isArray(list)) list.push(entry);
    else node._errors = [entry];
  }
  return new DiscordHttpError(400, {
    message: 'Invalid Form Body',
    code: RESTJSONErrorCodes.InvalidFormBodyOrContentType,
    errors,
  });
}

export const httpErrors = {
  unauthorized: () => new DiscordHttpError(401, { message: '401: Unauthorized', code: 0 }),
  notFound: () => new DiscordHttpError(404, { message: '404: Not Found', code: 0 }),
  methodNotAllowed: () => new DiscordHttpError(405, { message: '405: Method Not Allowed', code: 0 }),
  badJson: () =>
    new DiscordHttpError(400, { message: 'The request body contains invalid JSON.', code: 50109 }),
  unknownGuild: () =>
    new DiscordHttpError(404, { message: 'Unknown Guild', code: RESTJSONErrorCodes.UnknownGuild }),
  unknownMember: () =>
    new DiscordHttpError(404, { message: 'Unknown Member', code: RESTJSONErrorCodes.UnknownMember }),
  unknownUser: () =>
    new DiscordHttpError(404, { message: 'Unknown User', code: RESTJSONErrorCodes.UnknownUser }),
  unknownRole: () =>
    new DiscordHttpError(404, { message: 'Unknown Role', code: RESTJSONErrorCodes.UnknownRole }),
  unknownChannel: () =>
    new DiscordHttpError(404, { message: 'Unknown Channel', code: RESTJSONErrorCodes.UnknownChannel }),
  unknownMessage: () =>
    new DiscordHttpError(404, { message: 'Unknown Message', code: RESTJSONErrorCodes.UnknownMessage }),
  unknownWebhook: () =>
    new DiscordHttpError(404, { message: 'Unknown Webhook', code: RESTJSONErrorCodes.UnknownWebhook }),
  invalidWebhookToken: () =>
    new DiscordHttpError(401, {
      message: 'Invalid Webhook Token',
      code: RESTJSONErrorCodes.InvalidWebhookToken,
    }),
  unknownInteraction: () =>
    new DiscordHttpError(404, {
      message: 'Unknown interaction',
      code: RESTJSONErrorCodes.UnknownInteraction,
    }),
  alreadyAcknowledged: () =>
    new DiscordHttpError(400, {
      message: 'Interaction has already been acknowledged.',
      code: RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged,
    }),
  unknownCommand: () =>
    new DiscordHttpError(404, {
      message: 'Unknown application command',
      code: RESTJSONErrorCodes.UnknownApplicationCommand,
    }),
  unknownApplication: () =>
    new DiscordHttpError(404, {
      message: 'Unknown Application',
      code: RESTJSONErrorCodes.UnknownApplication,
    }),
  missingPermissions: () =>
    new DiscordHttpError(403, {
      message: 'Missing Permissions',
      code: RESTJSONErrorCodes.MissingPermissions,
    }),
  unknownSku: () =>
    new DiscordHttpError(404, { message: 'Unknown SKU', code: RESTJSONErrorCodes.UnknownSKU }),
  unknownEntitlement: () =>
    new DiscordHttpError(404, {
      message: 'Unknown Entitlement',
      code: RESTJSONErrorCodes.UnknownEntitlement,
    }),
  entitlementAlreadyGranted: () =>
    new DiscordHttpError(400, {
      message: 'An entitlement has already been granted for this resource',
      code: RESTJSONErrorCodes.AnEntitlementHasAlreadyBeenGrantedForThisResource,
    }),
  onlySandboxEntitlements: () =>
    new DiscordHttpError(400, {
      message: 'You can only delete sandbox entitlements',
      code: RESTJSONErrorCodes.YouCanOnlyDeleteSandboxEntitlements,
    }),
  invalidSku: () =>
    new DiscordHttpError(400, { message: 'Invalid SKU', code: RESTJSONErrorCodes.InvalidSKU }),
  missingAccess: () =>
    new DiscordHttpError(403, { message: 'Missing Access', code: RESTJSONErrorCodes.MissingAccess }),
  emptyMessage: () =>
    new DiscordHttpError(400, {
      message: 'Cannot send an empty message',
      code: RESTJSONErrorCodes.CannotSendAnEmptyMessage,
    }),
};
