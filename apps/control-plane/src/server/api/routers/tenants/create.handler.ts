import { TRPCError } from '@trpc/server';
import { managedGuild } from '../../../auth/admin-rights';
import type { ProtectedContext } from '../../../procedures/protected';
import { presets } from '../../../sdk';
import { syncEventRecording } from '../../../webhooks';
import type { HandlerArgs } from '../types';
import type { CreateTenantInput } from './create.schema';

/**
 * Onboards a guild: the tenant row (its creator becomes its first admin), then the chosen preset
 * published as the economy's first version. Only someone who manages the guild on Discord right
 * now may do it.
 */
export async function createHandler({ ctx, input }: HandlerArgs<ProtectedContext, CreateTenantInput>) {
  const guild = await managedGuild(ctx, input.guildId, { fresh: true });
  const { user } = ctx.session;
  const created = await ctx.services.platform.createTenant(
    { id: guild.id, guildId: guild.id, name: guild.name, ownerUserId: user.id, preset: input.preset },
    { userId: user.id, role: guild.owner ? 'owner' : 'manager' },
    ctx.services.now(),
  );
  if (!created) throw new TRPCError({ code: 'CONFLICT', message: `${guild.name} already has an economy` });
  // A new economy has no webhook endpoint: its moves write no events until one is saved.
  await syncEventRecording(ctx.services.webhooks, guild.id);
  const { version } = await ctx.services.economy
    .tenant(guild.id)
    .configure(presets[input.preset], { actor: user.discordId });
  return { tenantId: guild.id, version };
}
