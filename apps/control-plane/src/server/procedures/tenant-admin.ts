import type { Tenant } from '@guildmint/sdk';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { type ProtectedContext, protectedProcedure } from './protected';

/** A tenant id as the SDK accepts it (Discord guild ids are digits). */
export const tenantIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a tenant id');

/**
 * A logged-in user who manages the tenant named by `input.tenantId`. Gives the handler the SDK's
 * tenant handle and the actor to record. An unknown tenant is refused like a foreign one, so
 * nobody learns which tenants exist.
 */
export const tenantAdminProcedure = protectedProcedure
  .meta({ tier: 'tenantAdmin' })
  .input(z.object({ tenantId: tenantIdSchema }))
  .use(async ({ ctx, input, next }) => {
    const allowed = await ctx.services.platform.isTenantAdmin(input.tenantId, ctx.session.user.id);
    if (!allowed) throw new TRPCError({ code: 'FORBIDDEN', message: 'you do not manage this economy' });
    return next({
      ctx: {
        tenantId: input.tenantId,
        tenant: ctx.services.economy.tenant(input.tenantId),
        actor: ctx.session.user.discordId,
      },
    });
  });

export type TenantAdminContext = ProtectedContext & { tenantId: string; tenant: Tenant; actor: string };
