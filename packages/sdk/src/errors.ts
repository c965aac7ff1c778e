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

export function invalidInput(path: string, message: string): ValidationError {
  return new ValidationError(ErrorCode.INVALID_INPUT, [{ path, message }]);
}

export function isGuildmintError(error: unknown, code?: ErrorCode): error is GuildmintError {
  return error instanceof GuildmintError && (code === undefined || error.code === code);
}

function formatIssues(issues: Issue[]): string {
  const lines = issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message));
  return lines.length === 1 ? lines[0]! : `${lines.length} problems:\n- ${lines.join('\n- ')}`;
}
