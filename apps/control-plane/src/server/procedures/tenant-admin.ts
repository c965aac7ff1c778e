import type { Tenant } from '@guildmint/sdk';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { managedGuilds } from '../auth/admin-rights';
import { type ProtectedContext, protectedProcedure } from './protected';

/** A tenant id as the SDK accepts it (Discord guild ids are digits). */
export const tenantIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a tenant id');

/**
 * A logged-in user who manages the tenant named by `input.tenantId` on Discord now: the guild's owner or
 * someone with Manage Server, as Discord answered at most a minute ago (managedGuilds), not a stored row
 * that could be days old. Gives the handler the SDK's tenant handle and the actor to record. An unknown
 * tenant is refused like a foreign one, so nobody learns which tenants exist.
 */
export const tenantAdminProcedure = protectedProcedure
  .meta({ tier: 'tenantAdmin' })
  .input(z.object({ tenantId: tenantIdSchema }))
  .use(async ({ ctx, input, next }) => {
    const record = await ctx.services.platform.tenant(input.tenantId);
    const allowed = record !== null && (await managedGuilds(ctx)).some((g) => g.id === record.guildId);
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
