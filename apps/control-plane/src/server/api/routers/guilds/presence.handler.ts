import { managedGuild } from '../../../auth/admin-rights';
import type { ProtectedContext } from '../../../procedures/protected';
import type { HandlerArgs } from '../types';
import type { PresenceInput } from './presence.schema';

/** Whether the bot has joined the guild yet: the onboarding page polls this after "Add bot". */
export async function presenceHandler({ ctx, input }: HandlerArgs<ProtectedContext, PresenceInput>) {
  await managedGuild(ctx, input.guildId);
  const presence = await ctx.services.economy.tenant(input.guildId).presence();
  return { installed: presence.present, reportedAt: presence.reportedAt };
}
