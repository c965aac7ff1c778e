// Helpers for the games' tests only; nothing in the SDK imports this file.
import { expect } from 'vitest';
import { ErrorCode, GuildmintError, ValidationError } from '../errors.js';
import type { Draws } from './fairness.js';

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

/**
 * Every way the round's draw number `index` (0-based: the draws before it come from `source`) can go,
 * each value of its nextInt(n) once: the payouts `play` gives. One payout when `play` never makes that
 * draw. This enumerates a payout's rounding draw exactly, so a test can check its expected value.
 */
export function everyDraw(source: () => Draws, index: number, play: (draws: Draws) => bigint): bigint[] {
  let range: number | undefined;
  const probe = play(
    replacing(source(), index, (n) => {
      range = n;
      return undefined;
    }),
  );
  if (range === undefined) return [probe];
  return Array.from({ length: range }, (_, value) => play(replacing(source(), index, () => value)));
}

/** `draws`, except that call number `index` of nextInt answers `answer(n)` (the real draw when undefined). */
function replacing(draws: Draws, index: number, answer: (n: number) => number | undefined): Draws {
  let calls = 0;
  return {
    get position() {
      return draws.position;
    },
    nextInt(n) {
      const real = draws.nextInt(n);
      return calls++ === index ? (answer(n) ?? real) : real;
    },
    advanceTo: (position) => draws.advanceTo(position),
  };
}

export function sum(values: readonly bigint[]): bigint {
  return values.reduce((a, b) => a + b, 0n);
}
