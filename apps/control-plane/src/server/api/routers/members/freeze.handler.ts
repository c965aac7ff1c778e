import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import type { HandlerArgs } from '../types';
import type { FreezeInput } from './freeze.schema';
import { auditEntryFor } from './shared';

/** Stops a wallet from sending or receiving until it is unfrozen. */
export async function freezeHandler({ ctx, input }: HandlerArgs<TenantAdminContext, FreezeInput>) {
  await ctx.tenant.freeze(input.userId, { reason: input.reason, actor: ctx.actor });
  return { audit: await auditEntryFor(ctx, 'freeze', input.userId) };
}

export async function unfreezeHandler({ ctx, input }: HandlerArgs<TenantAdminContext, FreezeInput>) {
  await ctx.tenant.unfreeze(input.userId, { reason: input.reason, actor: ctx.actor });
  return { audit: await auditEntryFor(ctx, 'unfreeze', input.userId) };
}
