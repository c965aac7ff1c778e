import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import type { HandlerArgs } from '../types';
import type { MemberInput } from './get.schema';

/** One member's balance (zero for someone who never touched the economy) and whether their wallet is frozen. */
export async function getHandler({ ctx, input }: HandlerArgs<TenantAdminContext, MemberInput>) {
  const [balance, frozen] = await Promise.all([
    ctx.tenant.balance(input.userId),
    ctx.tenant.isFrozen(input.userId),
  ]);
  return { userId: input.userId, balance, frozen };
}
