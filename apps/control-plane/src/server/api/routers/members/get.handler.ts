import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import type { HandlerArgs } from '../types';
import type { MemberInput } from './get.schema';

/** One member's balance (zero for someone who never touched the economy). */
export async function getHandler({ ctx, input }: HandlerArgs<TenantAdminContext, MemberInput>) {
  return { userId: input.userId, balance: await ctx.tenant.balance(input.userId) };
}
