import type { NextAuthConfig } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import Discord from 'next-auth/providers/discord';
import type { PlatformStore } from '../db';
import { type AppSession, sessionUserSchema } from '../session';
import type { Settings } from '../settings';
import { devLoginFor, devLoginInput, devUser } from './dev-login';

export const DEV_LOGIN_PROVIDER = 'dev-login';
const SESSION_DAYS = 7;

/**
 * Auth.js: Discord (scopes `identify guilds`, endpoints from the environment so the Discord simulator
 * can stand in), plus the development login when `settings.devLogin` offers it. Sessions are signed,
 * encrypted JWT cookies holding only ids and a display name; Discord's tokens stay in cp_accounts.
 */
export function authConfig(deps: { platform: PlatformStore; settings: Settings }): NextAuthConfig {
  const { platform, settings } = deps;
  const providers: NextAuthConfig['providers'] = [];
  if (settings.discord) {
    const discord = settings.discord;
    providers.push(
      Discord({
        clientId: discord.clientId,
        clientSecret: discord.clientSecret,
        authorization: { url: discord.authorizationUrl, params: { scope: 'identify guilds' } },
        token: discord.tokenUrl,
        userinfo: discord.userinfoUrl,
        profile: (profile) => ({
          id: profile.id,
          name: profile.global_name ?? profile.username,
          email: null,
          image: profile.avatar
            ? `https://cdn.discordapp.com/avatars/${profile.id}/${profile.avatar}.png?size=64`
            : null,
        }),
      }),
    );
  }
  if (settings.devLogin) {
    providers.push(
      Credentials({
        id: DEV_LOGIN_PROVIDER,
        name: 'Development login',
        credentials: { name: { label: 'Name', type: 'text' } },
        async authorize(credentials) {
          const parsed = devLoginInput.safeParse(credentials);
          if (!parsed.success) return null;
          const user = devUser(parsed.data.name);
          await platform.upsertUser({ id: user.id, name: user.name, image: null });
          return { id: user.id, name: user.name, image: null };
        },
      }),
    );
  }

  return {
    adapter: platform.authAdapter(),
    providers,
    secret: settings.authSecret,
    // JWT sessions: the development login (Credentials) cannot use database sessions.
    session: { strategy: 'jwt', maxAge: SESSION_DAYS * 86_400 },
    pages: { signIn: '/', error: '/' },
    callbacks: {
      async jwt({ token, user, account }) {
        if (account && user?.id) {
          token.sub = user.id;
          if (account.provider === 'discord') {
            token.provider = 'discord';
            token.discordId = account.providerAccountId;
            // Auth.js stores tokens only when it first links the account; keep the newest ones.
            await platform.saveOAuthTokens(
              user.id,
              { provider: 'discord', providerAccountId: account.providerAccountId, type: 'oauth' },
              {
                accessToken: account.access_token ?? null,
                refreshToken: account.refresh_token ?? null,
                expiresAt: account.expires_at ?? null,
                scope: account.scope ?? null,
                tokenType: account.token_type ?? null,
              },
            );
          } else {
            token.provider = 'dev';
            token.discordId = user.id.replace(/^dev-/, '');
          }
        }
        return token;
      },
      session({ session, token }) {
        // Only these fields reach the browser (no email, no tokens); a malformed token is no user.
        const user = sessionUserSchema.safeParse({
          id: token.sub,
          discordId: token.discordId,
          name: token.name ?? 'Unknown',
          image: token.picture ?? null,
          provider: token.provider,
        });
        // A development session counts only where the development login exists (loopback, flag on).
        const valid = user.success && (user.data.provider !== 'dev' || settings.devLogin !== null);
        return valid ? { expires: session.expires, user: user.data } : { expires: session.expires };
      },
    },
  };
}

/** authConfig for one request: the development login only if the request came over loopback. */
export function requestAuthConfig(
  deps: { platform: PlatformStore; settings: Settings },
  headers: Headers,
): NextAuthConfig {
  const devLogin = devLoginFor(deps.settings.devLogin, headers);
  return authConfig({ platform: deps.platform, settings: { ...deps.settings, devLogin } });
}

/** The app's view of an Auth.js session: validated, or null. */
export function toAppSession(session: { user?: unknown } | null): AppSession | null {
  const parsed = sessionUserSchema.safeParse(session?.user);
  return parsed.success ? { user: parsed.data } : null;
}
