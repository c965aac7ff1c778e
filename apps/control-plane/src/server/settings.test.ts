import { afterEach, describe, expect, it, vi } from 'vitest';

// settings.ts reads the validated environment (env.ts) when imported: each case sets the
// variables, then imports a fresh copy.
const KEYS = [
  'NODE_ENV',
  'AUTH_SECRET',
  'AUTH_URL',
  'AUTH_DISCORD_ID',
  'AUTH_DISCORD_SECRET',
  'DATABASE_URL',
  'GUILDMINT_DATA_DIR',
  'DISCORD_API_URL',
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
});

const SECRET = 's'.repeat(40);
const DISCORD = { AUTH_DISCORD_ID: '123', AUTH_DISCORD_SECRET: 'shh' };

describe('settings', () => {
  it('development without a Discord app: dev login on, libSQL files in the data dir', async () => {
    const settings = (await load({ NODE_ENV: 'development', GUILDMINT_DATA_DIR: '/tmp/gm-data' }))();
    expect(settings.devLogin?.guilds.length).toBeGreaterThan(0);
    expect(settings.discord).toBeNull();
    expect(settings.platformDatabase).toBe('file:/tmp/gm-data/platform.db');
    expect(settings.economyStorage).toBe('file:/tmp/gm-data/economy.db');
  });

  it('Discord endpoints follow DISCORD_API_URL (the simulator) unless given one by one', async () => {
    const settings = (
      await load({ NODE_ENV: 'development', ...DISCORD, DISCORD_API_URL: 'http://127.0.0.1:9999/api/' })
    )();
    expect(settings.devLogin).toBeNull();
    expect(settings.discord).toMatchObject({
      tokenUrl: 'http://127.0.0.1:9999/api/oauth2/token',
      userinfoUrl: 'http://127.0.0.1:9999/api/users/@me',
      apiUrl: 'http://127.0.0.1:9999/api',
    });
    expect(settings.invite?.applicationId).toBe('123');
  });

  it('PostgreSQL holds both the platform tables and the economy when DATABASE_URL is set', async () => {
    const url = 'postgres://postgres@127.0.0.1:5432/guildmint';
    const settings = (await load({ NODE_ENV: 'development', DATABASE_URL: url }))();
    expect([settings.platformDatabase, settings.economyStorage]).toEqual([url, url]);
  });

  it('production refuses what would weaken it: no secret, no Discord app, plain-http AUTH_URL', async () => {
    await expect(
      load({ NODE_ENV: 'production', ...DISCORD, AUTH_URL: 'https://cp.example' }),
    ).rejects.toThrow();
    expect(
      await load({ NODE_ENV: 'production', AUTH_SECRET: SECRET, AUTH_URL: 'https://cp.example' }),
    ).toThrow(/Discord application/);
    expect(
      await load({ NODE_ENV: 'production', AUTH_SECRET: SECRET, ...DISCORD, AUTH_URL: 'http://cp.example' }),
    ).toThrow(/https/);
    const ok = (
      await load({ NODE_ENV: 'production', AUTH_SECRET: SECRET, ...DISCORD, AUTH_URL: 'https://cp.example' })
    )();
    expect(ok.devLogin).toBeNull();
    expect(ok.publicOrigin).toBe('https://cp.example');
  });
});
