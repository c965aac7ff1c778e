import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import type { HandlerArgs } from '../types';
import type { AdjustInput } from './adjust.schema';
import { auditEntryFor } from './shared';

/** New coins for a member (from the admin faucet), with the reason in the audit log. */
export async function grantHandler({ ctx, input }: HandlerArgs<TenantAdminContext, AdjustInput>) {
  const receipt = await ctx.tenant.grant(input.userId, input.amount, {
    reason: input.reason,
    actor: ctx.actor,
    key: `cp-grant-${input.key}`,
  });
  return {
    amount: receipt.amount,
    replayed: receipt.replayed,
    balance: await ctx.tenant.balance(input.userId),
    audit: await auditEntryFor(ctx, 'grant', input.userId),
  };
}
