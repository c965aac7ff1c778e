import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import type { HandlerArgs } from '../types';
import type { MemberInput } from './get.schema';

/**
 * One member's wallet (`balance`), bank and both together (zero for someone who never touched the
 * economy), and whether their wallet is frozen.
 */
export async function getHandler({ ctx, input }: HandlerArgs<TenantAdminContext, MemberInput>) {
  const [{ wallet, bank, total }, frozen] = await Promise.all([
    ctx.tenant.holdings(input.userId),
    ctx.tenant.isFrozen(input.userId),
  ]);
  return { userId: input.userId, balance: wallet, bank, total, frozen };
}
