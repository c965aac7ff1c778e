import type { z } from 'zod';
import { toIssues } from '../config/define.js';
import { ErrorCode, ValidationError } from '../errors.js';

/**
 * Parses a player's input with `schema`; INVALID_INPUT with every problem and its field otherwise
 * (paths prefixed with `prefix.` when given).
 */
export function parseChoice<T>(schema: z.ZodType<T>, input: unknown, prefix?: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = toIssues(result.error);
  throw new ValidationError(
    ErrorCode.INVALID_INPUT,
    prefix === undefined
      ? issues
      : issues.map((i) => ({ ...i, path: i.path ? `${prefix}.${i.path}` : prefix })),
  );
}
