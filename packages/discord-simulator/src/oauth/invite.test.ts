import { once } from 'node:events';
import { type Client, type Guild, PermissionFlagsBits } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiscordSimulator, guildIdForShard, isSimulatorError, SimulatorErrorCode } from '../index.js';
import { connectClient } from '../testing.js';

// Adding the bot to a guild (OAuth2 `scope=bot`) against the simulator, through plain fetch, with a real
// discord.js client connected to see what the bot hears.

const CALLBACK = 'http://localhost:3000/guilds/added';
const ALICE = '300000000000000001';
const BOB = '300000000000000002';
const CAROL = '300000000000000003';
/** What the control plane asks for: View Channel, Send Messages, Embed Links, Read History, External Emoji, Manage Roles. */
const PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.ManageRoles;

let sim: DiscordSimulator;
const clients: Client[] = [];

beforeEach(async () => {
  sim = await DiscordSimulator.start();
  sim.registerOAuthApp({ redirectUris: [CALLBACK] });
  sim.addUser({ id: ALICE, username: 'alice' });
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.destroy();
  await sim.close();
});

async function connect(options: Parameters<typeof connectClient>[1] = {}): Promise<Client> {
  const { client, errors } = await connectClient(sim, options);
  clients.push(client);
  client.on('interactionCreate', async (interaction) => {
    if (interaction.isChatInputCommand()) await interaction.reply(`hello from ${interaction.guild?.name}`);
  });
  expect(errors).toEqual([]);
  return client;
}

/** The invite link, as the control plane builds it (`botInviteUrl`), plus `params`. */
function inviteUrl(params: Record<string, string> = {}): string {
  const url = new URL(sim.oauthEndpoints.authorization);
  const all = {
    client_id: sim.applicationId,
    scope: 'bot applications.commands',
    permissions: PERMISSIONS.toString(),
    ...params,
  };
  for (const [key, value] of Object.entries(all)) url.searchParams.set(key, value);
  return url.toString();
}

