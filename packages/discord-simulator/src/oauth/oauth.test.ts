import { createHash, randomBytes } from 'node:crypto';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiscordSimulator, isSimulatorError, SimulatorErrorCode } from '../index.js';
import { ALL_PERMISSIONS } from '../state/permissions.js';

// Discord's OAuth2 code flow against the simulator, through plain fetch: what Auth.js's Discord provider does.

const CALLBACK = 'http://localhost:3000/api/auth/callback/discord';
const ALICE = '300000000000000001';
const BOB = '300000000000000002';
const MANAGE_GUILD = 0x20n;
const START = Date.parse('2026-03-01T12:00:00Z');

let sim: DiscordSimulator;
let clock: number;

beforeEach(async () => {
  clock = START;
  sim = await DiscordSimulator.start({ now: () => clock });
  sim.registerOAuthApp({ redirectUris: [CALLBACK, 'http://127.0.0.1:4000/cb?from=sim'] });
});

afterEach(async () => {
  await sim.close();
});

interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
  scope: string;
}

interface OAuthErrorBody {
  error: string;
  error_description: string;
}

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl(params: Record<string, string>, base = sim.oauthEndpoints.authorization): string {
  const url = new URL(base);
  const all = {
    client_id: sim.applicationId,
    response_type: 'code',
    redirect_uri: CALLBACK,
    scope: 'identify guilds',
    ...params,
  };
  for (const [key, value] of Object.entries(all)) if (value !== '') url.searchParams.set(key, value);
  return url.toString();
}

/** GET (or POST the page's form to) the authorize URL without following the redirect. */
function authorize(url: string, form?: Record<string, string>): Promise<Response> {
  return fetch(url, {
    redirect: 'manual',
    ...(form
      ? {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form),
        }
      : {}),
  });
}

/** The code from a 302 to the callback (asserting it went there, with the state). */
function codeFrom(response: Response, state: string | null = null): string {
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
  expect(location.searchParams.get('state')).toBe(state);
  expect(location.searchParams.get('error')).toBeNull();
  return location.searchParams.get('code')!;
}

function errorFrom(response: Response): Record<string, string> {
  expect(response.status).toBe(302);
  return Object.fromEntries(new URL(response.headers.get('location')!).searchParams);
}

