import { TRPCError } from '@trpc/server';
import { expect } from 'vitest';

/** Awaits a call that must fail with a TRPCError, and returns it. */
export async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected the call to fail').toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

/** The TRPCError code a failing call ends with. */
export async function trpcCode(promise: Promise<unknown>): Promise<string> {
  return (await trpcError(promise)).code;
}
