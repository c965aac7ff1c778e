import { PermissionFlagsBits } from 'discord-api-types/v10';
import { z } from 'zod';
import type { SimContext } from '../../context.js';
import { httpErrors, invalidFormBody } from '../../errors.js';
import { isSnowflake } from '../../snowflake.js';
import { formIssues } from '../../state/form-issues.js';
import type { GuildRecord } from '../../state/model.js';
import { hasPermission, highestRolePosition, memberPermissions } from '../../state/permissions.js';
import { apiChannel, apiGuild, apiMember, apiRole } from '../../state/serialize.js';
import type { Router } from '../router.js';
import { botMember, guildOr404, memberOr404 } from './lookup.js';

const memberPatch = z.looseObject({
  roles: z.array(z.string()).optional(),
  nick: z.string().max(32).nullish(),
});

const roleBody = z.looseObject({
  name: z.string().max(100).optional(),
  permissions: z.string().regex(/^\d+$/).optional(),
});

export function guildRoutes(router: Router, ctx: SimContext): void {
  router.add('GET', '/guilds/:guildId', ({ params, query }) => {
    const guild = guildOr404(ctx, params.guildId);
    const counts =
      query.get('with_counts') === 'true'
        ? { approximate_member_count: guild.members.size, approximate_presence_count: 0 }
        : {};
    return { status: 200, body: { ...apiGuild(guild), ...counts } };
  });

  router.add('GET', '/guilds/:guildId/channels', ({ params }) => {
    const guild = guildOr404(ctx, params.guildId);
    const channels = guild.channelIds.flatMap((id) => {
      const channel = ctx.world.channels.get(id);
      return channel ? [apiChannel(channel, ctx.world)] : [];
    });
    return { status: 200, body: channels };
  });

  router.add('GET', '/guilds/:guildId/roles', ({ params }) => ({
    status: 200,
    body: [...guildOr404(ctx, params.guildId).roles.values()].map(apiRole),
  }));

  router.add('POST', '/guilds/:guildId/roles', ({ params, body }) => {
    const guild = guildOr404(ctx, params.guildId);
    requireManageRoles(ctx, guild);
    const parsed = roleBody.safeParse(body.json ?? {});
    if (!parsed.success) throw invalidFormBody(formIssues(parsed.error));
    const role = ctx.world.addRole(guild.id, {
      name: parsed.data.name ?? 'new role',
      permissions: BigInt(parsed.data.permissions ?? '0'),
    });
    return { status: 200, body: apiRole(role) };
  });

  router.add('GET', '/guilds/:guildId/members', ({ params, query }) => {
    const guild = guildOr404(ctx, params.guildId);
    const limit = Math.min(Math.max(Number(query.get('limit') ?? 1), 1), 1000);
    const after = BigInt(isSnowflake(query.get('after')) ? (query.get('after') as string) : '0');
    const members = [...guild.members.values()]
      .filter((m) => BigInt(m.userId) > after)
      .sort((a, b) => (BigInt(a.userId) < BigInt(b.userId) ? -1 : 1))
      .slice(0, limit);
    return { status: 200, body: members.map((m) => apiMember(ctx.world, m)) };
  });

  router.add('GET', '/guilds/:guildId/members/:userId', ({ params }) => {
    const guild = guildOr404(ctx, params.guildId);
    return { status: 200, body: apiMember(ctx.world, memberOr404(guild, params.userId)) };
  });

  router.add('PATCH', '/guilds/:guildId/members/:userId', ({ params, body }) => {
    const guild = guildOr404(ctx, params.guildId);
    const member = memberOr404(guild, params.userId);
    const parsed = memberPatch.safeParse(body.json ?? {});
    if (!parsed.success) throw invalidFormBody(formIssues(parsed.error));
    if (parsed.data.roles) {
      const before = new Set(member.roles);
      const after = new Set(parsed.data.roles.filter((id) => id !== guild.id));
      for (const roleId of new Set([...before, ...after])) {
        if (before.has(roleId) !== after.has(roleId)) requireAssignable(ctx, guild, roleId);
      }
      ctx.world.setMemberRoles(guild.id, member.userId, [...after]);
    }
    if (parsed.data.nick !== undefined) member.nick = parsed.data.nick ?? null;
    return { status: 200, body: apiMember(ctx.world, member) };
  });

  const roleRoute = '/guilds/:guildId/members/:userId/roles/:roleId';
  router.add('PUT', roleRoute, ({ params }) => {
    const guild = guildOr404(ctx, params.guildId);
    const member = memberOr404(guild, params.userId);
    requireAssignable(ctx, guild, params.roleId);
    if (!member.roles.includes(params.roleId)) {
      ctx.world.setMemberRoles(guild.id, member.userId, [...member.roles, params.roleId]);
    }
    return { status: 204 };
  });

  router.add('DELETE', roleRoute, ({ params }) => {
    const guild = guildOr404(ctx, params.guildId);
    const member = memberOr404(guild, params.userId);
    requireAssignable(ctx, guild, params.roleId);
    if (member.roles.includes(params.roleId)) {
      ctx.world.setMemberRoles(
        guild.id,
        member.userId,
        member.roles.filter((id) => id !== params.roleId),
      );
    }
    return { status: 204 };
  });
}

function requireManageRoles(ctx: SimContext, guild: GuildRecord): void {
  if (!hasPermission(memberPermissions(guild, botMember(ctx, guild)), PermissionFlagsBits.ManageRoles)) {
    throw httpErrors.missingPermissions();
  }
}

/** Discord's role hierarchy: the bot needs Manage Roles and may only move roles below its own highest. */
function requireAssignable(ctx: SimContext, guild: GuildRecord, roleId: string): void {
  const role = guild.roles.get(roleId);
  if (!role) throw httpErrors.unknownRole();
  requireManageRoles(ctx, guild);
  const me = botMember(ctx, guild);
  if (role.managed || roleId === guild.id || role.position >= highestRolePosition(guild, me)) {
    throw httpErrors.missingPermissions();
  }
}
