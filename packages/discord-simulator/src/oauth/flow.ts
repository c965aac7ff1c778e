import type { SimContext } from '../context.js';
import type { RouteResult } from '../rest/router.js';

// What the login (authorize.ts) and bot-invite (invite.ts) flows share.

/** RFC 7636: a S256 challenge is the base64url SHA-256 of the verifier, 43 characters. */
export const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** A human user by id or by username. */
export function findUser(ctx: SimContext, idOrName: string | null): string | null {
  if (!idOrName) return null;
  const humans = ctx.oauth.humans();
  return (humans.find((u) => u.id === idOrName) ?? humans.find((u) => u.username === idOrName))?.id ?? null;
}

export function redirect(uri: string, params: Record<string, string>, state: string | null): RouteResult {
  const url = new URL(uri);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  if (state !== null) url.searchParams.set('state', state);
  return { status: 302, headers: { location: url.toString(), 'cache-control': 'no-store' } };
}
