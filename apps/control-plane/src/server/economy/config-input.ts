import type { EconomyConfig, Issue } from '@guildmint/sdk';
import { z } from 'zod';
import { defineEconomy, isGuildmintError } from '../sdk';

/**
 * An economy config as tRPC input, validated by the SDK's own schema (through `defineEconomy`), so
 * the control plane never restates a rule. Each SDK issue becomes a zod issue at the same path, and
 * the error formatter hands them to the editor field by field.
 */
export const economyConfigInput = z.unknown().transform((value, ctx): EconomyConfig => {
  const checked = checkConfig(value);
  if (checked.ok) return checked.config;
  for (const issue of checked.issues) {
    ctx.addIssue({
      code: 'custom',
      path: issue.path === '' ? [] : issue.path.split('.'),
      message: issue.message,
    });
  }
  return z.NEVER;
});

/** Validates a draft without throwing: the config, or every problem with its path. */
export function checkConfig(
  value: unknown,
): { ok: true; config: EconomyConfig } | { ok: false; issues: Issue[] } {
  try {
    return { ok: true, config: defineEconomy(value as Parameters<typeof defineEconomy>[0]) };
  } catch (error) {
    const issues = issuesOf(error);
    if (issues) return { ok: false, issues };
    throw error;
  }
}

/** The field problems a ValidationError of any SDK copy carries (checked by its brand, not its class). */
export function issuesOf(error: unknown): Issue[] | null {
  if (!isGuildmintError(error) || !('issues' in error) || !Array.isArray(error.issues)) return null;
  return [...(error.issues as Issue[])];
}
