import type { z } from 'zod';
import { ErrorCode, type Issue, ValidationError } from '../errors.js';
import { type EconomyConfig, type EconomyConfigInput, economyConfigSchema } from './schema.js';

/**
 * Validates an economy definition and returns it complete (defaults filled in), deeply frozen and
 * JSON-serializable. Every problem is reported at once, each with its path: CONFIG_INVALID.
 */
export function defineEconomy(input: EconomyConfigInput): EconomyConfig {
  const result = economyConfigSchema.safeParse(input);
  if (!result.success) throw new ValidationError(ErrorCode.CONFIG_INVALID, toIssues(result.error));
  return deepFreeze(result.data);
}

export function toIssues(error: z.ZodError): Issue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