function exchange(
  fields: Record<string, string>,
  o: { basic?: [string, string]; secret?: string | null } = {},
): Promise<Response> {
  const body = new URLSearchParams({ grant_type: 'authorization_code', redirect_uri: CALLBACK, ...fields });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (o.basic) {
    const [id, secret] = o.basic.map((s) => encodeURIComponent(s));
    headers.authorization = `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  } else {
    body.set('client_id', sim.applicationId);
    if (o.secret !== null) body.set('client_secret', o.secret ?? sim.clientSecret);
  }
  return fetch(sim.oauthEndpoints.token, { method: 'POST', headers, body });
}

async function tokens(response: Response): Promise<TokenResponse> {
  expect(response.status).toBe(200);
  return (await response.json()) as TokenResponse;
}

async function oauthError(response: Response): Promise<OAuthErrorBody & { status: number }> {
  return { status: response.status, ...((await response.json()) as OAuthErrorBody) };
}

function me(token: string, path = '/users/@me', scheme = 'Bearer'): Promise<Response> {
  return fetch(`${sim.apiUrl}${path}`, { headers: { authorization: `${scheme} ${token}` } });
}

/** Logs alice in (setOAuthUser) and returns fresh tokens. */
async function loginAlice(scope = 'identify guilds'): Promise<TokenResponse> {
  sim.addUser({ id: ALICE, username: 'alice' });
  sim.setOAuthUser(ALICE);
  const code = codeFrom(await authorize(authorizeUrl({ scope })));
  return tokens(await exchange({ code }));
}

describe('OAuth2 code flow', () => {
  it('logs a user in: page → choose → code and state → token → /users/@me → /users/@me/guilds', async () => {
    sim.addUser({ id: ALICE, username: 'alice', globalName: 'Alice A.' });
    sim.addUser({ id: BOB, username: 'bob' });
    const owned = sim.addGuild({ name: 'Alice’s Casino', ownerId: ALICE });
    const managed = sim.addGuild({ name: 'Managed' });
    const manager = sim.addRole(managed.id, {
      name: 'Manager',
      permissions: PermissionFlagsBits.ManageGuild,
    });
    sim.addMember(managed.id, { id: ALICE, username: 'alice' }, { roles: [manager] });
    const plain = sim.addGuild({ name: 'Just a member' });
    sim.addMember(plain.id, { id: ALICE, username: 'alice' });
    sim.addGuild({ name: 'Not hers', ownerId: BOB });

    const url = authorizeUrl({ state: 'st<ate>&1' });
    const page = await authorize(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('Log in to Guildmint as …');
    expect(html).toContain(`name="user_id" value="${ALICE}" aria-label="Log in as Alice A."`);
    expect(html).toContain(`name="user_id" value="${BOB}"`);
    expect(html).not.toContain(`value="${sim.botUserId}"`);
    expect(html).toContain('Know what servers you’re in');

    // The page's form posts back to the same URL with the chosen button.
    const code = codeFrom(await authorize(url, { user_id: ALICE }), 'st<ate>&1');
    const issued = await tokens(await exchange({ code }));
    expect(issued).toEqual({
      access_token: expect.stringMatching(/^[\w-]{30}$/),
      token_type: 'Bearer',
      expires_in: 604_800,
      refresh_token: expect.stringMatching(/^[\w-]{30}$/),
      scope: 'identify guilds',
    });

    const user = await me(issued.access_token);
    expect(user.status).toBe(200);
    expect(await user.json()).toMatchObject({
      id: ALICE,
      username: 'alice',
      global_name: 'Alice A.',
      avatar: null,
      discriminator: '0',
    });
    const v10 = (await (await me(issued.access_token, '/v10/users/@me')).json()) as Record<string, unknown>;
    expect(v10.id).toBe(ALICE);
    expect(v10).not.toHaveProperty('email'); // no `email` scope

    const guilds = await me(issued.access_token, '/v10/users/@me/guilds');
    expect(guilds.status).toBe(200);
    const list = (await guilds.json()) as Array<{ id: string; owner: boolean; permissions: string }>;
    expect(list.map((g) => g.id)).toEqual([owned.id, managed.id, plain.id]);
    expect(list[0]).toEqual({
      id: owned.id,
      name: 'Alice’s Casino',
      icon: null,
      banner: null,
      owner: true,
      permissions: ALL_PERMISSIONS.toString(),
      features: [],
    });
    expect(list[1]).toMatchObject({ owner: false });
    expect(BigInt(list[1]!.permissions) & MANAGE_GUILD).toBe(MANAGE_GUILD);
    expect(list[1]!.permissions).toBe(sim.member(managed.id, ALICE)!.permissions.toString());
    expect(list[2]).toMatchObject({ owner: false });
    expect(BigInt(list[2]!.permissions) & MANAGE_GUILD).toBe(0n);

    // Paging and counts, as on Discord.
    const page2 = await me(
      issued.access_token,
      `/v10/users/@me/guilds?after=${owned.id}&limit=1&with_counts=true`,
    );
    expect(await page2.json()).toEqual([
      expect.objectContaining({ id: managed.id, approximate_member_count: 3, approximate_presence_count: 0 }),
    ]);

    // Recorded like every REST call, the client secret redacted.
    const token = sim.calls.find((c) => c.path === '/oauth2/token')!;
    expect(token).toMatchObject({ method: 'POST', status: 200 });
    expect(token.body).toMatchObject({ grant_type: 'authorization_code', client_secret: '[redacted]' });
    expect(sim.internalErrors).toEqual([]);
  });

  it('answers the page at /oauth2/authorize without /api too, and keeps the redirect URI’s own query', async () => {
    sim.addUser({ id: ALICE, username: 'alice' });
    const bare = authorizeUrl({}, sim.oauthEndpoints.authorization.replace('/api/', '/'));
    expect(new URL(bare).pathname).toBe('/oauth2/authorize');
    expect((await authorize(bare)).status).toBe(200);
    // Only the authorize page lives outside /api.
    expect((await fetch(sim.oauthEndpoints.token.replace('/api/', '/'), { method: 'POST' })).status).toBe(
      404,
    );

    const location = new URL(
      (
        await authorize(
          authorizeUrl({ redirect_uri: 'http://127.0.0.1:4000/cb?from=sim', login_hint: ALICE }),
        )
      ).headers.get('location')!,
    );
    expect(location.searchParams.get('from')).toBe('sim');
    expect(location.searchParams.get('code')).toMatch(/^[\w-]{30}$/);
  });

  it('skips the page for setOAuthUser and login_hint (id or username); Cancel redirects with access_denied', async () => {
    sim.addUser({ id: ALICE, username: 'alice' });
    sim.addUser({ id: BOB, username: 'bob' });

    const hinted = codeFrom(await authorize(authorizeUrl({ login_hint: 'bob' })));
    const bob = await tokens(await exchange({ code: hinted }));
    expect(((await (await me(bob.access_token)).json()) as { id: string }).id).toBe(BOB);

    sim.setOAuthUser(ALICE);
    const code = codeFrom(await authorize(authorizeUrl({ state: 'xyz' })), 'xyz');
    const alice = await tokens(await exchange({ code }));
    expect(((await (await me(alice.access_token)).json()) as { id: string }).id).toBe(ALICE);

    sim.setOAuthUser(null);
    expect((await authorize(authorizeUrl({}))).status).toBe(200);
    const unknownHint = await authorize(authorizeUrl({ login_hint: 'nobody' }));
    expect(unknownHint.status).toBe(400);
    expect(await unknownHint.text()).toContain('matches no user');
    expect((await authorize(authorizeUrl({}), { user_id: '999' })).status).toBe(400);

    expect(errorFrom(await authorize(authorizeUrl({ state: 's' }), { deny: '1' }))).toEqual({
      error: 'access_denied',
      error_description: 'The resource owner or authorization server denied the request',
      state: 's',
    });

    for (const bad of ['999999999999999999', sim.botUserId]) {
      let caught: unknown;
      try {
        sim.setOAuthUser(bad);
      } catch (error) {
        caught = error;
      }
      expect(isSimulatorError(caught, SimulatorErrorCode.INVALID_ARGUMENT)).toBe(true);
    }
  });

  it('refuses an unknown client or redirect_uri with a page (no redirect), other problems by redirecting with error', async () => {
    sim.addUser({ id: ALICE, username: 'alice' });
    sim.setOAuthUser(ALICE);

    const unknownClient = await authorize(authorizeUrl({ client_id: '42' }));
    expect(unknownClient.status).toBe(400);
    expect(await unknownClient.text()).toContain('registerOAuthApp');
    for (const redirect_uri of ['http://evil.test/cb', `${CALLBACK}/`, '']) {
      const refused = await authorize(authorizeUrl({ redirect_uri }));
      expect(refused.status).toBe(400);
      expect(refused.headers.get('location')).toBeNull();
      expect(await refused.text()).toContain('Invalid OAuth2 redirect_uri');
    }
    const webhook = await authorize(authorizeUrl({ scope: 'identify webhook.incoming' }));
    expect(webhook.status).toBe(400);
    expect(await webhook.text()).toContain('is not simulated');

    expect(errorFrom(await authorize(authorizeUrl({ response_type: 'token', state: 'k' })))).toMatchObject({
      error: 'unsupported_response_type',
      state: 'k',
    });
    expect(errorFrom(await authorize(authorizeUrl({ scope: 'identify nonsense' })))).toMatchObject({
      error: 'invalid_scope',
      error_description: 'unknown scope: nonsense',
    });
    expect(errorFrom(await authorize(authorizeUrl({ scope: '' })))).toMatchObject({ error: 'invalid_scope' });
    const { challenge } = pkce();
    expect(
      errorFrom(await authorize(authorizeUrl({ code_challenge: challenge, code_challenge_method: 'plain' }))),
    ).toMatchObject({ error: 'invalid_request' });
    expect(
      errorFrom(await authorize(authorizeUrl({ code_challenge: 'short', code_challenge_method: 'S256' }))),
    ).toMatchObject({ error: 'invalid_request' });
  });

  it('checks PKCE: the right verifier (with HTTP Basic client auth) passes, a wrong or missing one does not', async () => {
    sim.addUser({ id: ALICE, username: 'alice' });
    sim.setOAuthUser(ALICE);
    const { verifier, challenge } = pkce();
    const code = codeFrom(
      await authorize(authorizeUrl({ code_challenge: challenge, code_challenge_method: 'S256' })),
    );
    const basic: [string, string] = [sim.applicationId, sim.clientSecret];

    expect(await oauthError(await exchange({ code }, { basic }))).toMatchObject({
      status: 400,
      error: 'invalid_request',
    });
    expect(await oauthError(await exchange({ code, code_verifier: pkce().verifier }, { basic }))).toEqual({
      status: 400,
      error: 'invalid_grant',
      error_description: 'Invalid "code_verifier" in request.',
    });
    // Failed attempts do not spend the code.
    const issued = await tokens(await exchange({ code, code_verifier: verifier }, { basic }));
    expect((await me(issued.access_token)).status).toBe(200);
  });

  it('refuses a wrong client secret (post and Basic) with 401 invalid_client, and the code stays usable', async () => {
    sim.addUser({ id: ALICE, username: 'alice' });
    sim.setOAuthUser(ALICE);
    const code = codeFrom(await authorize(authorizeUrl({})));

    const post = await exchange({ code }, { secret: 'wrong' });
    expect(await oauthError(post)).toMatchObject({ status: 401, error: 'invalid_client' });
    const basic = await exchange({ code }, { basic: [sim.applicationId, 'wrong'] });
    expect(basic.headers.get('www-authenticate')).toBe('Basic');
    expect(await oauthError(basic)).toMatchObject({ status: 401, error: 'invalid_client' });
    expect(await oauthError(await exchange({ code }, { secret: null }))).toMatchObject({
      status: 401,
      error: 'invalid_client',
    });
    // Both methods at once is a malformed request.
    const both = await fetch(sim.oauthEndpoints.token, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${sim.applicationId}:${sim.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: CALLBACK,
        client_secret: sim.clientSecret,
      }),
    });
    expect(await oauthError(both)).toMatchObject({ status: 400, error: 'invalid_request' });
    // JSON is not what the token endpoint takes.
    const json = await fetch(sim.oauthEndpoints.token, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'authorization_code', code }),
    });
    expect(await oauthError(json)).toMatchObject({ status: 400, error: 'invalid_request' });

    expect((await exchange({ code })).status).toBe(200);
  });

  it('takes a code once: a replay is invalid_grant and revokes the tokens the first exchange issued', async () => {
    sim.addUser({ id: ALICE, username: 'alice' });
    sim.setOAuthUser(ALICE);
    const code = codeFrom(await authorize(authorizeUrl({})));
    const first = await tokens(await exchange({ code }));
    expect((await me(first.access_token)).status).toBe(200);

    expect(await oauthError(await exchange({ code }))).toMatchObject({ status: 400, error: 'invalid_grant' });
    expect((await me(first.access_token)).status).toBe(401);
    const refresh = await exchange({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(await oauthError(refresh)).toMatchObject({ error: 'invalid_grant' });
    expect(await oauthError(await exchange({ code: 'made-up' }))).toMatchObject({ error: 'invalid_grant' });
  });

  it('expires codes after 10 minutes and access tokens after 7 days (the injected clock); refresh rotates', async () => {
    sim.addUser({ id: ALICE, username: 'alice' });
    sim.setOAuthUser(ALICE);
    const late = codeFrom(await authorize(authorizeUrl({})));
    const inTime = codeFrom(await authorize(authorizeUrl({})));
    clock += 10 * 60_000 - 1;
    const issued = await tokens(await exchange({ code: inTime }));
    const issuedAt = clock;
    clock += 1;
    expect(await oauthError(await exchange({ code: late }))).toMatchObject({
      status: 400,
      error: 'invalid_grant',
    });

    clock = issuedAt + 7 * 24 * 3600_000 - 1;
    expect((await me(issued.access_token)).status).toBe(200);
    clock += 1;
    expect((await me(issued.access_token)).status).toBe(401);

    const refreshed = await tokens(
      await exchange({ grant_type: 'refresh_token', refresh_token: issued.refresh_token }),
    );
    expect(refreshed.access_token).not.toBe(issued.access_token);
    expect(refreshed.refresh_token).not.toBe(issued.refresh_token);
    expect(refreshed.scope).toBe('identify guilds');
    expect((await me(refreshed.access_token)).status).toBe(200);
    // The old refresh token is spent; a narrower scope is allowed, a wider one is not.
    expect(
      await oauthError(await exchange({ grant_type: 'refresh_token', refresh_token: issued.refresh_token })),
    ).toMatchObject({ error: 'invalid_grant' });
    const wider = await exchange({
      grant_type: 'refresh_token',
      refresh_token: refreshed.refresh_token,
      scope: 'identify guilds email',
    });
    expect(await oauthError(wider)).toMatchObject({ error: 'invalid_scope' });
    const narrower = await tokens(
      await exchange({
        grant_type: 'refresh_token',
        refresh_token: refreshed.refresh_token,
        scope: 'identify',
      }),
    );
    expect(narrower.scope).toBe('identify');
    expect((await me(narrower.access_token, '/users/@me/guilds')).status).toBe(401);
    expect(await oauthError(await exchange({ grant_type: 'password' }))).toMatchObject({
      error: 'unsupported_grant_type',
    });
  });

  it('refuses a token exchange whose redirect_uri differs from the authorize request’s', async () => {
    sim.addUser({ id: ALICE, username: 'alice' });
    sim.setOAuthUser(ALICE);
    const code = codeFrom(await authorize(authorizeUrl({})));
    for (const redirect_uri of ['http://127.0.0.1:4000/cb?from=sim', 'http://evil.test/cb']) {
      expect(await oauthError(await exchange({ code, redirect_uri }))).toEqual({
        status: 400,
        error: 'invalid_grant',
        error_description: 'Invalid "redirect_uri" in request.',
      });
    }
    const missing = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      client_id: sim.applicationId,
      client_secret: sim.clientSecret,
    });
    const response = await fetch(sim.oauthEndpoints.token, { method: 'POST', body: missing });
    expect(await oauthError(response)).toMatchObject({ error: 'invalid_grant' });
    expect((await exchange({ code })).status).toBe(200);
  });

  it('answers /users/@me for the bot with a Bot token and for the user with a Bearer token', async () => {
    const { access_token } = await loginAlice('identify guilds email');
    const bot = await me(sim.botToken, '/v10/users/@me', 'Bot');
    expect(await bot.json()).toMatchObject({ id: sim.botUserId, bot: true });
    const user = (await (await me(access_token)).json()) as Record<string, unknown>;
    expect(user).toMatchObject({ id: ALICE, email: 'alice@discord-simulator.test', verified: true });
    expect(user).not.toHaveProperty('bot');

    expect((await me('not-a-token')).status).toBe(401);
    expect((await me(access_token, '/users/@me', 'Bot')).status).toBe(401);
    // As on Discord, a bot token lists the bot's own guilds there (see simulator.rest.test.ts).
    expect((await me(sim.botToken, '/v10/users/@me/guilds', 'Bot')).status).toBe(200);
    // A user token is no bot token: bot routes refuse it.
    expect((await me(access_token, `/users/${ALICE}`)).status).toBe(401);

    sim.addUser({ id: BOB, username: 'bob', email: null });
    sim.setOAuthUser(BOB);
    const code = codeFrom(await authorize(authorizeUrl({ scope: 'email' })));
    const bob = await tokens(await exchange({ code }));
    expect((await me(bob.access_token)).status).toBe(401); // no `identify`
    expect((await me(bob.access_token, '/users/@me/guilds')).status).toBe(401); // no `guilds`
  });

  it('answers a call without an API version as Discord does (its default, v6), so a missing version shows', async () => {
    const { access_token } = await loginAlice();
    const managed = sim.addGuild({ name: 'Managed' });
    const manager = sim.addRole(managed.id, {
      name: 'Manager',
      permissions: PermissionFlagsBits.ManageGuild,
    });
    sim.addMember(managed.id, { id: ALICE, username: 'alice' }, { roles: [manager] });
    const expected = sim.member(managed.id, ALICE)!.permissions;

    // v6: `permissions` is the legacy integer, the decimal string is `permissions_new`.
    const v6 = (await (await me(access_token, '/users/@me/guilds')).json()) as Array<Record<string, unknown>>;
    expect(v6).toEqual([expect.objectContaining({ id: managed.id, permissions_new: expected.toString() })]);
    expect(v6[0]!.permissions).toBe(Number(expected & 0xffff_ffffn));
    const v7 = (await (await me(access_token, '/v7/users/@me/guilds')).json()) as Array<
      Record<string, unknown>
    >;
    expect(typeof v7[0]!.permissions).toBe('number');
    // v8 and later: a string, and no permissions_new.
    for (const version of ['/v8', '/v9', '/v10']) {
      const [guild] = (await (await me(access_token, `${version}/users/@me/guilds`)).json()) as Array<
        Record<string, unknown>
      >;
      expect(guild).toMatchObject({ id: managed.id, permissions: expected.toString() });
      expect(guild).not.toHaveProperty('permissions_new');
    }

    // Bot routes: refused without a version (and on v6/v7, whose payloads are not simulated), said why.
    const unversioned = await me(sim.botToken, '/users/@me', 'Bot');
    expect(unversioned.status).toBe(400);
    expect(((await unversioned.json()) as { message: string }).message).toMatch(
      /no API version.*v6.*\/api\/v10/,
    );
    expect((await me(sim.botToken, '/v7/gateway/bot', 'Bot')).status).toBe(400);
    expect((await me(sim.botToken, '/v8/gateway/bot', 'Bot')).status).toBe(200);
    // Discontinued and unknown versions: 400, as Discord answers; the OAuth2 endpoints work unversioned.
    for (const version of ['/v5', '/v11']) {
      expect((await me(access_token, `${version}/users/@me`)).status).toBe(400);
    }
    expect((await me(access_token, '/users/@me')).status).toBe(200);
    expect(sim.internalErrors).toEqual([]);
  });

  it('revokes a whole authorization through /oauth2/token/revoke', async () => {
    const issued = await loginAlice();
    const revoke = (token: string, secret = sim.clientSecret) =>
      fetch(sim.oauthEndpoints.revocation, {
        method: 'POST',
        body: new URLSearchParams({ token, client_id: sim.applicationId, client_secret: secret }),
      });
    expect((await revoke(issued.refresh_token, 'wrong')).status).toBe(401);
    expect((await me(issued.access_token)).status).toBe(200);
    expect((await revoke(issued.refresh_token)).status).toBe(200);
    expect((await me(issued.access_token)).status).toBe(401);
    expect((await revoke('unknown')).status).toBe(200);
  });

  it('hands out the endpoints and environment for the control plane; addUser needs no guild', () => {
    const user = sim.addUser({ username: 'carol', globalName: 'Carol' });
    expect(user).toEqual({
      id: expect.stringMatching(/^\d+$/),
      username: 'carol',
      globalName: 'Carol',
      email: 'carol@discord-simulator.test',
    });
    expect(sim.oauthUrl).toBe(`${sim.apiUrl}/oauth2`);
    expect(sim.oauthEnv()).toEqual({
      AUTH_DISCORD_ID: sim.applicationId,
      AUTH_DISCORD_SECRET: sim.clientSecret,
      AUTH_DISCORD_AUTHORIZATION_URL: `${sim.apiUrl}/oauth2/authorize`,
      DISCORD_OAUTH_API_URL: sim.apiUrl,
    });
    expect(sim.oauthEndpoints).toMatchObject({
      token: `${sim.apiUrl}/oauth2/token`,
      userinfo: `${sim.apiUrl}/v10/users/@me`,
      guilds: `${sim.apiUrl}/v10/users/@me/guilds`,
    });
    const other = sim.registerOAuthApp({ clientId: '555', clientSecret: 's3cret', redirectUris: [CALLBACK] });
    expect(other).toEqual({
      clientId: '555',
      clientSecret: 's3cret',
      redirectUris: [CALLBACK],
      name: 'Guildmint',
    });
    expect(sim.oauthEnv('555').AUTH_DISCORD_SECRET).toBe('s3cret');
    expect(() => sim.oauthEnv('556')).toThrow(/registerOAuthApp/);
    expect(() => sim.registerOAuthApp({ redirectUris: [] })).toThrow(/at least one/);
    expect(() => sim.registerOAuthApp({ redirectUris: ['/relative'] })).toThrow(/absolute/);
  });
});
