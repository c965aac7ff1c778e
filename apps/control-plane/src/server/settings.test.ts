import { afterEach, describe, expect, it, vi } from 'vitest';

// settings.ts reads the validated environment (env.ts) when imported: each case sets the
// variables, then imports a fresh copy. NODE_ENV stands for the build: Next.js fixes it when it
// compiles the app, and env.ts reads it once, at import (productionBuild).
const KEYS = [
  'NODE_ENV',
  'AUTH_SECRET',
  'AUTH_URL',
  'AUTH_DISCORD_ID',
  'AUTH_DISCORD_SECRET',
  'AUTH_DISCORD_AUTHORIZATION_URL',
  'DATABASE_URL',
  'GUILDMINT_DATA_DIR',
  'GUILDMINT_DEV_LOGIN',
  'DISCORD_OAUTH_API_URL',
  'DISCORD_API_URL',
  'GUILDMINT_SECRETS_KEY',
  'GUILDMINT_CLUSTERS',
  'GUILDMINT_ECONOMY_WRITER_THREAD',
] as const;
const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));

async function load(vars: Partial<Record<(typeof KEYS)[number], string>>) {
  for (const key of KEYS) delete process.env[key];
  Object.assign(process.env, vars);
  vi.resetModules();
  const { loadSettings } = await import('./settings');
  return loadSettings;
}

afterEach(() => {
  for (const key of KEYS) delete process.env[key];
  Object.assign(process.env, Object.fromEntries(Object.entries(saved).filter(([, v]) => v !== undefined)));
  vi.restoreAllMocks();
});

const SECRET = 's'.repeat(40);
const DISCORD = { AUTH_DISCORD_ID: '123', AUTH_DISCORD_SECRET: 'shh' };
const DEV = { NODE_ENV: 'development', AUTH_SECRET: SECRET } as const;
const PRODUCTION = {
  NODE_ENV: 'production',
  AUTH_SECRET: SECRET,
  ...DISCORD,
  AUTH_URL: 'https://cp.example',
  GUILDMINT_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
};
/** The secret `next dev` used when AUTH_SECRET was unset: public, in the repository's history. */
const OLD_DEFAULT_SECRET = 'development-only-secret-do-not-use-in-production';

