import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import type { HandlerArgs } from '../types';
import type { AdjustInput } from './adjust.schema';
import { auditEntryFor } from './shared';

/** Coins taken from a member (never below zero), with the reason in the audit log. */
export async function revokeHandler({ ctx, input }: HandlerArgs<TenantAdminContext, AdjustInput>) {
  const receipt = await ctx.tenant.revoke(input.userId, input.amount, {
    reason: input.reason,
    actor: ctx.actor,
    key: `cp-revoke-${input.key}`,
  });
  return {
    amount: receipt.amount,
    replayed: receipt.replayed,
    balance: await ctx.tenant.balance(input.userId),
    audit: await auditEntryFor(ctx, 'revoke', input.userId),
  };
}
