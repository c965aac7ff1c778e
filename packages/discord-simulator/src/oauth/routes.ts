import type { SimContext } from '../context.js';
import type { Router } from '../rest/router.js';
import { authorize } from './authorize.js';
import { revokeToken, token } from './token.js';
import { currentUser, currentUserGuilds } from './user.js';

/**
 * Discord's OAuth2 endpoints: the authorize page (also without `/api`, where discord.com serves it), the
 * token and revocation endpoints (client credentials checked there), and what a bearer token may read.
 * Bearer routes share paths with bot routes; the router picks by the `Authorization` scheme.
 */
export function oauthRoutes(router: Router, ctx: SimContext): void {
  const page = { auth: false, bare: true };
  router.add('GET', '/oauth2/authorize', (request) => authorize(ctx, request), page);
  router.add('POST', '/oauth2/authorize', (request) => authorize(ctx, request), page);
  router.add('POST', '/oauth2/token', (request) => token(ctx, request), { auth: false });
  router.add('POST', '/oauth2/token/revoke', (request) => revokeToken(ctx, request), { auth: false });

  const bearer = { auth: 'bearer' } as const;
  router.add('GET', '/users/@me', (request) => currentUser(ctx, request), bearer);
  router.add('GET', '/users/@me/guilds', (request) => currentUserGuilds(ctx, request), bearer);
}