describe('settings', () => {
  it('development: libSQL files in the data dir, no development login unless asked for', async () => {
    const settings = (await load({ ...DEV, GUILDMINT_DATA_DIR: '/tmp/gm-data' }))();
    expect(settings.devLogin).toBeNull();
    expect(settings.discord).toBeNull();
    expect(settings.platformDatabase).toBe('file:/tmp/gm-data/platform.db');
    expect(settings.economyStorage).toBe('file:/tmp/gm-data/economy.db');
    expect(settings.economyWriterThread).toBe(true);
  });

  it("a file: economy's writer thread is on unless GUILDMINT_ECONOMY_WRITER_THREAD=0; other values refused", async () => {
    expect((await load({ ...DEV, GUILDMINT_ECONOMY_WRITER_THREAD: '0' }))().economyWriterThread).toBe(false);
    expect((await load({ ...DEV, GUILDMINT_ECONOMY_WRITER_THREAD: '1' }))().economyWriterThread).toBe(true);
    await expect(load({ ...DEV, GUILDMINT_ECONOMY_WRITER_THREAD: 'yes' })).rejects.toThrow(
      /GUILDMINT_ECONOMY_WRITER_THREAD/,
    );
  });

  it('has no default AUTH_SECRET: without one (or with a short one) nothing starts, in any build', async () => {
    await expect(load({ NODE_ENV: 'development' })).rejects.toThrow(/AUTH_SECRET/);
    await expect(load({ NODE_ENV: 'test', GUILDMINT_DEV_LOGIN: '1' })).rejects.toThrow(/AUTH_SECRET/);
    await expect(load({ NODE_ENV: 'development', AUTH_SECRET: 'short' })).rejects.toThrow(/32/);
    const settings = (await load({ ...DEV, AUTH_SECRET: SECRET }))();
    expect(settings.authSecret).toBe(SECRET);
    expect(settings.authSecret).not.toBe(OLD_DEFAULT_SECRET);
  });

  it('offers the development login only with GUILDMINT_DEV_LOGIN=1, beside Discord too, and on loopback', async () => {
    expect((await load({ ...DEV, GUILDMINT_DEV_LOGIN: '1' }))().devLogin?.guilds.length).toBeGreaterThan(0);
    const withDiscord = (await load({ ...DEV, ...DISCORD, GUILDMINT_DEV_LOGIN: '1' }))();
    expect(withDiscord.discord).not.toBeNull();
    expect(withDiscord.devLogin).not.toBeNull();
    const local = { ...DEV, GUILDMINT_DEV_LOGIN: '1', AUTH_URL: 'http://localhost:3000' };
    expect((await load(local))().devLogin).not.toBeNull();
    // Anything but `1` is a configuration error, not a quiet "on".
    await expect(load({ ...DEV, GUILDMINT_DEV_LOGIN: 'true' })).rejects.toThrow(/GUILDMINT_DEV_LOGIN/);

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const remote = { ...DEV, GUILDMINT_DEV_LOGIN: '1', AUTH_URL: 'http://192.168.1.20:3000' };
    expect((await load(remote))().devLogin).toBeNull();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/ignored: AUTH_URL .* not a loopback/));
  });

  it('never offers the development login in a production build, whatever the flag says', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const settings = (await load({ ...PRODUCTION, GUILDMINT_DEV_LOGIN: '1' }))();
    expect(settings.production).toBe(true);
    expect(settings.devLogin).toBeNull();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/ignored: this is a production build/));
  });

  it('calls Discord on API v10 at DISCORD_OAUTH_API_URL, never at the bot’s DISCORD_API_URL', async () => {
    const settings = (
      await load({
        ...DEV,
        ...DISCORD,
        DISCORD_OAUTH_API_URL: 'http://127.0.0.1:9999/api/',
        DISCORD_API_URL: 'http://127.0.0.1:7777/proxy',
      })
    )();
    expect(settings.discord).toMatchObject({
      tokenUrl: 'http://127.0.0.1:9999/api/v10/oauth2/token',
      userinfoUrl: 'http://127.0.0.1:9999/api/v10/users/@me',
      apiUrl: 'http://127.0.0.1:9999/api/v10',
    });
    expect(JSON.stringify(settings)).not.toContain('7777');
    expect(settings.invite?.applicationId).toBe('123');
    const real = (await load({ ...DEV, ...DISCORD }))();
    expect(real.discord?.apiUrl).toBe('https://discord.com/api/v10');
    // The version is the control plane's to set: a base that names one is refused.
    expect(await load({ ...DEV, ...DISCORD, DISCORD_OAUTH_API_URL: 'https://discord.com/api/v9' })).toThrow(
      /must not name an API version/,
    );
  });

  it('PostgreSQL holds both the platform tables and the economy when DATABASE_URL is set', async () => {
    const url = 'postgres://postgres@127.0.0.1:5432/guildmint';
    const settings = (await load({ ...DEV, DATABASE_URL: url }))();
    expect([settings.platformDatabase, settings.economyStorage]).toEqual([url, url]);
  });

  it('GUILDMINT_CLUSTERS places the economy across PostgreSQL clusters; the platform tables stay where they were', async () => {
    const url = 'postgres://postgres@127.0.0.1:5432/guildmint';
    const settings = (
      await load({
        ...DEV,
        DATABASE_URL: url,
        GUILDMINT_CLUSTERS: `a=${url};b=postgres://postgres@127.0.0.1:5433/b`,
      })
    )();
    expect(settings.platformDatabase).toBe(url);
    expect(settings.economyStorage).toEqual({
      clusters: { a: url, b: 'postgres://postgres@127.0.0.1:5433/b' },
    });
    expect(await load({ ...DEV, GUILDMINT_CLUSTERS: 'a=file:economy.db' })).toThrow(/GUILDMINT_CLUSTERS/);
  });

  it('production refuses what would weaken it: no Discord app, plain http to the public or to Discord', async () => {
    const { AUTH_DISCORD_ID: _, AUTH_DISCORD_SECRET: __, ...withoutDiscord } = PRODUCTION;
    expect(await load(withoutDiscord)).toThrow(/Discord application/);
    const { GUILDMINT_SECRETS_KEY: ___, ...withoutSecretsKey } = PRODUCTION;
    expect(await load(withoutSecretsKey)).toThrow(/GUILDMINT_SECRETS_KEY is required in production/);
    expect(await load({ ...PRODUCTION, AUTH_URL: 'http://cp.example' })).toThrow(/AUTH_URL must be https/);
    expect(await load({ ...PRODUCTION, DISCORD_OAUTH_API_URL: 'http://discord.example/api' })).toThrow(
      /DISCORD_OAUTH_API_URL must be https/,
    );
    expect(
      await load({
        ...PRODUCTION,
        AUTH_DISCORD_AUTHORIZATION_URL: 'http://discord.example/oauth2/authorize',
      }),
    ).toThrow(/AUTH_DISCORD_AUTHORIZATION_URL must be https/);
    // Plain http stays possible on loopback (the simulator, a local proxy): nothing leaves the machine.
    const local = (await load({ ...PRODUCTION, DISCORD_OAUTH_API_URL: 'http://127.0.0.1:9999/api' }))();
    expect(local.discord?.apiUrl).toBe('http://127.0.0.1:9999/api/v10');
    const ok = (await load(PRODUCTION))();
    expect(ok.devLogin).toBeNull();
    expect(ok.publicOrigin).toBe('https://cp.example');
  });
});
