import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NextAuthConfig } from 'next-auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlatformStore, type PlatformStore } from '../db';
import type { Settings } from '../settings';
import { secretKeyring } from '../webhooks/secret-box';
import { authConfig, DEV_LOGIN_PROVIDER, requestAuthConfig, toAppSession } from './config';
import { devUser, isLoopbackRequest } from './dev-login';

const BASE: Settings = {
  production: false,
  publicOrigin: null,
  authSecret: 'x'.repeat(40),
  platformDatabase: ':memory:',
  economyStorage: ':memory:',
  economyWriterThread: false,
  discord: null,
  devLogin: null,
  invite: null,
  redisUrl: null,
  bot: null,
  stripe: null,
  internalSecret: null,
  unbelievaBoatUrl: null,
  secrets: secretKeyring({ current: undefined, production: false }),
};
const DISCORD = {
  clientId: 'cid',
  clientSecret: 'secret',
  authorizationUrl: 'http://127.0.0.1:9/oauth2/authorize',
  tokenUrl: 'http://127.0.0.1:9/api/oauth2/token',
  userinfoUrl: 'http://127.0.0.1:9/api/v10/users/@me',
  apiUrl: 'http://127.0.0.1:9/api/v10',
};
const DEV_LOGIN = { guilds: [] };
/** What Next.js hands the app for a browser on this machine (it fills X-Forwarded-For from the socket). */
const LOCAL = { host: 'localhost:3000', 'x-forwarded-for': '127.0.0.1' };
/** The same app reached from another machine on the network. */
const REMOTE = { host: '192.168.1.20:3000', 'x-forwarded-for': '192.168.1.35' };

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
    const config = authConfig({ platform, settings: { ...BASE, devLogin: DEV_LOGIN } });
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

  it('offers the development login to a request over loopback only', () => {
    const settings = { ...BASE, discord: DISCORD, devLogin: DEV_LOGIN };
    const ids = (headers: Record<string, string>) =>
      providerIds(requestAuthConfig({ platform, settings }, new Headers(headers)));
    expect(ids(LOCAL)).toEqual(['discord', DEV_LOGIN_PROVIDER]);
    expect(ids({ host: '[::1]:3000', 'x-forwarded-for': '::1' })).toContain(DEV_LOGIN_PROVIDER);
    expect(ids(REMOTE)).toEqual(['discord']);
    // A loopback name over a remote socket, a remote name over a loopback socket, a proxy in between.
    expect(ids({ ...LOCAL, 'x-forwarded-for': '192.168.1.35' })).toEqual(['discord']);
    expect(ids({ ...LOCAL, host: 'guildmint.example' })).toEqual(['discord']);
    expect(ids({ ...LOCAL, 'x-forwarded-host': 'guildmint.example' })).toEqual(['discord']);
    expect(ids({ ...LOCAL, 'x-forwarded-for': '127.0.0.1, 203.0.113.9' })).toEqual(['discord']);
    expect(ids({ host: 'localhost:3000' })).toEqual(['discord']); // no peer address: not known to be local
    // Not configured: absent even over loopback.
    expect(
      providerIds(
        requestAuthConfig({ platform, settings: { ...settings, devLogin: null } }, new Headers(LOCAL)),
      ),
    ).toEqual(['discord']);
  });

  it('knows loopback addresses and host names', () => {
    const local = (host: string, peer: string) =>
      isLoopbackRequest(new Headers({ host, 'x-forwarded-for': peer }));
    expect(local('127.0.0.1:3000', '127.0.0.1')).toBe(true);
    expect(local('127.1.2.3', '::ffff:127.0.0.1')).toBe(true);
    expect(local('LOCALHOST:3000', '::1')).toBe(true);
    expect(local('localhost.guildmint.example', '127.0.0.1')).toBe(false);
    expect(local('128.0.0.1', '127.0.0.1')).toBe(false);
    expect(local('localhost', '10.0.0.1')).toBe(false);
    expect(local('localhost', 'not an address')).toBe(false);
  });

  it('treats a development session as no session where the development login does not exist', async () => {
    const token = { sub: 'dev-1', name: 'Dev', provider: 'dev', discordId: '100000000000000001' };
    const session = (settings: Settings) =>
      authConfig({ platform, settings }).callbacks!.session!({
        session: { expires: '2030-01-01T00:00:00.000Z' },
        token,
      } as unknown as SessionArgs);
    expect(toAppSession(await session({ ...BASE, devLogin: DEV_LOGIN }))?.user.provider).toBe('dev');
    expect(toAppSession(await session(BASE))).toBeNull();
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
