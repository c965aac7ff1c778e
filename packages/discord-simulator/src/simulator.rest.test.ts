import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiscordSimulator } from './index.js';

// The REST surface on its own, through plain fetch: what any Discord-compatible client would see.

let sim: DiscordSimulator;

beforeEach(async () => {
  sim = await DiscordSimulator.start();
});

afterEach(async () => {
  await sim.close();
});

/** The JSON of a response, typed as the test expects it. */
async function read<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

function call(
  method: string,
  path: string,
  init: { body?: string; auth?: string | null; type?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (init.auth !== null) headers.authorization = init.auth ?? `Bot ${sim.botToken}`;
  if (init.body !== undefined) headers['content-type'] = init.type ?? 'application/json';
  return fetch(`${sim.apiUrl}/v10${path}`, {
    method,
    headers,
    ...(init.body === undefined ? {} : { body: init.body }),
  });
}

describe('REST', () => {
  it('answers /gateway/bot with the gateway URL and enough sessions, with rate-limit headers', async () => {
    const response = await call('GET', '/gateway/bot');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      url: sim.gatewayUrl,
      shards: 1,
      session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 16 },
    });
    expect(response.headers.get('x-ratelimit-remaining')).toBe('9999');
    expect(response.headers.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]{16}$/);
    expect((await read<{ url: string }>(await call('GET', '/gateway', { auth: null }))).url).toBe(
      sim.gatewayUrl,
    );
  });

  it('lists the guilds the bot is in (GET /users/@me/guilds with the bot token), by id, a page at a time', async () => {
    const ids = ['200000000000000003', '200000000000000001', '200000000000000002'];
    for (const id of ids) sim.addGuild({ id, name: `g${id.slice(-1)}` });
    sim.addGuild({ id: '200000000000000009', name: 'without the bot', withBot: false });
    const all = await read<Array<{ id: string; name: string }>>(await call('GET', '/users/@me/guilds'));
    expect(all.map((g) => g.id)).toEqual([...ids].sort());
    const page = await read<Array<{ id: string }>>(
      await call('GET', '/users/@me/guilds?limit=1&after=200000000000000001'),
    );
    expect(page.map((g) => g.id)).toEqual(['200000000000000002']);
  });

  it('refuses a missing or wrong token with 401, unknown routes with 404, bad JSON with 400 — and records them all', async () => {
    expect((await call('GET', '/users/@me', { auth: null })).status).toBe(401);
    expect((await call('GET', '/users/@me', { auth: 'Bot nope' })).status).toBe(401);
    const missing = await call('GET', '/no/such/route');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: '404: Not Found', code: 0 });
    expect((await call('DELETE', '/gateway/bot')).status).toBe(405);
    const broken = await call('PUT', `/applications/${sim.applicationId}/commands`, { body: '[{' });
    expect(broken.status).toBe(400);
    expect((await read<{ code: number }>(broken)).code).toBe(50109);

    expect(sim.calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      'GET /users/@me 401',
      'GET /users/@me 401',
      'GET /no/such/route 404',
      'DELETE /gateway/bot 405',
      `PUT /applications/${sim.applicationId}/commands 400`,
    ]);
    expect(sim.internalErrors).toEqual([]);
  });

  it('refuses more than 100 chat commands in one scope, as Discord does, and keeps the set it had', async () => {
    const guild = sim.addGuild({ name: 'Crowded' });
    const path = `/applications/${sim.applicationId}/guilds/${guild.id}/commands`;
    const commands = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ name: `c${i}`, description: `Command ${i}` }));
    const hundred = await call('PUT', path, { body: JSON.stringify(commands(100)) });
    expect(hundred.status).toBe(200);

    const tooMany = await call('PUT', path, { body: JSON.stringify(commands(101)) });
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toEqual({
      message: 'Maximum number of application commands reached (100)',
      code: 30032,
    });
    const created = await call('POST', path, {
      body: JSON.stringify({ name: 'extra', description: 'One more' }),
    });
    expect(created.status).toBe(400);
    expect((await read<{ code: number }>(created)).code).toBe(30032);
    // A refused overwrite changes nothing: the 100 stay registered.
    expect(sim.commands(guild.id)).toHaveLength(100);
    // Context-menu commands count apart (Discord's own limits for them), beyond 130 the list itself is too long.
    const withMenus = [...commands(100), { name: 'Inspect', type: 2 }];
    expect((await call('PUT', path, { body: JSON.stringify(withMenus) })).status).toBe(200);
    const huge = await call('PUT', path, {
      body: JSON.stringify(Array.from({ length: 131 }, (_, i) => ({ name: `Menu ${i}`, type: 3 }))),
    });
    expect(huge.status).toBe(400);
    expect((await read<{ code: number }>(huge)).code).toBe(50035);
    expect(sim.internalErrors).toEqual([]);
  });

  it('decodes %40original and answers unknown interactions and webhooks like Discord', async () => {
    const callback = await call('POST', '/interactions/1/abc/callback', {
      auth: null,
      body: JSON.stringify({ type: 4 }),
    });
    expect(callback.status).toBe(404);
    expect((await read<{ code: number }>(callback)).code).toBe(10062);
    const edit = await call('PATCH', `/webhooks/${sim.applicationId}/abc/messages/%40original`, {
      auth: null,
      body: JSON.stringify({ content: 'x' }),
    });
    expect(edit.status).toBe(404);
    expect((await read<{ code: number }>(edit)).code).toBe(10015);
    expect(sim.calls.at(-1)?.path).toBe(`/webhooks/${sim.applicationId}/abc/messages/@original`);
  });

  it('serves guilds, members, channels, DMs and channel messages', async () => {
    const guild = sim.addGuild({ name: 'Town' });
    sim.addMember(guild.id, { id: '300000000000000009', username: 'dave' });

    expect((await read<{ name: string }>(await call('GET', `/guilds/${guild.id}`))).name).toBe('Town');
    const member = await read<{ user: { username: string } }>(
      await call('GET', `/guilds/${guild.id}/members/300000000000000009`),
    );
    expect(member.user.username).toBe('dave');
    expect((await call('GET', `/guilds/${guild.id}/members/1`)).status).toBe(404);
    expect(
      (await read<{ guild_id: string }>(await call('GET', `/channels/${guild.channelId}`))).guild_id,
    ).toBe(guild.id);

    const posted = await call('POST', `/channels/${guild.channelId}/messages`, {
      body: JSON.stringify({ content: 'Daily reset!' }),
    });
    expect(posted.status).toBe(200);
    expect(sim.messages(guild.channelId).map((m) => m.content)).toEqual(['Daily reset!']);
    const empty = await call('POST', `/channels/${guild.channelId}/messages`, {
      body: JSON.stringify({ content: '' }),
    });
    expect((await read<{ code: number }>(empty)).code).toBe(50006);
    const tooLong = await call('POST', `/channels/${guild.channelId}/messages`, {
      body: JSON.stringify({ content: 'x'.repeat(2001) }),
    });
    const form = await read<{ errors: { content: { _errors: Array<{ code: string }> } } }>(tooLong);
    expect(form.errors.content._errors[0]?.code).toBe('BASE_TYPE_MAX_LENGTH');

    const dm = await read<{ id: string }>(
      await call('POST', '/users/@me/channels', {
        body: JSON.stringify({ recipient_id: '300000000000000009' }),
      }),
    );
    await call('POST', `/channels/${dm.id}/messages`, { body: JSON.stringify({ content: 'You won!' }) });
    expect(sim.directMessages('300000000000000009').map((m) => m.content)).toEqual(['You won!']);
  });

  it('fails the next matching calls on request, with a Discord-shaped 429', async () => {
    sim.injectFault({ path: '/users/@me', status: 429, retryAfterSeconds: 1.5 });
    const limited = await call('GET', '/users/@me');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1.5');
    expect(await limited.json()).toMatchObject({ retry_after: 1.5, global: false });
    expect((await call('GET', '/users/@me')).status).toBe(200);
  });
});
