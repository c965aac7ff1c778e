import type { APIApplication } from 'discord-api-types/v10';
import { z } from 'zod';
import type { SimContext } from '../../context.js';
import { httpErrors, invalidFormBody } from '../../errors.js';
import { isSnowflake } from '../../snowflake.js';
import { formIssues } from '../../state/form-issues.js';
import { memberPermissions } from '../../state/permissions.js';
import { apiChannel, apiUser, noFlags } from '../../state/serialize.js';
import type { Router } from '../router.js';

const dmBody = z.object({ recipient_id: z.string() });

export function applicationRoutes(router: Router, ctx: SimContext): void {
  router.add('GET', '/users/@me', () => ({
    status: 200,
    body: {
      ...apiUser(ctx.world.botUser),
      verified: true,
      mfa_enabled: false,
      flags: noFlags(),
      locale: 'en-US',
    },
  }));

  // The bot's own guilds, as a process that RESUMEd a session (and so got no READY) lists its shard's guilds.
  router.add('GET', '/users/@me/guilds', ({ query }) => {
    const limit = Math.min(Math.max(Math.trunc(Number(query.get('limit') ?? 200)) || 200, 1), 200);
    const after = isSnowflake(query.get('after')) ? BigInt(query.get('after') as string) : -1n;
    const guilds = [...ctx.world.guilds.values()]
      .filter((guild) => ctx.world.hasBot(guild) && BigInt(guild.id) > after)
      .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))
      .slice(0, limit)
      .map((guild) => ({
        id: guild.id,
        name: guild.name,
        icon: null,
        banner: null,
        owner: false,
        permissions: (guild.members.get(ctx.world.botUserId)
          ? memberPermissions(guild, guild.members.get(ctx.world.botUserId)!)
          : 0n
        ).toString(),
        features: [],
      }));
    return { status: 200, body: guilds };
  });

  router.add('GET', '/users/:userId', ({ params }) => {
    const user = ctx.world.users.get(params.userId);
    if (!user) throw httpErrors.unknownUser();
    return { status: 200, body: apiUser(user) };
  });

  router.add('POST', '/users/@me/channels', ({ body }) => {
    const parsed = dmBody.safeParse(body.json);
    if (!parsed.success) throw invalidFormBody(formIssues(parsed.error));
    if (!ctx.world.users.has(parsed.data.recipient_id)) throw httpErrors.unknownUser();
    const channel = ctx.world.dmChannel(parsed.data.recipient_id);
    return { status: 200, body: apiChannel(channel, ctx.world) };
  });

  router.add('GET', '/applications/@me', () => ({ status: 200, body: application(ctx) }));
  router.add('GET', '/oauth2/applications/@me', () => ({ status: 200, body: application(ctx) }));
}

function application(ctx: SimContext): APIApplication {
  const bot = apiUser(ctx.world.botUser);
  return {
    id: ctx.settings.applicationId,
    name: bot.username,
    icon: null,
    description: 'Loopback Discord simulator application',
    bot_public: true,
    bot_require_code_grant: false,
    bot,
    owner: bot,
    summary: '',
    verify_key: '0'.repeat(64),
    team: null,
    flags: noFlags(),
    flags_new: '0',
    approximate_guild_count: [...ctx.world.guilds.values()].filter((g) => ctx.world.hasBot(g)).length,
  };
}
