import { OAuth2Scopes } from 'discord-api-types/v10';
import type { SimContext } from '../context.js';
import type { RouteContext, RouteResult } from '../rest/router.js';
import { findUser, redirect, S256_CHALLENGE } from './flow.js';
import { inviteBot } from './invite.js';
import { errorPage, loginPage } from './page.js';
import { parseScopes, UNSIMULATED_SCOPES, unknownScopes } from './scopes.js';

/**
 * `GET|POST /oauth2/authorize` (with or without `/api`): Discord's authorization-code grant.
 *
 * Problems with `client_id` or `redirect_uri` get an error page (never a redirect to an unverified URI);
 * the rest redirect back with `error=…` as RFC 6749 §4.1.2.1 says. Then, who logs in: the user posted from
 * the page's buttons, else `login_hint` (a user id or username), else the simulator's `setOAuthUser`, else
 * the page. A chosen user is redirected to `redirect_uri?code=…&state=…`. A `scope` with `bot` is the
 * bot-invite flow instead (invite.ts).
 */
export function authorize(ctx: SimContext, request: RouteContext): RouteResult {
  const q = request.query;
  const scopes = parseScopes(q.get('scope'));
  // `scope=bot …` adds the bot to a guild: a flow of its own (its redirect URI is optional).
  if (scopes.includes(OAuth2Scopes.Bot)) return inviteBot(ctx, request, scopes);
  const clientId = q.get('client_id');
  const app = clientId ? ctx.oauth.app(clientId) : undefined;
  if (!app) {
    return errorPage(
      400,
      'Unknown application',
      clientId
        ? `No OAuth2 application with client_id ${clientId} is registered in the simulator. ` +
            'Register it with sim.registerOAuthApp({ clientId, clientSecret, redirectUris }).'
        : 'The request has no client_id.',
    );
  }

  const unsimulated = scopes.filter((s) => UNSIMULATED_SCOPES.has(s));
  if (unsimulated.length > 0) {
    return errorPage(
      400,
      'Not simulated',
      `The simulator answers the login (authorization-code) and bot-invite (scope=bot) flows; ` +
        `scope ${unsimulated.join(', ')} is not simulated.`,
    );
  }

  const redirectUri = q.get('redirect_uri');
  if (!redirectUri || !app.redirectUris.includes(redirectUri)) {
    return errorPage(
      400,
      'Invalid OAuth2 redirect_uri',
      redirectUri
        ? `${redirectUri} is not a redirect URI of application ${app.clientId} (registered: ${app.redirectUris.join(', ')}).`
        : 'The request has no redirect_uri.',
    );
  }

  const state = q.get('state');
  const back = (params: Record<string, string>): RouteResult => redirect(redirectUri, params, state);
  const refuse = (error: string, description: string) => back({ error, error_description: description });

  const responseType = q.get('response_type');
  if (responseType !== 'code') {
    return refuse(
      responseType ? 'unsupported_response_type' : 'invalid_request',
      responseType
        ? `response_type '${responseType}' is not simulated; use 'code'`
        : 'response_type is required',
    );
  }
  if (scopes.length === 0) return refuse('invalid_scope', 'scope is required');
  const unknown = unknownScopes(scopes);
  if (unknown.length > 0) return refuse('invalid_scope', `unknown scope: ${unknown.join(', ')}`);

  const challenge = q.get('code_challenge');
  const method = q.get('code_challenge_method');
  if (challenge === null && method !== null) {
    return refuse('invalid_request', 'code_challenge_method without code_challenge');
  }
  if (challenge !== null) {
    if (method !== 'S256') {
      return refuse('invalid_request', `code_challenge_method must be S256 (got ${method ?? 'none'})`);
    }
    if (!S256_CHALLENGE.test(challenge)) {
      return refuse('invalid_request', 'code_challenge must be 43 base64url characters (S256)');
    }
  }

  const page = (notice?: string) =>
    loginPage({ appName: app.name, scopes, users: ctx.oauth.humans(), notice }, notice ? 400 : 200);

  let userId: string | null;
  if (request.method === 'POST') {
    const form = request.body.form;
    if (form?.has('deny')) {
      return refuse('access_denied', 'The resource owner or authorization server denied the request');
    }
    userId = findUser(ctx, form?.get('user_id') ?? null);
    if (!userId) return page(`No user ${form?.get('user_id') ?? '(none)'} in the simulator; pick one below.`);
  } else {
    const hint = q.get('login_hint');
    if (hint !== null) {
      userId = findUser(ctx, hint);
      if (!userId) return page(`login_hint '${hint}' matches no user in the simulator; pick one below.`);
    } else {
      userId = ctx.oauth.autoUserId;
      if (!userId) return page();
    }
  }

  const code = ctx.oauth.issueCode({ clientId: app.clientId, redirectUri, userId, scopes, challenge });
  return back({ code: code.code });
}
