import {
  type ErrorCode,
  GuildmintError,
  type Issue,
  RetryLaterError,
  ValidationError,
} from '../../errors.js';
import type { OpOutcome } from '../../ledger/plan.js';

// Errors cross the thread boundary as plain data (a structured clone keeps neither classes nor `code`),
// and are rebuilt on the other side as what they were: a GuildmintError with its code (and retryAt or
// issues), or a driver error with its SQLite code, which `classifySqliteError` maps as usual.

export type EncodedError =
  | { kind: 'guildmint'; code: ErrorCode; message: string; retryAt?: Date; issues?: Issue[] }
  | { kind: 'driver'; name: string; message: string; code?: string; stack?: string };

export function encodeError(error: unknown): EncodedError {
  if (error instanceof GuildmintError) {
    return {
      kind: 'guildmint',
      code: error.code,
      message: error.message,
      ...(error instanceof RetryLaterError && { retryAt: error.retryAt }),
      ...(error instanceof ValidationError && { issues: [...error.issues] }),
    };
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      kind: 'driver',
      name: error.name,
      message: error.message,
      ...(typeof code === 'string' && { code }),
      ...(error.stack !== undefined && { stack: error.stack }),
    };
  }
  return { kind: 'driver', name: 'Error', message: String(error) };
}

export function decodeError(encoded: EncodedError): Error {
  if (encoded.kind === 'guildmint') {
    if (encoded.issues) {
      return new ValidationError(encoded.code as typeof ErrorCode.INVALID_INPUT, encoded.issues);
    }
    if (encoded.retryAt) {
      return new RetryLaterError(encoded.code as typeof ErrorCode.COOLDOWN, encoded.message, encoded.retryAt);
    }
    return new GuildmintError(encoded.code, encoded.message);
  }
  const error = new Error(encoded.message);
  error.name = encoded.name;
  if (encoded.stack !== undefined) error.stack = encoded.stack;
  if (encoded.code !== undefined) Object.assign(error, { code: encoded.code });
  return error;
}

export type EncodedOutcome = Exclude<OpOutcome, { ok: false }> | { ok: false; error: EncodedError };

export function encodeOutcomes(outcomes: OpOutcome[]): EncodedOutcome[] {
  return outcomes.map((o) => (o.ok ? o : { ok: false, error: encodeError(o.error) }));
}

export function decodeOutcomes(outcomes: EncodedOutcome[]): OpOutcome[] {
  return outcomes.map((o) => (o.ok ? o : { ok: false, error: decodeError(o.error) as GuildmintError }));
}

/** A call to the writer thread, and its answer. */
export interface WriterRequest {
  id: number;
  call: string;
  args: unknown[];
}

export type WriterReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: EncodedError };
