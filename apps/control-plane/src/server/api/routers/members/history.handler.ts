import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import type { HandlerArgs } from '../types';
import type { HistoryInput } from './history.schema';

/** A member's transfers, newest first, a page at a time (`next` is the cursor of the older page). */
export async function historyHandler({ ctx, input }: HandlerArgs<TenantAdminContext, HistoryInput>) {
  const page = await ctx.tenant.ledger.transfers({
    account: `user:${input.userId}`,
    limit: input.limit,
    ...(input.cursor !== undefined && { cursor: input.cursor }),
  });
  return {
    items: page.items.map((t) => ({
      id: t.id,
      from: t.from,
      to: t.to,
      amount: t.amount,
      code: t.code,
      reverses: t.reverses ?? null,
      createdAt: t.createdAt,
      /** Signed from the member's side: credits positive, debits negative. */
      delta: t.to === `user:${input.userId}` ? t.amount : -t.amount,
    })),
    next: page.next ?? null,
  };
}
