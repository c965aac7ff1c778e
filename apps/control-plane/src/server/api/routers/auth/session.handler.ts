import type { TRPCContext } from '../../trpc';

/** The signed-in user as the browser may see it (no tokens), or null. */
export function sessionHandler({ ctx }: { ctx: TRPCContext }) {
  return ctx.session?.user ?? null;
}
