import { managedGuilds } from '../../../auth/admin-rights';
import { botInviteUrl } from '../../../discord/permissions';
import type { ProtectedContext } from '../../../procedures/protected';

/**
 * The guilds the user may manage, each marked installed (the bot is in it, as the runtime reported)
 * and onboarded (a tenant exists), with the bot's invite link. (managedGuilds also brings the user's
 * admin rows in line with what Discord says.)
 */
export async function listHandler({ ctx }: { ctx: ProtectedContext }) {
  const { platform, economy, invite } = ctx.services;
  const guilds = await managedGuilds(ctx);
  const tenants = new Map((await platform.tenants(guilds.map((g) => g.id))).map((t) => [t.guildId, t]));
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
