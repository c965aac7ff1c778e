import { TRPCError } from '@trpc/server';
import { DiscordAuthError, type ManagedGuild } from '../../../discord/guilds';
import type { ProtectedContext } from '../../../procedures/protected';

/** The user's manageable guilds; a rejected Discord login asks the user to log in again. */
export async function managedGuilds(
  ctx: ProtectedContext,
  o: { fresh?: boolean } = {},
): Promise<ManagedGuild[]> {
  try {
    return await ctx.services.guilds.managed(
      { id: ctx.session.user.id, provider: ctx.session.user.provider },
      o,
    );
  } catch (error) {
    if (error instanceof DiscordAuthError)
      throw new TRPCError({ code: 'UNAUTHORIZED', message: error.message, cause: error });
    throw error;
  }
}

/** One guild the user manages, or FORBIDDEN. */
export async function managedGuild(ctx: ProtectedContext, guildId: string, o: { fresh?: boolean } = {}) {
  const guild = (await managedGuilds(ctx, o)).find((g) => g.id === guildId);
  if (!guild) throw new TRPCError({ code: 'FORBIDDEN', message: 'you do not manage this guild' });
  return guild;
}
