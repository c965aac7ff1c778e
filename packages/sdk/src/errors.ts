import { randomBytes } from 'node:crypto';

/** Stable error codes: programs switch on these, people read the message. */
export const ErrorCode = {
  INVALID_INPUT: 'INVALID_INPUT',
  INVALID_AMOUNT: 'INVALID_AMOUNT',
  AMOUNT_OVERFLOW: 'AMOUNT_OVERFLOW',
  INVALID_ACCOUNT: 'INVALID_ACCOUNT',
  INVALID_TRANSFER: 'INVALID_TRANSFER',
  INSUFFICIENT_FUNDS: 'INSUFFICIENT_FUNDS',
  ACCOUNT_FROZEN: 'ACCOUNT_FROZEN',
  IDEMPOTENCY_CONFLICT: 'IDEMPOTENCY_CONFLICT',
  ALREADY_REVERSED: 'ALREADY_REVERSED',
  NOT_FOUND: 'NOT_FOUND',
  COOLDOWN: 'COOLDOWN',
  RATE_LIMITED: 'RATE_LIMITED',
  CONFIG_INVALID: 'CONFIG_INVALID',
  TENANT_INVALID: 'TENANT_INVALID',
  STORE_UNAVAILABLE: 'STORE_UNAVAILABLE',
  /** The member does not meet a faucet's role or membership-age requirement. */
  NOT_ELIGIBLE: 'NOT_ELIGIBLE',
  /** A shop item has no stock left. */
  OUT_OF_STOCK: 'OUT_OF_STOCK',
  /** A per-member limit (purchases, claims per day) is reached. */
  LIMIT_REACHED: 'LIMIT_REACHED',
  /** The tenant's daily emission budget is spent. */
  BUDGET_EXHAUSTED: 'BUDGET_EXHAUSTED',
  /** The same state changed under us too many times in a row; nothing was written. */
  CONCURRENT_UPDATE: 'CONCURRENT_UPDATE',
  /** Another member's round, or an API key outside its tenant or scopes. */
  FORBIDDEN: 'FORBIDDEN',
  /** The tenant's plan does not include this; the message names the plan that does. */
  PLAN_LIMIT: 'PLAN_LIMIT',
  /** A bug: the error carries an id that the log line carries too. */
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** One problem found while validating input: where (`path`) and what. */
export interface Issue {
  path: string;
  message: string;
}

/**
 * Brands every GuildmintError, so that `isGuildmintError` recognises one made by another copy of the
 * SDK (its ESM and CJS builds loaded side by side, or two bundles of it in one app).
 */
const BRAND = Symbol.for('@guildmint/sdk/GuildmintError');

/** The one error type the SDK throws on purpose. `code` is stable; `message` is for people. */
export class GuildmintError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = `GuildmintError[${code}]`;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** `instanceof GuildmintError` works across copies of the SDK too (see BRAND); subclasses check as usual. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass being checked against.
    if (this !== GuildmintError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

/** `INVALID_INPUT` or `CONFIG_INVALID`: carries every problem found, each with its path. */
export class ValidationError extends GuildmintError {
  readonly issues: readonly Issue[];

  constructor(code: typeof ErrorCode.INVALID_INPUT | typeof ErrorCode.CONFIG_INVALID, issues: Issue[]) {
    super(code, formatIssues(issues));
    this.issues = Object.freeze([...issues]);
  }
}

/** `COOLDOWN` or `RATE_LIMITED`: says when trying again will work. */
export class RetryLaterError extends GuildmintError {
  readonly retryAt: Date;

  constructor(
    code: typeof ErrorCode.COOLDOWN | typeof ErrorCode.RATE_LIMITED,
    message: string,
    retryAt: Date,
  ) {
    super(code, message);
    this.retryAt = retryAt;
  }
}

/** `INTERNAL`: a defect, not the caller's doing. `id` is in the message and in the one log line written for it. */
export class InternalError extends GuildmintError {
  readonly id: string;

  constructor(id: string, message: string, cause: unknown) {
    super(ErrorCode.INTERNAL, message, { cause });
    this.id = id;
  }
}

/** Where INTERNAL errors are reported: one line each, carrying the error's id. */
export type ErrorLog = (line: string, error: InternalError) => void;

const consoleLog: ErrorLog = (line) => console.error(line);
let errorLog: ErrorLog = consoleLog;

/** Send INTERNAL error lines somewhere else (a pino logger, a test); no argument restores console.error. */
export function setErrorLog(log?: ErrorLog): void {
  errorLog = log ?? consoleLog;
}

/**
 * Wraps something that should never have happened (a raw driver error, a broken invariant) as an
 * `INTERNAL` GuildmintError with a fresh id, logs one line carrying that id and the cause, and keeps
 * the cause on the error. `context` says where it happened (`postgres: balance`).
 */
export function internalError(cause: unknown, context: string): InternalError {
  const id = `err_${randomBytes(6).toString('hex')}`;
  const error = new InternalError(
    id,
    `something went wrong inside Guildmint (error id ${id}); nothing more can be said here, the logs have the details`,
    cause,
  );
  errorLog(`guildmint INTERNAL ${id} in ${context}: ${describeCause(cause)}`, error);
  return error;
}

function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const code = (cause as { code?: unknown }).code;
  return `${cause.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${cause.message}`;
}

export function invalidInput(path: string, message: string): ValidationError {
  return new ValidationError(ErrorCode.INVALID_INPUT, [{ path, message }]);
}

/**
 * The error class a code comes with: `RetryLaterError` (with `retryAt`) for COOLDOWN and RATE_LIMITED,
 * a `GuildmintError` carrying that code otherwise.
 */
export type GuildmintErrorOf<C extends ErrorCode> = C extends
  | typeof ErrorCode.COOLDOWN
  | typeof ErrorCode.RATE_LIMITED
  ? RetryLaterError & { readonly code: C }
  : GuildmintError & { readonly code: C };

/**
 * Whether `error` is a GuildmintError (from any copy of the SDK), with `code` when given. With a code it
 * narrows to that code's class, so `retryAt` is there after `isGuildmintError(e, ErrorCode.COOLDOWN)`:
 *
 * ```ts
 * if (isGuildmintError(e, ErrorCode.COOLDOWN)) reply(`come back <t:${e.retryAt.getTime() / 1000}:R>`);
 * ```
 */
export function isGuildmintError<C extends ErrorCode>(error: unknown, code: C): error is GuildmintErrorOf<C>;
export function isGuildmintError(error: unknown): error is GuildmintError;
export function isGuildmintError(error: unknown, code?: ErrorCode): error is GuildmintError {
  return error instanceof GuildmintError && (code === undefined || error.code === code);
}

function formatIssues(issues: Issue[]): string {
  const lines = issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message));
  return lines.length === 1 ? lines[0]! : `${lines.length} problems:\n- ${lines.join('\n- ')}`;
}
