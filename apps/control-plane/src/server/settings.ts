import { join, resolve } from 'node:path';
import type { ClusterStorage } from '@guildmint/sdk';
import { env, productionBuild } from '../env';
import { platformDatabaseUrl } from './db/location';
import { versionedDiscordApi } from './discord/api';
import { type ManagedGuild, parseDevGuilds } from './discord/guilds';
import { isLoopbackUrl } from './loopback';
import { parseClusters } from './sdk';
import type { InviteSettings } from './services';
import { type SecretKeyring, secretKeyring } from './webhooks/secret-box';

const DISCORD_AUTHORIZE = 'https://discord.com/oauth2/authorize';

export interface DiscordAppSettings {
  clientId: string;
  clientSecret: string;
  authorizationUrl: string;
  tokenUrl: string;
  userinfoUrl: string;
  /** Discord's REST API with its version (`…/api/v10`), called with users' OAuth2 tokens only. */
  apiUrl: string;
}

/** The process's configuration, derived from the validated environment. */
export interface Settings {
  production: boolean;
  /** The public origin (from AUTH_URL), when set: tRPC refuses requests from any other. */
  publicOrigin: string | null;
  authSecret: string;
  platformDatabase: string;
  /** A storage URL, or tenants across PostgreSQL clusters (GUILDMINT_CLUSTERS). */
  economyStorage: string | ClusterStorage;
  /**
   * A `file:` economy's writer on its own thread (GUILDMINT_ECONOMY_WRITER_THREAD, the SDK's `writerThread`).
   * API v1 is served from the server's one JavaScript thread; inline, SQLite's statements and fsyncs run there
   * too. The hop between threads costs CPU of its own, so it pays where a core is left for the thread: on a
   * quiet 2-core machine bench:api's pay went from 2,041 to 2,306 a second on one key and from 1,779 to 2,252
   * on 100 (medians of three alternated runs); on one loaded by other work it measured no faster. Measure a
   * machine with `pnpm bench:api --writer-thread on|off`. PostgreSQL and clusters are unaffected.
   */
  economyWriterThread: boolean;
  discord: DiscordAppSettings | null;
  /** The development login, when enabled; each request must still come over loopback (auth/dev-login.ts). */
  devLogin: { guilds: ManagedGuild[] } | null;
  invite: InviteSettings | null;
  /** Shares rate limits between processes. */
  redisUrl: string | null;
  /** Reads guild roles and members from Discord as the bot (role grants at publish), DMs owners (billing). */
  bot: { token: string; apiUrl: string } | null;
  /** Stripe Billing for plans; null: no upgrades offered, and the webhook answers 503. */
  stripe: StripeSettings | null;
  /** What the bot runtime presents to the internal packs endpoint (null: the endpoint is off). */
  internalSecret: string | null;
  /** UnbelievaBoat's API base for imports; null: its public API. */
  unbelievaBoatUrl: string | null;
  /** Seals webhook endpoint secrets at rest (GUILDMINT_SECRETS_KEY; a production build refuses to start without it). */
  secrets: SecretKeyring;
}

export interface StripeSettings {
  secretKey: string;
  /** Platform endpoint's secret first, then the Connect endpoint's when set. */
  webhookSecrets: string[];
  apiUrl: string;
  graceDays: number;
}