function visit(url: string, form?: Record<string, string>): Promise<Response> {
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

function redirectedTo(response: Response): Record<string, string> {
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
  return Object.fromEntries(location.searchParams);
}

/** Logs a user in with the code flow (`login_hint`) and returns their access token. */
async function accessToken(userId: string): Promise<string> {
  const url = new URL(sim.oauthEndpoints.authorization);
  url.search = new URLSearchParams({
    client_id: sim.applicationId,
    response_type: 'code',
    redirect_uri: CALLBACK,
    scope: 'identify guilds',
    login_hint: userId,
  }).toString();
  const { code } = redirectedTo(await visit(url.toString()));
  const response = await fetch(sim.oauthEndpoints.token, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: code!,
      redirect_uri: CALLBACK,
      client_id: sim.applicationId,
      client_secret: sim.clientSecret,
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function userGuilds(userId: string): Promise<Array<{ id: string; owner: boolean }>> {
  const response = await fetch(sim.oauthEndpoints.guilds, {
    headers: { authorization: `Bearer ${await accessToken(userId)}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Array<{ id: string; owner: boolean }>;
}

function asBot(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${sim.apiUrl}/v10${path}`, {
    method,
    headers: { authorization: `Bot ${sim.botToken}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** The permissions of the bot's managed role in the guild, as the bot reads them. */
async function botRolePermissions(guildId: string): Promise<bigint> {
  const roles = (await (await asBot('GET', `/guilds/${guildId}/roles`)).json()) as Array<{
    id: string;
    permissions: string;
  }>;
  return BigInt(roles.find((role) => role.id === sim.guild(guildId)!.botRoleId)!.permissions);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('a guild without the bot', () => {
  it('is not in READY, sends the bot nothing, refuses its REST calls, and is still listed for its members', async () => {
    const home = sim.addGuild({ name: 'Has the bot', ownerId: ALICE });
    const later = sim.addGuild({ name: 'Not yet', ownerId: ALICE, withBot: false });
    expect([sim.hasBot(home.id), sim.hasBot(later.id)]).toEqual([true, false]);
    const client = await connect();
    expect([...client.guilds.cache.keys()]).toEqual([home.id]);

    // Events are ordered on the shard: once the bot hears of bob joining `home`, it would have heard of
    // carol joining `later` (sent first) if the bot were there.
    const heard: string[] = [];
    client.on('guildMemberAdd', (member) => heard.push(`${member.guild.id}:${member.id}`));
    const bobJoined = once(client, 'guildMemberAdd');
    sim.addMember(later.id, { id: CAROL, username: 'carol' });
    sim.addMember(home.id, { id: BOB, username: 'bob' });
    await bobJoined;
    expect(heard).toEqual([`${home.id}:${BOB}`]);

    const error = await rejection(sim.slash({ guildId: later.id, userId: ALICE, command: 'balance' }));
    expect(isSimulatorError(error, SimulatorErrorCode.BOT_NOT_IN_GUILD)).toBe(true);
    const put = await asBot('PUT', `/applications/${sim.applicationId}/guilds/${later.id}/commands`, []);
    expect(put.status).toBe(403);
    expect(await put.json()).toMatchObject({ code: 50001, message: 'Missing Access' });
    expect((await asBot('GET', `/guilds/${later.id}`)).status).toBe(403);
    expect((await asBot('GET', `/channels/${later.channelId}`)).status).toBe(403);
    expect((await asBot('GET', '/guilds/1')).status).toBe(404);

    expect((await userGuilds(ALICE)).map((g) => g.id).sort()).toEqual([home.id, later.id].sort());
  });
});

describe('the invite flow (scope=bot)', () => {
  it('the owner adds the bot at once (setOAuthUser): GUILD_CREATE on the owning shard, then its commands and interactions work', async () => {
    const guildId = guildIdForShard(1, 2);
    sim.addGuild({ id: guildId, name: 'Casino', ownerId: ALICE, withBot: false });
    const client = await connect({ shards: [0, 1], shardCount: 2 });
    await sim.waitForShards(2);
    expect(client.guilds.cache.size).toBe(0);

    sim.setOAuthUser(ALICE);
    const created = once(client, 'guildCreate') as Promise<[Guild]>;
    const page = await visit(inviteUrl({ guild_id: guildId, disable_guild_select: 'true' }));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Guildmint has been added to Casino.');
    const [guild] = await created;
    expect(guild.id).toBe(guildId);
    expect(guild.shardId).toBe(1);
    expect(sim.hasBot(guildId)).toBe(true);
    expect(await botRolePermissions(guildId)).toBe(PERMISSIONS);

    await client.application!.commands.set([{ name: 'hello', description: 'Say hello' }], guildId);
    expect(sim.commands(guildId).map((c) => c.name)).toEqual(['hello']);
    const reply = await sim.slash({ guildId, userId: ALICE, command: 'hello' });
    expect(reply.content).toBe('hello from Casino');

    // Adding it again changes nothing but the role's permissions.
    const again = await visit(
      inviteUrl({ guild_id: guildId, permissions: String(PermissionFlagsBits.SendMessages) }),
    );
    expect(await again.text()).toContain('was already added to Casino');
    expect(await botRolePermissions(guildId)).toBe(PermissionFlagsBits.SendMessages);
  });

  it('the page offers the guild to its owner and managers only; adding redirects with guild_id, permissions and state', async () => {
    const guild = sim.addGuild({ name: 'Team', ownerId: ALICE, withBot: false });
    sim.addMember(guild.id, { id: BOB, username: 'bob' }, { permissions: PermissionFlagsBits.ManageGuild });
    sim.addMember(guild.id, { id: CAROL, username: 'carol' });
    const other = sim.addGuild({ name: 'Carol’s', ownerId: CAROL, withBot: false });
    const url = inviteUrl({
      guild_id: guild.id,
      disable_guild_select: 'true',
      redirect_uri: CALLBACK,
      state: 'st1',
    });

    const page = await visit(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('aria-label="Add to Team as alice"');
    expect(html).toContain('aria-label="Add to Team as bob"');
    expect(html).not.toContain('as carol');
    expect(html).not.toContain('Carol’s');
    expect(html).toContain('Manage Roles');

    const refused = await visit(url, { add: `${CAROL}:${guild.id}` });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('Manage Server');
    expect((await visit(url, { add: `${CAROL}:${other.id}` })).status).toBe(400);
    expect([sim.hasBot(guild.id), sim.hasBot(other.id)]).toEqual([false, false]);

    expect(redirectedTo(await visit(url, { add: `${BOB}:${guild.id}` }))).toEqual({
      guild_id: guild.id,
      permissions: PERMISSIONS.toString(),
      state: 'st1',
    });
    expect(sim.hasBot(guild.id)).toBe(true);
    expect(await visit(url).then((r) => r.text())).toContain('Team (already added)');

    // Without a preselected guild, the page offers every guild each user may add the bot to.
    const open = await visit(inviteUrl()).then((r) => r.text());
    expect(open).toContain('aria-label="Add to Carol’s as carol"');
    expect(open).toContain('aria-label="Add to Team as alice"');
  });

  it('response_type=code: the redirect carries a code whose exchange names the guild', async () => {
    const guild = sim.addGuild({ name: 'Coded', ownerId: ALICE, withBot: false });
    sim.setOAuthUser(ALICE);
    const params = redirectedTo(
      await visit(
        inviteUrl({ guild_id: guild.id, redirect_uri: CALLBACK, response_type: 'code', state: 'k' }),
      ),
    );
    expect(params).toMatchObject({ guild_id: guild.id, state: 'k' });
    const response = await fetch(sim.oauthEndpoints.token, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: params.code!,
        redirect_uri: CALLBACK,
        client_id: sim.applicationId,
        client_secret: sim.clientSecret,
      }),
    });
    expect(await response.json()).toMatchObject({
      scope: 'bot applications.commands',
      guild: { id: guild.id, name: 'Coded' },
    });
  });

  it('Cancel redirects with access_denied; a bad request gets a page; a user without Manage Server cannot add it', async () => {
    const guild = sim.addGuild({ name: 'Guarded', ownerId: ALICE, withBot: false });
    sim.addMember(guild.id, { id: CAROL, username: 'carol' });
    const cancelled = redirectedTo(
      await visit(inviteUrl({ guild_id: guild.id, redirect_uri: CALLBACK, state: 'c' }), { deny: '1' }),
    );
    expect(cancelled).toMatchObject({ error: 'access_denied', state: 'c' });

    const bad: Array<[Record<string, string>, string]> = [
      [{ client_id: '42' }, 'Unknown application'],
      [{ redirect_uri: 'http://evil.test/cb' }, 'Invalid OAuth2 redirect_uri'],
      [{ permissions: 'all' }, 'Invalid permissions'],
      [{ guild_id: '1234567890123456789' }, 'Unknown server'],
      [{ scope: 'bot nonsense' }, 'Unknown scope: nonsense'],
      [{ response_type: 'code' }, 'needs a redirect_uri'],
    ];
    for (const [params, text] of bad) {
      const response = await visit(inviteUrl({ guild_id: guild.id, ...params }));
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).toContain(text);
    }

    sim.setOAuthUser(CAROL);
    const refused = await visit(inviteUrl({ guild_id: guild.id }));
    expect(refused.status).toBe(403);
    expect(sim.hasBot(guild.id)).toBe(false);
    // Carol may add it nowhere: the page says why.
    expect(await visit(inviteUrl()).then((r) => r.text())).toContain('Nobody logged in can add the bot');
  });
});

describe('removing the bot', () => {
  it('GUILD_DELETE, its guild commands dropped, interactions refused; the guild stays for its members; it can come back', async () => {
    const guild = sim.addGuild({ name: 'Kicked', ownerId: ALICE });
    const client = await connect();
    await client.application!.commands.set([{ name: 'hello', description: 'Say hello' }], guild.id);

    const deleted = once(client, 'guildDelete') as Promise<[Guild]>;
    expect(sim.removeBotFromGuild(guild.id)).toBe(true);
    expect((await deleted)[0].id).toBe(guild.id);
    expect(client.guilds.cache.has(guild.id)).toBe(false);
    expect(sim.commands(guild.id)).toEqual([]);
    const error = await rejection(sim.slash({ guildId: guild.id, userId: ALICE, command: 'hello' }));
    expect(isSimulatorError(error, SimulatorErrorCode.BOT_NOT_IN_GUILD)).toBe(true);
    expect((await userGuilds(ALICE)).map((g) => g.id)).toEqual([guild.id]);
    expect(sim.removeBotFromGuild(guild.id)).toBe(false);

    const created = once(client, 'guildCreate') as Promise<[Guild]>;
    expect(sim.addBotToGuild(guild.id)).toBe(true);
    expect((await created)[0].id).toBe(guild.id);
    expect(sim.addBotToGuild(guild.id)).toBe(false);
  });
});
