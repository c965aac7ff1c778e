// Helpers for the games' tests only; nothing in the SDK imports this file.
import { expect } from 'vitest';
import { ErrorCode, GuildmintError, ValidationError } from '../errors.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

/** Asserts INVALID_INPUT with an issue at `path`. */
export function expectInvalidInput(fn: () => unknown, path: string): void {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(ValidationError);
  const validation = error as ValidationError;
  expect(validation.code).toBe(ErrorCode.INVALID_INPUT);
  expect(validation.issues.map((issue) => issue.path)).toContain(path);
}

/** Asserts a GuildmintError with `code`. */
export function expectCode(fn: () => unknown, code: ErrorCode): void {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(GuildmintError);
  expect((error as GuildmintError).code).toBe(code);
}
