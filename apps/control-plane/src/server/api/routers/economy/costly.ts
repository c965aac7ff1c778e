import { TRPCError } from '@trpc/server';
import { tenantAdminProcedure } from '../../../procedures/tenant-admin';

/**
 * A tenant procedure that costs the server real work (checking and simulating a draft): each call
 * spends `points` of the caller's budget for this tenant, shared by every process through Redis when
 * one is configured. Checked before the (large) input is parsed.
 */
export function costlyProcedure(points: number) {
  return tenantAdminProcedure.use(async ({ ctx, next }) => {
    const verdict = await ctx.services.costs.consume(`${ctx.session.user.id}:${ctx.tenantId}`, points);
    if (!verdict.ok) {
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: `too many previews and simulations; try again in ${Math.ceil(verdict.retryAfterMs / 1000)} s`,
      });
    }
    return next();
  });
}
