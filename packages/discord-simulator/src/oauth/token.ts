import { createHash, timingSafeEqual } from 'node:crypto';
import type { RESTPostOAuth2AccessTokenResult } from 'discord-api-types/v10';
import type { SimContext } from '../context.js';
import type { RouteContext, RouteResult } from '../rest/router.js';
import { apiGuild } from '../state/serialize.js';
import { NO_STORE, OAuthError, oauthErrors } from './errors.js';
import { parseScopes } from './scopes.js';
import { ACCESS_TOKEN_LIFETIME_S, type IssuedTokens, type OAuthApp } from './store.js';

/** RFC 7636 §4.1: 43–128 characters of `[A-Za-z0-9-._~]`. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * `POST /api/oauth2/token`: `authorization_code` and `refresh_token` grants. The body is a urlencoded form;
 * the client authenticates with HTTP Basic (`client_secret_basic`, Auth.js's default) or with
 * `client_id` + `client_secret` in the form (`client_secret_post`), not both.
 */
export function token(ctx: SimContext, request: RouteContext): RouteResult {
  try {
    const form = request.body.form;
    if (!form) throw oauthErrors.invalidRequest('the body must be application/x-www-form-urlencoded');
    const app = authenticateClient(ctx, request.headers.authorization, form);
    const grantType = form.get('grant_type');
    let tokens: IssuedTokens;
    if (grantType === 'authorization_code') tokens = exchangeCode(ctx, app, form);
    else if (grantType === 'refresh_token') tokens = refresh(ctx, app, form);
    else if (grantType) throw oauthErrors.unsupportedGrantType(grantType);
    else throw oauthErrors.invalidRequest('grant_type is required');
    const body: RESTPostOAuth2AccessTokenResult = {
      access_token: tokens.access.token,
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_LIFETIME_S,
      refresh_token: tokens.refresh.token,
      scope: tokens.access.scopes.join(' '),
    };
    // Exchanging a bot invite's code also tells which guild the bot was added to, as Discord does.
    const guildId = grantType === 'authorization_code' ? ctx.oauth.code(tokens.access.code)?.guildId : null;
    const guild = guildId ? ctx.world.guilds.get(guildId) : undefined;
    if (guild) return { status: 200, body: { ...body, guild: apiGuild(guild) }, headers: NO_STORE };
    return { status: 200, body, headers: NO_STORE };
  } catch (error) {
    if (error instanceof OAuthError) return error.toResult();
    throw error;
  }
}

/**
 * `POST /api/oauth2/token/revoke` (RFC 7009): `token` (access or refresh) and client authentication.
 * Revokes the whole authorization the token belongs to. Unknown tokens are fine (200), as the RFC says.
 */
export function revokeToken(ctx: SimContext, request: RouteContext): RouteResult {
  try {
    const form = request.body.form;
    if (!form) throw oauthErrors.invalidRequest('the body must be application/x-www-form-urlencoded');
    const app = authenticateClient(ctx, request.headers.authorization, form);
    const value = form.get('token');
    if (!value) throw oauthErrors.invalidRequest('token is required');
    const grant = ctx.oauth.access(value) ?? ctx.oauth.refresh(value);
    if (grant && grant.clientId === app.clientId) ctx.oauth.revokeFamily(grant.code);
    return { status: 200, body: {}, headers: NO_STORE };
  } catch (error) {
    if (error instanceof OAuthError) return error.toResult();
    throw error;
  }
}

