import { expect } from 'vitest';
import { GuildmintError } from '../../src/index.js';

/** Awaits a call that must fail with a `GuildmintError` of `code`, and returns the error. */
export async function expectCode(promise: Promise<unknown>, code: string): Promise<GuildmintError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(GuildmintError);
  expect((error as GuildmintError).code).toBe(code);
  return error as GuildmintError;
}
