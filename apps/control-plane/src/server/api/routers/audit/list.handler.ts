import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import type { HandlerArgs } from '../types';
import type { AuditListInput } from './list.schema';

/** Every admin action in the economy, newest first, a page at a time. */
export async function listHandler({ ctx, input }: HandlerArgs<TenantAdminContext, AuditListInput>) {
  const entries = await ctx.tenant.auditLog({
    limit: input.limit + 1,
    ...(input.cursor !== undefined && { before: input.cursor }),
  });
  const items = entries.slice(0, input.limit);
  const last = items.at(-1);
  return { items, next: entries.length > input.limit && last ? { id: last.id } : null };
}
