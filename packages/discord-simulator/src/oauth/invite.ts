import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { SimContext } from '../context.js';
import type { RouteContext, RouteResult } from '../rest/router.js';
import type { GuildRecord } from '../state/model.js';
import { ALL_PERMISSIONS, hasPermission, memberPermissions } from '../state/permissions.js';
import { findUser, redirect, S256_CHALLENGE } from './flow.js';
import { addedPage, errorPage, type InvitePageInput, invitePage } from './page.js';
import { UNSIMULATED_SCOPES, unknownScopes } from './scopes.js';

/**
 * `GET|POST /oauth2/authorize` with `bot` in `scope` (usually `bot applications.commands`): Discord's bot
 * authorization flow. A user who owns the guild, or has Manage Server there, adds the bot: it becomes a
 * member (its managed role gets `permissions`), the shard owning the guild gets GUILD_CREATE, and the user
 * is redirected to `redirect_uri?guild_id=…&permissions=…` (plus `code` with `response_type=code`, and
 * `state`) or, without a `redirect_uri`, shown "Authorized".
 *
 * `client_id` must be the simulator's application (the only one with a bot); it need not be registered
 * with `registerOAuthApp` unless a `redirect_uri` is given (which must then match exactly). `guild_id`
 * preselects a guild; `disable_guild_select=true` allows only that one. Who adds it: the user posted from
 * the page, else `login_hint`, else `setOAuthUser` — those two act at once when `guild_id` is given
 * (a user who may not add bots there gets a 403 page); otherwise the page lists who may add it where.
 * Problems with the request get a 400 page, never a redirect; Cancel redirects with `error=access_denied`.
 */
export function inviteBot(ctx: SimContext, request: RouteContext, scopes: string[]): RouteResult {
  const q = request.query;
  const { world } = ctx;
  const botName = world.botUser.username;
  const applicationId = ctx.settings.applicationId;

  const clientId = q.get('client_id');
  if (clientId !== applicationId) {
    return errorPage(
      400,
      'Unknown application',
      clientId === null
        ? 'The request has no client_id.'
        : ctx.oauth.app(clientId)
          ? `Application ${clientId} has no bot in the simulator: only the simulator's own application (${applicationId}) can be added to a server.`
          : `No application ${clientId} in the simulator; the bot's application id is ${applicationId}.`,
    );
  }
  const app = ctx.oauth.app(clientId);
  const redirectUri = q.get('redirect_uri');
  if (redirectUri !== null && !app?.redirectUris.includes(redirectUri)) {
    return errorPage(
      400,
      'Invalid OAuth2 redirect_uri',
      app
        ? `${redirectUri} is not a redirect URI of application ${clientId} (registered: ${app.redirectUris.join(', ')}).`
        : `${redirectUri} is not registered: add it with sim.registerOAuthApp({ redirectUris }).`,
    );
  }

  const unknown = unknownScopes(scopes);
  if (unknown.length > 0) return errorPage(400, 'Invalid scope', `Unknown scope: ${unknown.join(', ')}.`);
  const unsimulated = scopes.filter((s) => UNSIMULATED_SCOPES.has(s));
  if (unsimulated.length > 0) {
    return errorPage(400, 'Not simulated', `Scope ${unsimulated.join(', ')} is not simulated.`);
  }
  const responseType = q.get('response_type');
  if (responseType !== null && responseType !== 'code') {
    return errorPage(400, 'Unsupported response type', `response_type '${responseType}' is not simulated.`);
  }
  const wantsCode = responseType === 'code';
  if (wantsCode && redirectUri === null) {
    return errorPage(400, 'Invalid OAuth2 redirect_uri', 'response_type=code needs a redirect_uri.');
  }
  const challenge = wantsCode ? q.get('code_challenge') : null;
  if (challenge !== null && (q.get('code_challenge_method') !== 'S256' || !S256_CHALLENGE.test(challenge))) {
    return errorPage(400, 'Invalid request', 'code_challenge must be 43 base64url characters, method S256.');
  }

  const rawPermissions = q.get('permissions');
  if (rawPermissions !== null && !/^\d{1,20}$/.test(rawPermissions)) {
    return errorPage(
      400,
      'Invalid permissions',
      `permissions must be a decimal bitfield, not '${rawPermissions}'.`,
    );
  }
  // Without `permissions` the bot's role gets none, as on Discord; unknown bits are ignored.
  const permissions = BigInt(rawPermissions ?? '0') & ALL_PERMISSIONS;

  const preselectedId = q.get('guild_id');
  const preselected = preselectedId === null ? undefined : world.guilds.get(preselectedId);
  if (preselectedId !== null && !preselected) {
    return errorPage(400, 'Unknown server', `No guild ${preselectedId} in the simulator.`);
  }
  /** `disable_guild_select=true` with a `guild_id`: that guild only. */
  const locked = q.get('disable_guild_select') === 'true' ? preselected : undefined;
  const state = q.get('state');

  const page = (userIds: string[] | null, notice?: string) =>
    invitePage(
      {
        botName,
        scopes,
        permissions: permissionNames(permissions),
        choices: choices(ctx, userIds, preselected, locked),
        notice: notice ?? noChoiceNotice(ctx, userIds, preselected, locked),
      },
      notice ? 400 : 200,
    );

  const add = (userId: string, guild: GuildRecord): RouteResult => {
    if (locked && guild.id !== locked.id) {
      return page(null, `This invite is for ${locked.name} (${locked.id}) only.`);
    }
    if (!mayAddBots(guild, userId)) {
      const user = world.users.get(userId)!;
      return errorPage(
        403,
        'Missing permissions',
        `${user.globalName ?? user.username} cannot add ${botName} to ${guild.name}: adding a bot takes owning the server or Manage Server there.`,
      );
    }
    const joined = world.addBot(guild.id, { permissions });
    if (redirectUri === null) return addedPage({ botName, guildName: guild.name, joined });
    const params: Record<string, string> = { guild_id: guild.id, permissions: permissions.toString() };
    if (wantsCode) {
      params.code = ctx.oauth.issueCode({
        clientId,
        redirectUri,
        userId,
        scopes,
        challenge,
        guildId: guild.id,
      }).code;
    }
    return redirect(redirectUri, params, state);
  };

  if (request.method === 'POST') {
    const form = request.body.form;
    if (form?.has('deny')) {
      if (redirectUri === null) return errorPage(200, 'Cancelled', `${botName} was not added anywhere.`);
      return redirect(
        redirectUri,
        {
          error: 'access_denied',
          error_description: 'The resource owner or authorization server denied the request',
        },
        state,
      );
    }
    const [userId = '', guildId = ''] = (form?.get('add') ?? '').split(':');
    const user = findUser(ctx, userId);
    const guild = world.guilds.get(guildId);
    if (!user || !guild)
      return page(null, `No user ${userId || '(none)'} or no guild ${guildId || '(none)'}; pick below.`);
    return add(user, guild);
  }

  const hint = q.get('login_hint');
  const userId = hint === null ? ctx.oauth.autoUserId : findUser(ctx, hint);
  if (hint !== null && !userId)
    return page(null, `login_hint '${hint}' matches no user in the simulator; pick below.`);
  if (userId && preselected) return add(userId, preselected);
  return page(userId ? [userId] : null);
}

