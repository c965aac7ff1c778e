import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NextAuthConfig } from 'next-auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlatformStore, type PlatformStore } from '../db';
import type { Settings } from '../settings';
import { authConfig, DEV_LOGIN_PROVIDER, toAppSession } from './config';
import { devUser } from './dev-login';

const BASE: Settings = {
  production: false,
  publicOrigin: null,
  authSecret: 'x'.repeat(40),
  platformDatabase: ':memory:',
  economyStorage: ':memory:',
  discord: null,
  devLogin: null,
  invite: null,
  redisUrl: null,
  bot: null,
};
const DISCORD = {
  clientId: 'cid',
  clientSecret: 'secret',
  authorizationUrl: 'http://127.0.0.1:9/oauth2/authorize',
  tokenUrl: 'http://127.0.0.1:9/api/oauth2/token',
  userinfoUrl: 'http://127.0.0.1:9/api/users/@me',
  apiUrl: 'http://127.0.0.1:9/api',
};

type Callbacks = NonNullable<NextAuthConfig['callbacks']>;
type JwtArgs = Parameters<NonNullable<Callbacks['jwt']>>[0];
type SessionArgs = Parameters<NonNullable<Callbacks['session']>>[0];

/** Provider ids as Auth.js resolves them (options override the provider's defaults). */
function providerIds(config: NextAuthConfig): string[] {
  return (config.providers ?? []).map((p) => {
    const provider = (typeof p === 'function' ? p() : p) as { id: string; options?: { id?: string } };
    return provider.options?.id ?? provider.id;
  });
}

describe('Auth.js configuration', () => {
  let dir: string;
  let platform: PlatformStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'guildmint-auth-'));
    platform = openPlatformStore(`file:${join(dir, 'p.db')}`);
    await platform.migrate();
  });
  afterAll(async () => {
    await platform.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('offers Discord with scopes `identify guilds` at the configured endpoints, and no dev login beside it', () => {
    const config = authConfig({ platform, settings: { ...BASE, discord: DISCORD } });
    expect(providerIds(config)).toEqual(['discord']);
    const discord = config.providers[0] as unknown as {
      options: { authorization: { url: string; params: { scope: string } }; token: string; userinfo: string };
    };
    expect(discord.options.authorization).toEqual({
      url: DISCORD.authorizationUrl,
      params: { scope: 'identify guilds' },
    });
    expect(discord.options.token).toBe(DISCORD.tokenUrl);
    expect(discord.options.userinfo).toBe(DISCORD.userinfoUrl);
    expect(config.session?.strategy).toBe('jwt');
  });

  it('offers the development login only when configured, and it registers the user', async () => {
    const config = authConfig({ platform, settings: { ...BASE, devLogin: { guilds: [] } } });
    expect(providerIds(config)).toEqual([DEV_LOGIN_PROVIDER]);
    const credentials = config.providers[0] as unknown as {
      options: { authorize: (c: Record<string, unknown>) => Promise<{ id: string; name: string } | null> };
    };
    const user = await credentials.options.authorize({ name: ' Ada ' });
    expect(user).toMatchObject({ id: devUser('Ada').id, name: 'Ada' });
    expect((await platform.user(devUser('Ada').id))?.name).toBe('Ada');
    expect(await credentials.options.authorize({ name: '' })).toBeNull();
    expect(await credentials.options.authorize({})).toBeNull();
  });

  it('keeps Discord tokens on the server and puts only ids and a name in the session', async () => {
    const config = authConfig({ platform, settings: { ...BASE, discord: DISCORD } });
    await platform.upsertUser({ id: 'u-1', name: 'Grace', image: null });
    const token = await config.callbacks!.jwt!({
      token: { name: 'Grace', picture: null },
      user: { id: 'u-1', name: 'Grace' },
      account: {
        provider: 'discord',
        type: 'oauth',
        providerAccountId: '123456789012345678',
        access_token: 'at-secret',
        refresh_token: 'rt-secret',
        expires_at: 2_000_000_000,
        token_type: 'bearer',
        scope: 'identify guilds',
      },
    } as JwtArgs);
    expect(JSON.stringify(token)).not.toContain('secret');
    expect(await platform.oauthLink('u-1', 'discord')).toMatchObject({
      accessToken: 'at-secret',
      refreshToken: 'rt-secret',
    });

    const session = await config.callbacks!.session!({
      session: { expires: '2030-01-01T00:00:00.000Z', user: { email: 'leak@example.com' } },
      token,
    } as unknown as SessionArgs);
    expect(session).toEqual({
      expires: '2030-01-01T00:00:00.000Z',
      user: { id: 'u-1', discordId: '123456789012345678', name: 'Grace', image: null, provider: 'discord' },
    });
    expect(toAppSession(session)?.user.discordId).toBe('123456789012345678');
  });

  it('turns a token without the app’s fields into no session', async () => {
    const config = authConfig({ platform, settings: BASE });
    const session = await config.callbacks!.session!({
      session: { expires: '2030-01-01T00:00:00.000Z' },
      token: { sub: 'x' },
    } as unknown as SessionArgs);
    expect(toAppSession(session)).toBeNull();
  });
});
