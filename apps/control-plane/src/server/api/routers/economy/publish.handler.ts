import { TRPCError } from '@trpc/server';
import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import type { HandlerArgs } from '../types';
import type { PublishInput } from './publish.schema';

/** Publishes a new version; the runtime hot-reloads it. */
export async function publishHandler({ ctx, input }: HandlerArgs<TenantAdminContext, PublishInput>) {
  const current = await ctx.tenant.config();
  if (current.version !== input.basedOn) {
    throw new TRPCError({
      code: 'CONFLICT',
      message: `version ${current.version} was published after you started editing version ${input.basedOn}; reload to see it`,
    });
  }
  return ctx.tenant.configure(input.config, { actor: ctx.actor });
}