/** Discord's rule: the owner, or a member with Manage Server (Administrator implies it). */
function mayAddBots(guild: GuildRecord, userId: string): boolean {
  const member = guild.members.get(userId);
  if (!member) return false;
  if (guild.ownerId === userId) return true;
  return hasPermission(memberPermissions(guild, member), PermissionFlagsBits.ManageGuild);
}

/** Every (user, guild) pair the page offers: the preselected guild first, only it when locked. */
function choices(
  ctx: SimContext,
  userIds: string[] | null,
  preselected: GuildRecord | undefined,
  locked: GuildRecord | undefined,
): InvitePageInput['choices'] {
  const guilds = locked
    ? [locked]
    : [
        ...(preselected ? [preselected] : []),
        ...[...ctx.world.guilds.values()].filter((g) => g !== preselected),
      ];
  const users = ctx.oauth.humans().filter((u) => userIds === null || userIds.includes(u.id));
  return guilds.flatMap((guild) =>
    users
      .filter((user) => mayAddBots(guild, user.id))
      .map((user) => ({
        user,
        guild: { id: guild.id, name: guild.name },
        present: ctx.world.hasBot(guild),
      })),
  );
}

function noChoiceNotice(
  ctx: SimContext,
  userIds: string[] | null,
  preselected: GuildRecord | undefined,
  locked: GuildRecord | undefined,
): string | undefined {
  if (choices(ctx, userIds, preselected, locked).length > 0) return undefined;
  const where = locked ? locked.name : 'any server';
  return `Nobody${userIds ? ' logged in' : ''} can add the bot to ${where}: it takes owning the server or Manage Server there (sim.addGuild({ ownerId }) or addMember(…, { permissions })).`;
}

/** `ManageRoles` → `Manage Roles`, for the page. */
function permissionNames(permissions: bigint): string[] {
  return Object.entries(PermissionFlagsBits)
    .filter(([, bit]) => (permissions & bit) === bit && bit !== 0n)
    .map(([name]) => name.replace(/([a-z])([A-Z])/g, '$1 $2'));
}
