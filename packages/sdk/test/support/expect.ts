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

/** `expectCode` for a call, timed: how many milliseconds it took to fail. */
export async function expectCodeTimed(call: () => Promise<unknown>, code: string): Promise<number> {
  const started = performance.now();
  await expectCode(call(), code);
  return performance.now() - started;
}
