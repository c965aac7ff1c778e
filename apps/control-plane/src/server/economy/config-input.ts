import { defineEconomy, type EconomyConfig, ValidationError } from '@guildmint/sdk';
import { z } from 'zod';

/**
 * An economy config as tRPC input, validated by the SDK's own schema (through `defineEconomy`), so
 * the control plane never restates a rule. Each SDK issue becomes a zod issue at the same path, and
 * the error formatter hands them to the editor field by field.
 *
 * The SDK does not export `economyConfigSchema` from its entry point yet; when it does, this can
 * become that schema directly.
 */
export const economyConfigInput = z.unknown().transform((value, ctx): EconomyConfig => {
  try {
    return defineEconomy(value as Parameters<typeof defineEconomy>[0]);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    for (const issue of error.issues) {
      ctx.addIssue({
        code: 'custom',
        path: issue.path === '' ? [] : issue.path.split('.'),
        message: issue.message,
      });
    }
    return z.NEVER;
  }
});

/** Validates a draft without throwing: the config, or every problem with its path. */
export function checkConfig(
  value: unknown,
): { ok: true; config: EconomyConfig } | { ok: false; issues: Array<{ path: string; message: string }> } {
  try {
    return { ok: true, config: defineEconomy(value as Parameters<typeof defineEconomy>[0]) };
  } catch (error) {
    if (error instanceof ValidationError) return { ok: false, issues: [...error.issues] };
    throw error;
  }
}
