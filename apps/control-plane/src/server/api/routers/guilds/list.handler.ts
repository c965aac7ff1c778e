import { botInviteUrl } from '../../../discord/permissions';
import type { ProtectedContext } from '../../../procedures/protected';
import { managedGuilds } from './shared';

/**
 * The guilds the user may manage, each marked installed (the bot is in it, as the runtime reported)
 * and onboarded (a tenant exists), with the bot's invite link. Also brings the user's admin rights
 * in line with what Discord says today.
 */
export async function listHandler({ ctx }: { ctx: ProtectedContext }) {
  const { platform, economy, invite } = ctx.services;
  const guilds = await managedGuilds(ctx);
  const tenants = new Map((await platform.tenants(guilds.map((g) => g.id))).map((t) => [t.guildId, t]));
  await platform.syncTenantAdmins(
    ctx.session.user.id,
    guilds
      .filter((g) => tenants.has(g.id))
      .map((g) => ({ tenantId: g.id, role: g.owner ? 'owner' : 'manager' })),
    ctx.services.now(),
  );
  return Promise.all(
    guilds.map(async (guild) => {
      const tenant = tenants.get(guild.id);
      const presence = await economy.tenant(guild.id).presence();
      return {
        id: guild.id,
        name: guild.name,
        icon: guild.icon,
        owner: guild.owner,
        installed: presence.present,
        tenant: tenant ? { id: tenant.id, preset: tenant.preset, createdAt: tenant.createdAt } : null,
        inviteUrl: invite ? botInviteUrl({ ...invite, guildId: guild.id }) : null,
      };
    }),
  );
}
