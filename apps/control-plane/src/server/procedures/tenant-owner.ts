import { TRPCError } from '@trpc/server';
import { managedGuilds } from '../auth/admin-rights';
import { tenantAdminProcedure } from './tenant-admin';

/**
 * The guild's owner, as Discord says now (the same minute-old answer as the admin tier): for actions that
 * hand out access to the economy itself (API keys; billing and webhooks next). A manager with Manage
 * Server is refused. Owners naming other admins for these actions is not built yet: until then only the
 * owner passes.
 */
export const tenantOwnerProcedure = tenantAdminProcedure
  .meta({ tier: 'tenantOwner' })
  .use(async ({ ctx, next }) => {
    const record = await ctx.services.platform.tenant(ctx.tenantId);
    const owns = (await managedGuilds(ctx)).some((g) => g.id === record?.guildId && g.owner);
    if (!owns) throw new TRPCError({ code: 'FORBIDDEN', message: 'only the server’s owner may do this' });
    return next();
  });
