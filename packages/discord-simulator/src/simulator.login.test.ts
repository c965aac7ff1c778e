import { once } from 'node:events';
import { ChannelType, type Client, DiscordAPIError, GatewayIntentBits, type GuildMember } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordSimulator } from './index.js';
import { connectClient } from './testing.js';

let sim: DiscordSimulator;
const clients: Client[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.destroy();
  await sim?.close();
});

async function start(setup?: (s: DiscordSimulator) => void) {
  sim = await DiscordSimulator.start();
  setup?.(sim);
  const connected = await connectClient(sim);
  clients.push(connected.client);
  return connected;
}

describe('a discord.js client logging in', () => {
  it('gets clientReady with the bot user, the application and every guild with its channel, roles and members', async () => {
    let guildId = '';
    let roleId = '';
    const { client, errors } = await start((s) => {
      const guild = s.addGuild({ name: 'Guildmint HQ' });
      guildId = guild.id;
      roleId = s.addRole(guild.id, { name: 'VIP' });
      s.addMember(guild.id, { id: '300000000000000001', username: 'alice' }, { roles: [roleId] });
    });

    expect(client.user?.id).toBe(sim.botUserId);
    expect(client.user?.bot).toBe(true);
    expect(client.application?.id).toBe(sim.applicationId);
    const guild = client.guilds.cache.get(guildId)!;
    expect(guild.available).toBe(true);
    expect(guild.name).toBe('Guildmint HQ');
    expect(guild.channels.cache.first()?.type).toBe(ChannelType.GuildText);
    expect(guild.roles.everyone.id).toBe(guildId);
    expect(guild.roles.cache.get(roleId)?.name).toBe('VIP');
    expect(guild.members.cache.get('300000000000000001')?.roles.cache.has(roleId)).toBe(true);
    expect(guild.members.me?.id).toBe(sim.botUserId);
    expect(guild.ownerId).toBe(sim.guild(guildId)?.ownerId);
    expect(errors).toEqual([]);
    expect(sim.calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual(['GET /gateway/bot 200']);
  });

  it('sees guilds and members added after login (GUILD_CREATE, GUILD_MEMBER_ADD, GUILD_MEMBER_UPDATE)', async () => {
    const { client } = await start();
    const joined = once(client, 'guildCreate');
    const guild = sim.addGuild({ name: 'Later' });
    const [created] = await joined;
    expect(created.id).toBe(guild.id);

    const added = once(client, 'guildMemberAdd');
    sim.addMember(guild.id, { id: '300000000000000002', username: 'bob' });
    expect(((await added)[0] as GuildMember).user.username).toBe('bob');

    const role = sim.addRole(guild.id, { name: 'Gold' });
    const updated = once(client, 'guildMemberUpdate');
    sim.setMemberRoles(guild.id, '300000000000000002', [role]);
    const [, after] = (await updated) as [GuildMember, GuildMember];
    expect(after.roles.cache.has(role)).toBe(true);
  });

  it('answers REST the bot makes: fetch member, add a role (hierarchy enforced), users/@me, application', async () => {
    let guildId = '';
    const { client } = await start((s) => {
      guildId = s.addGuild({ name: 'Shop' }).id;
      s.addMember(guildId, { id: '300000000000000003', username: 'carol' });
    });
    const guild = client.guilds.cache.get(guildId)!;
    const below = sim.addRole(guildId, { name: 'Buyer' });
    const above = sim.addRole(guildId, { name: 'Admin', aboveBot: true });

    const member = await guild.members.fetch({ user: '300000000000000003', force: true });
    const update = once(client, 'guildMemberUpdate');
    await member.roles.add(below, 'bought in shop');
    await update;
    expect(sim.member(guildId, '300000000000000003')?.roles).toEqual([below]);

    const refused = await member.roles.add(above).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DiscordAPIError);
    expect((refused as DiscordAPIError).code).toBe(50013);
    expect(sim.member(guildId, '300000000000000003')?.roles).toEqual([below]);

    expect((await client.users.fetch(sim.botUserId, { force: true })).id).toBe(sim.botUserId);
    expect((await client.application!.fetch()).id).toBe(sim.applicationId);
  });

  it('registers guild and global commands through REST and refuses what Discord would refuse', async () => {
    let guildId = '';
    const { client } = await start((s) => {
      guildId = s.addGuild({ name: 'Commands' }).id;
    });
    const guild = client.guilds.cache.get(guildId)!;
    const registered = await guild.commands.set([
      {
        name: 'balance',
        description: 'Show a balance',
        options: [{ type: 6, name: 'member', description: 'Whose', required: false }],
      },
      { name: 'daily', description: 'Claim the daily reward' },
    ]);
    expect(registered.map((c) => c.name).sort()).toEqual(['balance', 'daily']);
    expect(sim.commands(guildId).map((c) => c.name)).toEqual(['balance', 'daily']);
    expect(sim.commands(guildId)[0]?.options).toHaveLength(1);

    const again = await guild.commands.set([{ name: 'balance', description: 'Show a balance (v2)' }]);
    expect(again.first()?.id).toBe(registered.find((c) => c.name === 'balance')?.id);
    expect(sim.commands(guildId)).toHaveLength(1);

    await client.application!.commands.set([{ name: 'help', description: 'Help' }]);
    expect(sim.commands().map((c) => c.name)).toEqual(['help']);

    const invalid = await guild.commands
      .set([
        {
          name: 'Pay',
          description: 'x',
          options: [
            { type: 4, name: 'amount', description: 'a', required: false },
            { type: 6, name: 'to', description: 'b', required: true },
          ],
        },
      ])
      .catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(DiscordAPIError);
    expect((invalid as DiscordAPIError).code).toBe(50035);
    expect((invalid as DiscordAPIError).message).toMatch(/name/);
    expect(sim.commands(guildId).map((c) => c.name)).toEqual(['balance']);
  });

  it('closes with 4014 for a privileged intent the application has not switched on', async () => {
    sim = await DiscordSimulator.start({ privilegedIntents: 0 });
    const refused = await connectClient(sim, {
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers],
    })
      .then((c) => clients.push(c.client))
      .catch((error: unknown) => error);
    expect(String(refused)).toMatch(/disallowed intents/i);
    expect(sim.gatewayEvents.some((e) => e.kind === 'refused' && e.detail === 4014)).toBe(true);
    const { client } = await connectClient(sim, { intents: [GatewayIntentBits.Guilds] });
    clients.push(client);
    expect(client.isReady()).toBe(true);
  });
});
