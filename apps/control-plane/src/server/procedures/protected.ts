import { TRPCError } from '@trpc/server';
import { baseProcedure, type TRPCContext } from '../api/trpc';
import type { AppSession } from '../session';

/** A logged-in user. Mutations count against the user's rate limit. */
export const protectedProcedure = baseProcedure
  .meta({ tier: 'protected' })
  .use(async ({ ctx, type, next }) => {
    const session = ctx.session;
    if (!session) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'log in first' });
    if (type === 'mutation') {
      const verdict = await ctx.services.limiter.consume(session.user.id);
      if (!verdict.ok) {
        const seconds = Math.ceil(verdict.retryAfterMs / 1000);
        throw new TRPCError({
          code: 'TOO_MANY_REQUESTS',
          message: `too many changes at once; try again in ${seconds} s`,
        });
      }
    }
    return next({ ctx: { session } });
  });

export type ProtectedContext = TRPCContext & { session: AppSession };
