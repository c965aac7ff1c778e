import { ErrorCode, GuildmintError, internalError } from '../errors.js';

/**
 * Every database error the SDK meets is sorted here, by PostgreSQL SQLSTATE or SQLite code, and turned
 * into what a caller sees here (`toPublicError`), nowhere else:
 * - transient: retry the whole transaction (serialization, deadlock, busy, a held lock, a racing insert);
 * - unavailable: the database cannot be reached or did not answer in time; retry a while, then STORE_UNAVAILABLE;
 * - overflow: a 64-bit column would overflow: AMOUNT_OVERFLOW;
 * - data: some op of a group (not the store) is at fault; split the group to find it. Ops are validated
 *   before they reach a store, so one that still gets here is a defect: INTERNAL;
 * - unknown: a bug or an unexpected state: INTERNAL, with an id the log line carries too.
 */
export type StoreErrorKind = 'transient' | 'unavailable' | 'overflow' | 'data' | 'unknown';

const PG_TRANSIENT = new Set(['40001', '40P01', '23505', '55P03']);
const PG_UNAVAILABLE_CLASSES = ['08', '53', '57'];
/** SQLSTATE read_only_sql_transaction: a write reached a standby (a demoted primary, a stale host). */
export const PG_READ_ONLY = '25006';
const NODE_NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);

export function classifyPostgresError(error: unknown): StoreErrorKind {
  const code = errorCode(error);
  if (code === undefined) {
    const message = error instanceof Error ? error.message : '';
    if (
      /Connection terminated|connection timeout|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Connection closed|not queryable/i.test(
        message,
      )
    ) {
      return 'unavailable';
    }
    return 'unknown';
  }
  if (NODE_NETWORK.has(code)) return 'unavailable';
  if (PG_TRANSIENT.has(code)) return 'transient';
  // A write reached a standby: the primary moved (failover); drop the connection and retry on the new one.
  if (code === PG_READ_ONLY) return 'unavailable';
  if (code === '22003') return 'overflow';
  if (PG_UNAVAILABLE_CLASSES.some((prefix) => code.startsWith(prefix))) return 'unavailable';
  if (code.startsWith('22') || code.startsWith('23')) return 'data';
  return 'unknown';
}

export function classifySqliteError(error: unknown): StoreErrorKind {
  const code = errorCode(error) ?? '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'transient';
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') return 'transient';
  if (code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_MISMATCH') return 'data';
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_FULL') {
    return 'unavailable';
  }
  if (/integer overflow/i.test(error instanceof Error ? error.message : '')) return 'overflow';
  return 'unknown';
}

/** Whether retrying the same work later can succeed. */
export function isRetryable(kind: StoreErrorKind): boolean {
  return kind === 'transient' || kind === 'unavailable';
}

/**
 * What a caller sees for an error out of a store: a GuildmintError passes as it is; everything else
 * becomes the GuildmintError its kind calls for. `context` names the store and the call, for the log.
 */
export function toPublicError(error: unknown, kind: StoreErrorKind, context: string): GuildmintError {
  if (error instanceof GuildmintError) return error;
  if (kind === 'overflow') {
    return new GuildmintError(ErrorCode.AMOUNT_OVERFLOW, 'a balance would go beyond the 64-bit limit', {
      cause: error,
    });
  }
  if (isRetryable(kind)) {
    return new GuildmintError(
      ErrorCode.STORE_UNAVAILABLE,
      'the database could not be reached, or stayed busy or locked; nothing was written, try again',
      { cause: error },
    );
  }
  return internalError(error, context);
}

export interface RetryPolicy {
  classify(error: unknown): StoreErrorKind;
  /** How long transient failures and outages are retried, from the first attempt. */
  budgetMs: number;
}

/**
 * Runs `work`, retrying transient failures and outages with backoff within the budget; then rethrows as it
 * came. `work` is told whether this is a retry.
 */
export async function retryTransient<T>(
  work: (retry: boolean) => T | Promise<T>,
  policy: RetryPolicy,
): Promise<T> {
  const deadline = Date.now() + policy.budgetMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await work(attempt > 0);
    } catch (error) {
      if (!isRetryable(policy.classify(error)) || Date.now() >= deadline) throw error;
      await delay(Math.min(backoff(attempt), Math.max(0, deadline - Date.now())));
    }
  }
}

/** `retryTransient`, then whatever still fails as the public error (the store calls' one wrapper). */
export async function storeCall<T>(
  work: () => T | Promise<T>,
  policy: RetryPolicy,
  context: string,
): Promise<T> {
  try {
    return await retryTransient(work, policy);
  } catch (error) {
    throw toPublicError(error, policy.classify(error), context);
  }
}

/** Exponential backoff with full jitter, capped at 250 ms (jitter only: no money depends on it). */
function backoff(attempt: number): number {
  return Math.random() * Math.min(250, 2 ** attempt * 2);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
