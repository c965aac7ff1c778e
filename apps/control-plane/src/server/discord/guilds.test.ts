import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlatformStore, type PlatformStore } from '../db';
import { DiscordAuthError, DiscordGuildDirectory, parseDevGuilds } from './guilds';
import { botInviteUrl, canManageGuild } from './permissions';

const SETTINGS = {
  apiUrl: 'https://discord.test/api/v10',
  tokenUrl: 'https://discord.test/api/v10/oauth2/token',
  clientId: 'cid',
  clientSecret: 'csecret',
};

describe('manageable guilds', () => {
  it('counts the owner and MANAGE_GUILD (0x20), nothing else', () => {
    expect(canManageGuild({ owner: true, permissions: '0' })).toBe(true);
    expect(canManageGuild({ owner: false, permissions: '32' })).toBe(true);
    expect(canManageGuild({ owner: false, permissions: String(0x20 | 0x8) })).toBe(true);
    expect(canManageGuild({ owner: false, permissions: String(0x8 | 0x10) })).toBe(false);
    expect(canManageGuild({ owner: false, permissions: 'nope' })).toBe(false);
    // Beyond 2^53: permissions are parsed as bigint.
    expect(canManageGuild({ owner: false, permissions: (2n ** 60n + 32n).toString() })).toBe(true);
  });

  it('builds the bot invite link', () => {
    const url = new URL(
      botInviteUrl({
        authorizeUrl: 'https://discord.com/oauth2/authorize',
        applicationId: '42',
        guildId: '7',
      }),
    );
    expect(url.searchParams.get('client_id')).toBe('42');
    expect(url.searchParams.get('scope')).toBe('bot applications.commands');
    expect(url.searchParams.get('guild_id')).toBe('7');
    expect(Number(url.searchParams.get('permissions'))).toBeGreaterThan(0);
  });

  it('parses DEV_LOGIN_GUILDS and refuses a malformed entry', () => {
    expect(parseDevGuilds('1:One, 2:Two: the sequel')).toEqual([
      { id: '1', name: 'One', icon: null, owner: true },
      { id: '2', name: 'Two: the sequel', icon: null, owner: true },
    ]);
    expect(() => parseDevGuilds('x:Nope')).toThrow(/DEV_LOGIN_GUILDS/);
  });
});

describe('DiscordGuildDirectory', () => {
  let dir: string;
  let store: PlatformStore;
  let now = 1_000_000_000_000;
  const calls: Array<{ url: string; auth: string | null; body: string | null }> = [];
  let guildsStatus = 200;

  const fakeFetch: typeof fetch = async (input, init) => {
    const url = String(input);
    const headers = new Headers(init?.headers);
    calls.push({ url, auth: headers.get('authorization'), body: init?.body ? String(init.body) : null });
    if (url.endsWith('/oauth2/token')) {
      return Response.json({
        access_token: 'fresh',
        refresh_token: 'r2',
        expires_in: 604800,
        token_type: 'Bearer',
      });
    }
    if (guildsStatus !== 200) return new Response('{}', { status: guildsStatus });
    return Response.json([
      { id: '1', name: 'Owned', icon: 'abc', owner: true, permissions: '0' },
      { id: '2', name: 'Managed', icon: null, owner: false, permissions: '32' },
      { id: '3', name: 'Member only', icon: null, owner: false, permissions: '1024' },
    ]);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'guildmint-guilds-'));
    store = openPlatformStore(`file:${join(dir, 'p.db')}`);
    await store.migrate();
    await store.upsertUser({ id: 'u', name: 'U', image: null });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks Discord with the stored token, keeps manageable guilds, and caches for a minute', async () => {
    await store.saveOAuthTokens(
      'u',
      { provider: 'discord', providerAccountId: '77', type: 'oauth' },
      {
        accessToken: 'tok',
        refreshToken: 'r1',
        expiresAt: now / 1000 + 3600,
        scope: 'identify guilds',
        tokenType: 'Bearer',
      },
    );
    const directory = new DiscordGuildDirectory(store, SETTINGS, fakeFetch, () => now);
    const guilds = await directory.managed({ id: 'u', provider: 'discord' });
    expect(guilds.map((g) => g.name)).toEqual(['Owned', 'Managed']);
    expect(guilds[0]!.icon).toBe('https://cdn.discordapp.com/icons/1/abc.png?size=64');
    expect(calls.at(-1)).toMatchObject({
      url: 'https://discord.test/api/v10/users/@me/guilds',
      auth: 'Bearer tok',
    });
    const count = calls.length;
    await directory.managed({ id: 'u', provider: 'discord' });
    expect(calls.length).toBe(count);
    await directory.managed({ id: 'u', provider: 'discord' }, { fresh: true });
    expect(calls.length).toBe(count + 1);
  });

  it('refreshes an expired token first and stores the new one', async () => {
    now += 7200 * 1000;
    const directory = new DiscordGuildDirectory(store, SETTINGS, fakeFetch, () => now);
    await directory.managed({ id: 'u', provider: 'discord' });
    const [refresh, list] = calls.slice(-2);
    expect(refresh!.url).toBe(SETTINGS.tokenUrl);
    expect(new URLSearchParams(refresh!.body!).get('refresh_token')).toBe('r1');
    expect(list!.auth).toBe('Bearer fresh');
    expect(await store.oauthLink('u', 'discord')).toMatchObject({ accessToken: 'fresh', refreshToken: 'r2' });
  });

  it('turns a rejected token into DiscordAuthError (log in again)', async () => {
    guildsStatus = 401;
    const directory = new DiscordGuildDirectory(store, SETTINGS, fakeFetch, () => now);
    await expect(directory.managed({ id: 'u', provider: 'discord' })).rejects.toBeInstanceOf(
      DiscordAuthError,
    );
    await expect(directory.managed({ id: 'nobody', provider: 'discord' })).rejects.toBeInstanceOf(
      DiscordAuthError,
    );
    guildsStatus = 200;
  });
});