function exchangeCode(ctx: SimContext, app: OAuthApp, form: URLSearchParams): IssuedTokens {
  const value = form.get('code');
  if (!value) throw oauthErrors.invalidRequest('code is required');
  const code = ctx.oauth.code(value);
  if (!code || code.clientId !== app.clientId) throw oauthErrors.invalidGrant('Invalid "code" in request.');
  if (code.redeemed) {
    // RFC 6749 §4.1.2: a replayed code revokes what it already bought.
    ctx.oauth.revokeFamily(code.code);
    throw oauthErrors.invalidGrant('Invalid "code" in request. (already used)');
  }
  if (code.expiresAt <= ctx.now()) throw oauthErrors.invalidGrant('Invalid "code" in request. (expired)');
  if (form.get('redirect_uri') !== code.redirectUri) {
    throw oauthErrors.invalidGrant('Invalid "redirect_uri" in request.');
  }
  const verifier = form.get('code_verifier');
  if (code.challenge !== null) {
    if (!verifier)
      throw oauthErrors.invalidRequest('code_verifier is required (the code has a code_challenge)');
    if (!VERIFIER.test(verifier)) throw oauthErrors.invalidRequest('code_verifier is malformed');
    const computed = createHash('sha256').update(verifier).digest('base64url');
    if (computed !== code.challenge) throw oauthErrors.invalidGrant('Invalid "code_verifier" in request.');
  }
  // Spent by its first successful exchange; failed attempts (wrong verifier, redirect_uri) leave it usable.
  code.redeemed = true;
  return ctx.oauth.issueTokens(code);
}

function refresh(ctx: SimContext, app: OAuthApp, form: URLSearchParams): IssuedTokens {
  const value = form.get('refresh_token');
  if (!value) throw oauthErrors.invalidRequest('refresh_token is required');
  const grant = ctx.oauth.refresh(value);
  const code = grant ? ctx.oauth.code(grant.code) : undefined;
  if (!grant || !code || grant.clientId !== app.clientId) {
    throw oauthErrors.invalidGrant('Invalid "refresh_token" in request.');
  }
  let scopes = grant.scopes;
  if (form.has('scope')) {
    const asked = parseScopes(form.get('scope'));
    const extra = asked.filter((s) => !grant.scopes.includes(s));
    if (asked.length === 0 || extra.length > 0) {
      throw oauthErrors.invalidScope(`scope may only narrow the grant (${grant.scopes.join(' ')})`);
    }
    scopes = asked;
  }
  // Discord rotates refresh tokens: the old one stops working.
  ctx.oauth.revoke(grant.token);
  return ctx.oauth.issueTokens(code, scopes);
}

/** `client_secret_basic` or `client_secret_post`; a wrong or missing secret is 401 invalid_client. */
function authenticateClient(ctx: SimContext, header: string | undefined, form: URLSearchParams): OAuthApp {
  const basic = header !== undefined && /^basic /i.test(header);
  let clientId: string | null;
  let clientSecret: string | null;
  if (basic) {
    if (form.has('client_secret')) {
      throw oauthErrors.invalidRequest('use one client authentication method, not Basic and client_secret');
    }
    const credentials = decodeBasic(header.slice(6).trim());
    if (!credentials) throw oauthErrors.invalidClient('malformed Basic credentials', true);
    [clientId, clientSecret] = credentials;
    const bodyId = form.get('client_id');
    if (bodyId !== null && bodyId !== clientId) {
      throw oauthErrors.invalidRequest('client_id in the body differs from the Basic credentials');
    }
  } else {
    clientId = form.get('client_id');
    clientSecret = form.get('client_secret');
  }
  if (!clientId || clientSecret === null)
    throw oauthErrors.invalidClient('client authentication is required', basic);
  const app = ctx.oauth.app(clientId);
  if (!app || !sameSecret(app.clientSecret, clientSecret)) {
    throw oauthErrors.invalidClient('Invalid client credentials', basic);
  }
  return app;
}

/** `base64(urlencode(id) ":" urlencode(secret))`, as RFC 6749 §2.3.1 and Auth.js encode it. */
function decodeBasic(encoded: string): [string, string] | null {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  try {
    const unform = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return [unform(decoded.slice(0, colon)), unform(decoded.slice(colon + 1))];
  } catch {
    return null;
  }
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
