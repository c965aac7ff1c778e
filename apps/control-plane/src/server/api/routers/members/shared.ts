import type { AuditLogEntry } from '@guildmint/sdk';
import { z } from 'zod';
import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import { reasonProblem } from '../../../sdk';

export const memberIdSchema = z.string().regex(/^\d{1,20}$/, 'must be a Discord user id (digits)');
/** The SDK's own rule (length in UTF-16 code units, no control characters, something visible). */
export const reasonSchema = z
  .string()
  .trim()
  .superRefine((reason, ctx) => {
    const problem = reasonProblem(reason);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: `the reason ${problem}` });
  });

/** The audit entry an admin action just wrote, to show it back to the admin. */
export async function auditEntryFor(
  ctx: TenantAdminContext,
  action: string,
  userId: string,
): Promise<AuditLogEntry | null> {
  const recent = await ctx.tenant.auditLog({ limit: 20 });
  return (
    recent.find((e) => e.action === action && e.target === `user:${userId}` && e.actor === ctx.actor) ?? null
  );
}