export function loadSettings(): Settings {
  const production = productionBuild;
  if (Boolean(env.AUTH_DISCORD_ID) !== Boolean(env.AUTH_DISCORD_SECRET)) {
    throw new Error('set both AUTH_DISCORD_ID and AUTH_DISCORD_SECRET, or neither');
  }
  const api = versionedDiscordApi(env.DISCORD_OAUTH_API_URL);
  const authorizationUrl = env.AUTH_DISCORD_AUTHORIZATION_URL ?? DISCORD_AUTHORIZE;
  const discord =
    env.AUTH_DISCORD_ID && env.AUTH_DISCORD_SECRET
      ? {
          clientId: env.AUTH_DISCORD_ID,
          clientSecret: env.AUTH_DISCORD_SECRET,
          authorizationUrl,
          tokenUrl: `${api}/oauth2/token`,
          userinfoUrl: `${api}/users/@me`,
          apiUrl: api,
        }
      : null;
  if (production && !discord) {
    throw new Error('production needs a Discord application: set AUTH_DISCORD_ID and AUTH_DISCORD_SECRET');
  }
  if (production) {
    // Auth.js marks cookies Secure (and __Secure-/__Host- prefixed) exactly when AUTH_URL is https.
    if (!env.AUTH_URL)
      throw new Error('production needs AUTH_URL (the public https URL of the control plane)');
    requireHttps('AUTH_URL', env.AUTH_URL, 'so cookies are Secure');
    // Users' OAuth2 tokens and the client secret travel to these.
    requireHttps('DISCORD_OAUTH_API_URL', env.DISCORD_OAUTH_API_URL, 'users’ Discord tokens travel there');
    requireHttps('AUTH_DISCORD_AUTHORIZATION_URL', authorizationUrl, 'the login starts there');
  }
  if (Boolean(env.STRIPE_SECRET_KEY) !== Boolean(env.STRIPE_WEBHOOK_SECRET)) {
    // A key without the webhook's secret would take payments whose plans never arrive.
    throw new Error('set both STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, or neither');
  }
  if (production && env.STRIPE_SECRET_KEY) {
    requireHttps('STRIPE_API_URL', env.STRIPE_API_URL, 'the Stripe secret key travels there');
  }
  if (production && env.UNBELIEVABOAT_API_URL) {
    requireHttps(
      'UNBELIEVABOAT_API_URL',
      env.UNBELIEVABOAT_API_URL,
      'owners’ UnbelievaBoat tokens travel there',
    );
  }
  const dataDir = resolve(env.GUILDMINT_DATA_DIR);
  const applicationId = env.DISCORD_APPLICATION_ID ?? env.AUTH_DISCORD_ID;
  return {
    production,
    publicOrigin: env.AUTH_URL ? new URL(env.AUTH_URL).origin : null,
    authSecret: env.AUTH_SECRET,
    platformDatabase: platformDatabaseUrl({ databaseUrl: env.DATABASE_URL, dataDir }),
    economyStorage: env.GUILDMINT_CLUSTERS
      ? { clusters: parseClusters(env.GUILDMINT_CLUSTERS) }
      : (env.ECONOMY_STORAGE ?? env.DATABASE_URL ?? `file:${join(dataDir, 'economy.db')}`),
    economyWriterThread: env.GUILDMINT_ECONOMY_WRITER_THREAD === '1',
    discord,
    devLogin: devLoginEnabled(production) ? { guilds: parseDevGuilds(env.DEV_LOGIN_GUILDS) } : null,
    invite: applicationId ? { authorizeUrl: authorizationUrl, applicationId } : null,
    redisUrl: env.REDIS_URL ?? null,
    bot: env.DISCORD_BOT_TOKEN ? { token: env.DISCORD_BOT_TOKEN, apiUrl: api } : null,
    stripe:
      env.STRIPE_SECRET_KEY && env.STRIPE_WEBHOOK_SECRET
        ? {
            secretKey: env.STRIPE_SECRET_KEY,
            webhookSecrets: [
              env.STRIPE_WEBHOOK_SECRET,
              ...(env.STRIPE_CONNECT_WEBHOOK_SECRET ? [env.STRIPE_CONNECT_WEBHOOK_SECRET] : []),
            ],
            apiUrl: env.STRIPE_API_URL,
            graceDays: env.BILLING_GRACE_DAYS,
          }
        : null,
    internalSecret: env.GUILDMINT_INTERNAL_SECRET ?? null,
    unbelievaBoatUrl: env.UNBELIEVABOAT_API_URL ?? null,
    secrets: secretKeyring({
      current: env.GUILDMINT_SECRETS_KEY,
      previous: env.GUILDMINT_SECRETS_KEY_PREVIOUS,
      production,
    }),
  };
}

/** Plain http only where it cannot leave the machine (a loopback host: the simulator, a local proxy). */
function requireHttps(name: string, url: string, why: string): void {
  if (new URL(url).protocol !== 'https:' && !isLoopbackUrl(url)) {
    throw new Error(`${name} must be https in production (plain http only on a loopback address): ${why}`);
  }
}

/**
 * The development login is on only when asked for (GUILDMINT_DEV_LOGIN=1), never in a production build,
 * and only for an app whose public URL, if set, is on loopback. A flag that cannot apply is said, not obeyed.
 */
function devLoginEnabled(production: boolean): boolean {
  if (env.GUILDMINT_DEV_LOGIN !== '1') return false;
  const refusal = production
    ? 'this is a production build'
    : env.AUTH_URL && !isLoopbackUrl(env.AUTH_URL)
      ? `AUTH_URL (${env.AUTH_URL}) is not a loopback address`
      : null;
  if (refusal) console.warn(`GUILDMINT_DEV_LOGIN=1 ignored: ${refusal}; the development login stays off.`);
  return refusal === null;
}
