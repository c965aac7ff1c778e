import type { DiscordSimulator } from '@guildmint/discord-simulator';
import { vi } from 'vitest';
import type { PlatformStore } from '../../src/server/db';
import type { SessionUser } from '../../src/server/session';
import type { DiscordAppSettings } from '../../src/server/settings';

/** The redirect URI the helpers below register and log in with. */
export const CALLBACK = 'http://localhost:3000/api/auth/callback/discord';

/**
 * The control plane's Discord settings for a simulator, derived the way a started app derives them: the
 * simulator's `oauthEnv()` (what `pnpm dev` and the browser test set) through env.ts and loadSettings().
 */
export async function discordSettingsFor(sim: DiscordSimulator): Promise<DiscordAppSettings> {
  const vars: Record<string, string> = { ...sim.oauthEnv(), AUTH_SECRET: 'x'.repeat(40) };
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    vi.resetModules();
    const { loadSettings } = await import('../../src/server/settings');
    const { discord } = loadSettings();
    if (!discord) throw new Error('oauthEnv() configured no Discord application');
    return discord;
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/**
 * A simulator user logs in as Auth.js does it (authorize → code → token exchange), and the app keeps the
 * tokens as its jwt callback does: the platform user and session user for that Discord account.
 */
export async function discordLogin(
  sim: DiscordSimulator,
  platform: PlatformStore,
  user: { id: string; name: string },
  now: () => number,
): Promise<SessionUser> {
  const authorize = new URL(sim.oauthEndpoints.authorization);
  authorize.search = new URLSearchParams({
    client_id: sim.applicationId,
    response_type: 'code',
    redirect_uri: CALLBACK,
    scope: 'identify guilds',
    login_hint: user.id,
  }).toString();
  const redirect = await fetch(authorize, { redirect: 'manual' });
  const code = new URL(redirect.headers.get('location') ?? '').searchParams.get('code');
  if (!code) throw new Error(`the simulator did not log ${user.name} in (${redirect.status})`);
  const response = await fetch(sim.oauthEndpoints.token, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      client_id: sim.applicationId,
      client_secret: sim.clientSecret,
    }),
  });
  const tokens = (await response.json()) as {
    access_token: string;
    refresh_token: string;
    expires_in: number;
    scope: string;
  };
  const id = `discord-${user.id}`;
  await platform.upsertUser({ id, name: user.name, image: null });
  await platform.saveOAuthTokens(
    id,
    { provider: 'discord', providerAccountId: user.id, type: 'oauth' },
    {
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      expiresAt: Math.floor(now() / 1000) + tokens.expires_in,
      scope: tokens.scope,
      tokenType: 'bearer',
    },
  );
  return { id, discordId: user.id, name: user.name, image: null, provider: 'discord' };
}
