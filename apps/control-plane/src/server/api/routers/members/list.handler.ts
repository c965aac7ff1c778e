import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import type { HandlerArgs } from '../types';
import type { ListMembersInput } from './list.schema';

/** Members by balance, richest first. */
export function listHandler({ ctx, input }: HandlerArgs<TenantAdminContext, ListMembersInput>) {
  return ctx.tenant.leaderboard({ limit: input.limit });
}
