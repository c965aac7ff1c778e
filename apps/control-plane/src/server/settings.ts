import { join, resolve } from 'node:path';
import { env } from '../env';
import { type ManagedGuild, parseDevGuilds } from './discord/guilds';
import type { InviteSettings } from './services';

const DISCORD_AUTHORIZE = 'https://discord.com/oauth2/authorize';
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface DiscordAppSettings {
  clientId: string;
  clientSecret: string;
  authorizationUrl: string;
  tokenUrl: string;
  userinfoUrl: string;
  apiUrl: string;
}

/** The process's configuration, derived from the validated environment. */
export interface Settings {
  production: boolean;
  /** The public origin (from AUTH_URL), when set: tRPC refuses requests from any other. */
  publicOrigin: string | null;
  authSecret: string;
  platformDatabase: string;
  economyStorage: string;
  discord: DiscordAppSettings | null;
  devLogin: { guilds: ManagedGuild[] } | null;
  invite: InviteSettings | null;
  /** Shares rate limits between processes. */
  redisUrl: string | null;
  /** Reads guild roles and members from Discord as the bot (role grants at publish). */
  bot: { token: string; apiUrl: string } | null;
}

export function loadSettings(): Settings {
  const production = env.NODE_ENV === 'production';
  if (Boolean(env.AUTH_DISCORD_ID) !== Boolean(env.AUTH_DISCORD_SECRET)) {
    throw new Error('set both AUTH_DISCORD_ID and AUTH_DISCORD_SECRET, or neither');
  }
  const api = env.DISCORD_API_URL.replace(/\/+$/, '');
  const authorizationUrl = env.AUTH_DISCORD_AUTHORIZATION_URL ?? DISCORD_AUTHORIZE;
  const discord =
    env.AUTH_DISCORD_ID && env.AUTH_DISCORD_SECRET
      ? {
          clientId: env.AUTH_DISCORD_ID,
          clientSecret: env.AUTH_DISCORD_SECRET,
          authorizationUrl,
          tokenUrl: env.AUTH_DISCORD_TOKEN_URL ?? `${api}/oauth2/token`,
          userinfoUrl: env.AUTH_DISCORD_USERINFO_URL ?? `${api}/users/@me`,
          apiUrl: api,
        }
      : null;
  if (production && !discord) {
    throw new Error('production needs a Discord application: set AUTH_DISCORD_ID and AUTH_DISCORD_SECRET');
  }
  if (production) {
    // Auth.js marks cookies Secure (and __Secure-/__Host- prefixed) exactly when AUTH_URL is https.
    const url = env.AUTH_URL ? new URL(env.AUTH_URL) : null;
    if (!url) throw new Error('production needs AUTH_URL (the public https URL of the control plane)');
    if (url.protocol !== 'https:' && !LOOPBACK.has(url.hostname)) {
      throw new Error(
        'AUTH_URL must be https in production (plain http only on localhost), so cookies are Secure',
      );
    }
  }
  const dataDir = resolve(env.GUILDMINT_DATA_DIR);
  const applicationId = env.DISCORD_APPLICATION_ID ?? env.AUTH_DISCORD_ID;
  return {
    production,
    publicOrigin: env.AUTH_URL ? new URL(env.AUTH_URL).origin : null,
    authSecret: env.AUTH_SECRET,
    platformDatabase: env.DATABASE_URL ?? `file:${join(dataDir, 'platform.db')}`,
    economyStorage: env.ECONOMY_STORAGE ?? env.DATABASE_URL ?? `file:${join(dataDir, 'economy.db')}`,
    discord,
    // The development login exists only outside production and only without a Discord app.
    devLogin: !production && !discord ? { guilds: parseDevGuilds(env.DEV_LOGIN_GUILDS) } : null,
    invite: applicationId ? { authorizeUrl: authorizationUrl, applicationId } : null,
    redisUrl: env.REDIS_URL ?? null,
    bot: env.DISCORD_BOT_TOKEN ? { token: env.DISCORD_BOT_TOKEN, apiUrl: api } : null,
  };
}
