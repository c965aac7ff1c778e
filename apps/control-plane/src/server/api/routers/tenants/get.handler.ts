import { TRPCError } from '@trpc/server';
import type { TenantAdminContext } from '../../../procedures/tenant-admin';

/** One economy's header: its guild, whether the bot is there, its currency and published version. */
export async function getHandler({ ctx }: { ctx: TenantAdminContext }) {
  const record = await ctx.services.platform.tenant(ctx.tenantId);
  if (!record) throw new TRPCError({ code: 'NOT_FOUND', message: 'no such economy' });
  const [presence, config] = await Promise.all([ctx.tenant.presence(), ctx.tenant.config()]);
  return {
    id: record.id,
    name: record.name,
    preset: record.preset,
    createdAt: record.createdAt,
    installed: presence.present,
    currency: config.currency,
    version: config.version,
  };
}
