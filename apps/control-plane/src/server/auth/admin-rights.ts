import { TRPCError } from '@trpc/server';
import type { AdminRole } from '../db/types';
import { DiscordAuthError, type ManagedGuild } from '../discord/guilds';
import type { Services } from '../services';
import type { AppSession } from '../session';

/** Who asks, and with what: the tRPC context of a logged-in user. */
export interface RightsContext {
  services: Services;
  session: AppSession;
}

/**
 * The guilds the user manages on Discord now — the guild directory's answer, at most a minute old unless
 * `fresh` — with cp_tenant_admins brought in line with it (written only when it differs). A login Discord
 * no longer accepts (401) removes every admin row of the user and asks them to log in again.
 */
export async function managedGuilds(
  ctx: RightsContext,
  o: { fresh?: boolean } = {},
): Promise<ManagedGuild[]> {
  const { platform } = ctx.services;
  const user = ctx.session.user;
  let guilds: ManagedGuild[];
  try {
    guilds = await ctx.services.guilds.managed({ id: user.id, provider: user.provider }, o);
  } catch (error) {
    if (!(error instanceof DiscordAuthError)) throw error;
    await platform.syncTenantAdmins(user.id, [], ctx.services.now());
    throw new TRPCError({ code: 'UNAUTHORIZED', message: error.message, cause: error });
  }
  const roles = new Map(guilds.map((g) => [g.id, g.owner ? ('owner' as const) : ('manager' as const)]));
  const tenants = await platform.tenants([...roles.keys()]);
  const wanted = tenants.flatMap((t) => {
    const role = roles.get(t.guildId);
    return role ? [{ tenantId: t.id, role }] : [];
  });
  const stored = (await platform.tenantsOf(user.id)).map((t) => ({ tenantId: t.id, role: t.role }));
  if (!sameRights(wanted, stored)) await platform.syncTenantAdmins(user.id, wanted, ctx.services.now());
  return guilds;
}

/** One guild the user manages on Discord now, or FORBIDDEN. */
export async function managedGuild(
  ctx: RightsContext,
  guildId: string,
  o: { fresh?: boolean } = {},
): Promise<ManagedGuild> {
  const guild = (await managedGuilds(ctx, o)).find((g) => g.id === guildId);
  if (!guild) throw new TRPCError({ code: 'FORBIDDEN', message: 'you do not manage this guild' });
  return guild;
}

type Rights = ReadonlyArray<{ tenantId: string; role: AdminRole }>;

function sameRights(a: Rights, b: Rights): boolean {
  const key = (rights: Rights) =>
    rights
      .map((r) => `${r.tenantId}:${r.role}`)
      .sort()
      .join(',');
  return key(a) === key(b);
}
