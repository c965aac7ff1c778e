import {
  type APIUser,
  OAuth2Scopes,
  type RESTAPIPartialCurrentUserGuild,
  UserPremiumType,
} from 'discord-api-types/v10';
import type { SimContext } from '../context.js';
import { httpErrors } from '../errors.js';
import type { RouteContext, RouteResult } from '../rest/router.js';
import { isSnowflake } from '../snowflake.js';
import { ALL_PERMISSIONS, memberPermissions } from '../state/permissions.js';
import { apiUser, noFlags } from '../state/serialize.js';
import type { TokenGrant } from './store.js';

/** Discord's page size limit for `/users/@me/guilds`. */
const MAX_GUILDS = 200;
/** v8 turned `permissions` into a decimal string; before it, the field was an integer. */
const STRING_PERMISSIONS_SINCE = 8;
/** The legacy integer held 32 bits; newer permissions exist only in `permissions_new` there. */
const LEGACY_PERMISSION_BITS = 0xffff_ffffn;

/** `GET /users/@me` with `Authorization: Bearer <access token>` and the `identify` scope. */
export function currentUser(ctx: SimContext, request: RouteContext): RouteResult {
  const grant = bearer(ctx, request, OAuth2Scopes.Identify);
  const user = ctx.world.users.get(grant.userId);
  if (!user) throw httpErrors.unauthorized();
  const body: APIUser = {
    ...apiUser(user),
    banner: null,
    accent_color: null,
    flags: noFlags(),
    locale: 'en-US',
    mfa_enabled: false,
    premium_type: UserPremiumType.None,
    avatar_decoration_data: null,
  };
  if (grant.scopes.includes(OAuth2Scopes.Email)) {
    body.email = ctx.oauth.email(user.id);
    body.verified = true;
  }
  return { status: 200, body };
}

/**
 * `GET /users/@me/guilds` with a bearer token and the `guilds` scope: the guilds the user is a member of,
 * by id, with `owner` and their guild-level `permissions` (the owner has all of them). `before`, `after`,
 * `limit` (1–200) and `with_counts` as on Discord. Before v8 (so also without a version in the path, which
 * Discord answers as v6) `permissions` is the legacy integer and the decimal string is `permissions_new`.
 */
export function currentUserGuilds(ctx: SimContext, request: RouteContext): RouteResult {
  const grant = bearer(ctx, request, OAuth2Scopes.Guilds);
  const q = request.query;
  const limit = Math.min(
    Math.max(Math.trunc(Number(q.get('limit') ?? MAX_GUILDS)) || MAX_GUILDS, 1),
    MAX_GUILDS,
  );
  const before = isSnowflake(q.get('before')) ? BigInt(q.get('before') as string) : null;
  const after = isSnowflake(q.get('after')) ? BigInt(q.get('after') as string) : null;
  const counts = q.get('with_counts') === 'true';
  const guilds = [...ctx.world.guilds.values()]
    .filter((g) => g.members.has(grant.userId))
    .filter((g) => (after === null || BigInt(g.id) > after) && (before === null || BigInt(g.id) < before))
    .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  const page = before !== null && after === null ? guilds.slice(-limit) : guilds.slice(0, limit);
  const body = page.map((guild) => {
    const owner = guild.ownerId === grant.userId;
    const permissions = owner ? ALL_PERMISSIONS : memberPermissions(guild, guild.members.get(grant.userId)!);
    const shown: RESTAPIPartialCurrentUserGuild = {
      id: guild.id,
      name: guild.name,
      icon: null,
      banner: null,
      owner,
      permissions: permissions.toString(),
      features: [],
      ...(counts ? { approximate_member_count: guild.members.size, approximate_presence_count: 0 } : {}),
    };
    if (request.version >= STRING_PERMISSIONS_SINCE) return shown;
    const legacy: Omit<RESTAPIPartialCurrentUserGuild, 'permissions'> & {
      permissions: number;
      permissions_new: string;
    } = {
      ...shown,
      permissions: Number(permissions & LEGACY_PERMISSION_BITS),
      permissions_new: shown.permissions,
    };
    return legacy;
  });
  return { status: 200, body };
}

/** The live access token in `Authorization: Bearer …` carrying `scope`; 401 otherwise, as Discord answers. */
function bearer(ctx: SimContext, request: RouteContext, scope: string): TokenGrant {
  const match = /^bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  const grant = match ? ctx.oauth.access(match[1]!) : undefined;
  if (!grant?.scopes.includes(scope)) throw httpErrors.unauthorized();
  return grant;
}
