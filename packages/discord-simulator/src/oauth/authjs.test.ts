import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordSimulator } from '../index.js';

// Auth.js's real Discord provider (the one the control plane uses, from @auth/core) logging in against the
// simulator: sign-in redirect → the simulator's authorize → callback → token exchange → userinfo → session.
// @auth/core is not a dependency of this package; the test borrows the workspace's copy (next-auth's) from
// pnpm's store and skips, saying so, when there is none.

interface AuthCore {
  Auth(request: Request, config: Record<string, unknown>): Promise<Response>;
}
type DiscordProvider = (options: Record<string, unknown>) => unknown;

const ORIGIN = 'http://localhost:3000';

async function loadAuthCore(): Promise<{ core: AuthCore; Discord: DiscordProvider } | null> {
  const store = fileURLToPath(new URL('../../../../node_modules/.pnpm/', import.meta.url));
  if (!existsSync(store)) return null;
  const dir = readdirSync(store)
    .filter((name) => name.startsWith('@auth+core@'))
    .sort()
    .at(-1);
  if (!dir) return null;
  const root = join(store, dir, 'node_modules/@auth/core');
  const core = (await import(pathToFileURL(join(root, 'index.js')).href)) as AuthCore;
  const provider = (await import(pathToFileURL(join(root, 'providers/discord.js')).href)) as {
    default: DiscordProvider;
  };
  return { core, Discord: provider.default };
}

const authjs = await loadAuthCore();
if (!authjs) console.warn('SKIPPED: Auth.js against the simulator — no @auth/core in node_modules/.pnpm');

/** A cookie jar as a browser on ORIGIN keeps it. */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  }
  get header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

let sim: DiscordSimulator | undefined;
afterEach(async () => {
  await sim?.close();
});

describe.skipIf(!authjs)('Auth.js Discord provider against the simulator', () => {
  it('signs a user in: authorize (PKCE) → token exchange (client_secret_basic) → /users/@me → session', async () => {
    const { core, Discord } = authjs!;
    sim = await DiscordSimulator.start();
    const alice = sim.addUser({ id: '300000000000000001', username: 'alice', globalName: 'Alice' });
    sim.addGuild({ name: 'Alice’s', ownerId: alice.id });
    sim.registerOAuthApp({ redirectUris: [`${ORIGIN}/auth/callback/discord`] });
    sim.setOAuthUser(alice.id);
    const env = sim.oauthEnv();

    let profile: Record<string, unknown> | undefined;
    let account: Record<string, unknown> | undefined;
    const config = {
      secret: 'a-test-secret-that-is-at-least-32-characters',
      trustHost: true,
      basePath: '/auth',
      providers: [
        Discord({
          clientId: env.AUTH_DISCORD_ID,
          clientSecret: env.AUTH_DISCORD_SECRET,
          authorization: { url: env.AUTH_DISCORD_AUTHORIZATION_URL, params: { scope: 'identify guilds' } },
          token: sim.oauthEndpoints.token,
          userinfo: sim.oauthEndpoints.userinfo,
        }),
      ],
      callbacks: {
        signIn(params: { profile?: Record<string, unknown>; account?: Record<string, unknown> }) {
          profile = params.profile;
          account = params.account;
          return true;
        },
      },
    };
    const jar = new Jar();
    const auth = async (path: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('cookie', jar.header);
      const response = await core.Auth(new Request(`${ORIGIN}${path}`, { ...init, headers }), config);
      jar.take(response);
      return response;
    };

    const { csrfToken } = (await (await auth('/auth/csrf')).json()) as { csrfToken: string };
    const signIn = await auth('/auth/signin/discord', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrfToken, callbackUrl: `${ORIGIN}/guilds` }),
    });
    expect(signIn.status).toBe(302);
    const authorizeUrl = new URL(signIn.headers.get('location')!);
    expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(env.AUTH_DISCORD_AUTHORIZATION_URL);
    expect(authorizeUrl.searchParams.get('scope')).toBe('identify guilds');
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');

    const authorized = await fetch(authorizeUrl, { redirect: 'manual' });
    expect(authorized.status).toBe(302);
    const callback = new URL(authorized.headers.get('location')!);
    const done = await auth(`${callback.pathname}${callback.search}`);
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe(`${ORIGIN}/guilds`);

    expect(profile).toMatchObject({ id: alice.id, username: 'alice', global_name: 'Alice' });
    expect(account).toMatchObject({
      provider: 'discord',
      providerAccountId: alice.id,
      token_type: 'bearer',
      scope: 'identify guilds',
    });
    const session = (await (await auth('/auth/session')).json()) as { user?: { name?: string } };
    expect(session.user?.name).toBe('Alice');

    // The access token Auth.js keeps reads the user's guilds, as the control plane will.
    const guilds = await fetch(sim.oauthEndpoints.guilds, {
      headers: { authorization: `Bearer ${String(account?.access_token)}` },
    });
    expect(((await guilds.json()) as Array<{ owner: boolean }>).map((g) => g.owner)).toEqual([true]);
    expect(sim.calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      'GET /oauth2/authorize 302',
      'POST /oauth2/token 200',
      'GET /users/@me 200',
      'GET /users/@me/guilds 200',
    ]);
    expect(sim.internalErrors).toEqual([]);
  });
});
