import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import type { HandlerArgs } from '../types';
import type { RollbackInput } from './rollback.schema';
import { auditEntryFor } from './shared';

/** Reverses everything a member's account did since a moment (an exploit rollback; may leave debt). */
export async function rollbackHandler({ ctx, input }: HandlerArgs<TenantAdminContext, RollbackInput>) {
  const { reversed } = await ctx.tenant.rollback(input.userId, {
    since: input.since,
    reason: input.reason,
    actor: ctx.actor,
  });
  return {
    reversed,
    balance: await ctx.tenant.balance(input.userId),
    audit: await auditEntryFor(ctx, 'rollback', input.userId),
  };
}
