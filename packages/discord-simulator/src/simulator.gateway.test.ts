import { once } from 'node:events';
import { type Client, GatewayIntentBits, type GuildMember } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DiscordSimulator, guildIdForShard, shardForGuild } from './index.js';
import { connectClient } from './testing.js';

const ALICE = '300000000000000001';

let sim: DiscordSimulator;
const clients: Client[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.destroy();
  await sim?.close();
});

async function connect(options: Parameters<typeof connectClient>[1] = {}) {
  const connected = await connectClient(sim, options);
  clients.push(connected.client);
  connected.client.on('interactionCreate', async (interaction) => {
    if (interaction.isChatInputCommand()) await interaction.reply(`shard ${interaction.guild?.shardId}`);
  });
  return connected;
}

/** Guild ids that land on shards 0 and 1 of 2 (two each). */
function twoShardGuilds() {
  const ids = [
    guildIdForShard(0, 2),
    guildIdForShard(0, 2, 1),
    guildIdForShard(1, 2),
    guildIdForShard(1, 2, 1),
  ];
  for (const [i, id] of ids.entries()) {
    sim.addGuild({ id, name: `guild ${i}` });
    sim.addMember(id, { id: ALICE, username: 'alice' });
  }
  return ids;
}

describe('sharding', () => {
  it('gives each shard process only the guilds of its shard, and routes interactions there', async () => {
    sim = await DiscordSimulator.start();
    const [a0, b0, a1, b1] = twoShardGuilds() as [string, string, string, string];
    expect([a0, b0, a1, b1].map((id) => shardForGuild(id, 2))).toEqual([0, 0, 1, 1]);

    const zero = await connect({ shards: [0], shardCount: 2 });
    const one = await connect({ shards: [1], shardCount: 2 });
    await sim.waitForShards(2);

    expect([...zero.client.guilds.cache.keys()].sort()).toEqual([a0, b0].sort());
    expect([...one.client.guilds.cache.keys()].sort()).toEqual([a1, b1].sort());
    expect((await sim.slash({ guildId: b1, userId: ALICE, command: 'where' })).content).toBe('shard 1');
    expect((await sim.slash({ guildId: a0, userId: ALICE, command: 'where' })).content).toBe('shard 0');
    expect([...zero.errors, ...one.errors]).toEqual([]);
  });

  it('runs both shards in one client: shards [0, 1] of 2', async () => {
    sim = await DiscordSimulator.start();
    const ids = twoShardGuilds();
    const { client } = await connect({ shards: [0, 1], shardCount: 2 });
    await sim.waitForShards(2);
    expect(ids.map((id) => client.guilds.cache.get(id)?.shardId)).toEqual([0, 0, 1, 1]);
    expect(
      sim.gatewayEvents
        .filter((e) => e.kind === 'identify')
        .map((e) => e.shard)
        .sort(),
    ).toEqual([0, 1]);
    expect((await sim.slash({ guildId: ids[3]!, userId: ALICE, command: 'where' })).content).toBe('shard 1');
  });
});

describe('connection loss', () => {
  it('RESUMEs after a resumable disconnect and replays what the shard missed', async () => {
    sim = await DiscordSimulator.start();
    const guildId = sim.addGuild({ name: 'Resume' }).id;
    sim.addMember(guildId, { id: ALICE, username: 'alice' });
    const role = sim.addRole(guildId, { name: 'Regular' });
    const { client, errors } = await connect();

    const resumed = once(client, 'shardResume');
    const updated = once(client, 'guildMemberUpdate');
    sim.disconnectShard(0, { resumable: true });
    sim.setMemberRoles(guildId, ALICE, [role]); // while the shard is away
    const [shardId, replayed] = await resumed;
    const [, member] = (await updated) as [GuildMember, GuildMember];

    expect(shardId).toBe(0);
    expect(replayed).toBeGreaterThanOrEqual(1);
    expect(member.roles.cache.has(role)).toBe(true);
    expect(sim.gatewayEvents.filter((e) => e.kind === 'identify')).toHaveLength(1);
    expect(sim.gatewayEvents.some((e) => e.kind === 'resumed')).toBe(true);
    expect((await sim.slash({ guildId, userId: ALICE, command: 'ping' })).content).toBe('shard 0');
    expect(errors).toEqual([]);
  });

  it('delivers an interaction sent while the shard is away once it resumes', async () => {
    sim = await DiscordSimulator.start();
    const guildId = sim.addGuild({ name: 'Queue' }).id;
    sim.addMember(guildId, { id: ALICE, username: 'alice' });
    await connect();
    sim.disconnectShard(0);
    const reply = await sim.slash({ guildId, userId: ALICE, command: 'ping', timeoutMs: 10_000 });
    expect(reply.content).toBe('shard 0');
  });

  it('makes the client IDENTIFY again when the session cannot be resumed (op 9)', async () => {
    sim = await DiscordSimulator.start();
    const guildId = sim.addGuild({ name: 'Fresh' }).id;
    sim.addMember(guildId, { id: ALICE, username: 'alice' });
    // @discordjs/ws spaces identifies of one shard 5 s apart; skip that client-side wait to keep the test quick.
    const { errors } = await connect({
      ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) },
    });

    const invalid = sim.waitForGatewayEvent('invalid-session');
    const reidentified = sim.waitForGatewayEvent('ready', { shard: 0, timeoutMs: 20_000 });
    sim.disconnectShard(0, { resumable: false });
    await invalid;
    await reidentified;

    expect(sim.gatewayEvents.filter((e) => e.kind === 'identify')).toHaveLength(2);
    expect((await sim.slash({ guildId, userId: ALICE, command: 'ping' })).content).toBe('shard 0');
    expect(errors).toEqual([]);
  });

  it('makes the client reconnect and resume on op 7', async () => {
    sim = await DiscordSimulator.start();
    sim.addGuild({ name: 'Reconnect' });
    const { client } = await connect();
    const resumed = once(client, 'shardResume');
    sim.requestReconnect(0);
    await resumed;
    expect(sim.gatewayEvents.filter((e) => e.kind === 'identify')).toHaveLength(1);
  });
});

describe('heartbeats and member requests', () => {
  it('acknowledges heartbeats at the interval it announced', async () => {
    sim = await DiscordSimulator.start({ heartbeatIntervalMs: 40 });
    sim.addGuild({ name: 'Beat' });
    const { client } = await connect();
    await new Promise<void>((resolve) => {
      client.on('debug', (line) => {
        if (line.includes('Heartbeat acknowledged')) resolve();
      });
    });
    expect(client.ws.ping).toBeGreaterThanOrEqual(0);
  });

  it('answers a gateway member request (op 8) with GUILD_MEMBERS_CHUNK', async () => {
    sim = await DiscordSimulator.start();
    const guildId = sim.addGuild({ name: 'Members' }).id;
    for (let i = 0; i < 5; i++)
      sim.addMember(guildId, { id: `30000000000000001${i}`, username: `member${i}` });
    const { client } = await connect();
    const members = await client.guilds.cache.get(guildId)!.members.fetch({ query: 'member', limit: 0 });
    expect(members.size).toBe(5);
  });
});

describe('bad input', () => {
  it('survives malformed payloads sent to the client and from a client', async () => {
    sim = await DiscordSimulator.start();
    const guildId = sim.addGuild({ name: 'Chaos' }).id;
    sim.addMember(guildId, { id: ALICE, username: 'alice' });
    await connect();

    sim.sendRaw(0, 'this is not json {');
    sim.sendRaw(0, { op: 0, t: 'NOT_A_REAL_EVENT', s: null, d: null });
    sim.sendRaw(0, { op: 42 });

    const raw = new WebSocket(
      sim.apiUrl.replace(/^http/, 'ws').replace(/\/api$/, '/gateway?v=10&encoding=json'),
    );
    const hello = await new Promise<unknown>((resolve) =>
      raw.once('message', (data) => resolve(JSON.parse(String(data)))),
    );
    expect(hello).toMatchObject({ op: 10, d: { heartbeat_interval: 41_250 } });
    const closed = once(raw, 'close');
    raw.send('{{{ definitely not json');
    const [code] = await closed;
    expect(code).toBe(4002);

    const unauthenticated = new WebSocket(sim.gatewayUrl);
    await once(unauthenticated, 'message');
    const refused = once(unauthenticated, 'close');
    unauthenticated.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 1, properties: {} } }));
    expect((await refused)[0]).toBe(4004);

    expect((await sim.slash({ guildId, userId: ALICE, command: 'still-alive' })).content).toBe('shard 0');
    expect(sim.gatewayEvents.some((e) => e.kind === 'malformed' && e.detail === 4002)).toBe(true);
    expect(sim.internalErrors).toEqual([]);
  });
});

describe('voice states', () => {
  it('sends the members in voice in GUILD_CREATE, as a bot connecting later reads them; leaving forgets them', async () => {
    sim = await DiscordSimulator.start();
    const guild = sim.addGuild({ name: 'voice' });
    sim.addMember(guild.id, { id: ALICE, username: 'alice' });
    const bob = sim.addMember(guild.id, { username: 'bob' }).userId;
    const carl = sim.addMember(guild.id, { username: 'carl' }).userId;
    const channel = '990000000000000001';
    sim.setVoiceState({ guildId: guild.id, userId: ALICE, channelId: channel, selfDeaf: true });
    sim.setVoiceState({ guildId: guild.id, userId: bob, channelId: channel });
    sim.setVoiceState({ guildId: guild.id, userId: carl, channelId: channel });
    sim.setVoiceState({ guildId: guild.id, userId: carl, channelId: null });
    sim.removeMember(guild.id, bob);
    const { client } = await connect({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildVoiceStates],
    });
    const states = client.guilds.cache.get(guild.id)!.voiceStates.cache;
    expect([...states.keys()]).toEqual([ALICE]);
    expect(states.get(ALICE)).toMatchObject({ channelId: channel, selfDeaf: true, serverDeaf: false });
  });
});

/** A bare gateway socket: every frame it received, and a way to wait for the next one matching. */
async function rawShard(url: string) {
  const socket = new WebSocket(url);
  const frames: Array<{ op: number; t?: string | null; s?: number | null; d?: unknown }> = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    frames.push(JSON.parse(String(data)));
    for (const wake of [...waiters]) wake();
  });
  const next = (match: (f: (typeof frames)[number]) => boolean) =>
    new Promise<(typeof frames)[number]>((resolve) => {
      const check = () => {
        const found = frames.find(match);
        if (!found) return;
        waiters.delete(check);
        resolve(found);
      };
      waiters.add(check);
      check();
    });
  await next((f) => f.op === 10);
  const send = (op: number, d: unknown) => socket.send(JSON.stringify({ op, d }));
  return { socket, frames, next, send };
}

describe('identify concurrency and sessions across connections', () => {
  it('accepts one IDENTIFY per bucket (shard_id % max_concurrency) per window and refuses the rest with op 9', async () => {
    let clock = Date.UTC(2026, 0, 1);
    sim = await DiscordSimulator.start({
      now: () => clock,
      identifyConcurrency: { maxConcurrency: 2, windowMs: 1_000 },
    });
    const gateway = (await (
      await fetch(`${sim.apiUrl}/v10/gateway/bot`, { headers: { authorization: `Bot ${sim.botToken}` } })
    ).json()) as { session_start_limit: { max_concurrency: number } };
    expect(gateway.session_start_limit.max_concurrency).toBe(2);

    const identify = async (shard: number) => {
      const raw = await rawShard(sim.gatewayUrl);
      raw.send(2, { token: sim.botToken, intents: 1, properties: {}, shard: [shard, 4] });
      return (await raw.next((f) => f.op === 9 || f.t === 'READY')).op === 9 ? 'refused' : 'ready';
    };
    expect(await identify(0)).toBe('ready'); // bucket 0
    expect(await identify(1)).toBe('ready'); // bucket 1, same window
    expect(await identify(2)).toBe('refused'); // bucket 0 again within the window
    clock += 999;
    expect(await identify(3)).toBe('refused'); // bucket 1, 999 ms later
    clock += 1;
    expect(await identify(2)).toBe('ready');
    expect(sim.shardTally()).toEqual([
      { shard: 0, identifies: 1, resumes: 0, throttled: 0 },
      { shard: 1, identifies: 1, resumes: 0, throttled: 0 },
      { shard: 2, identifies: 1, resumes: 0, throttled: 1 },
      { shard: 3, identifies: 0, resumes: 0, throttled: 1 },
    ]);
  });

  it('keeps a session whose socket died abruptly and lets another connection RESUME it with what it missed', async () => {
    sim = await DiscordSimulator.start({ identifyConcurrency: { maxConcurrency: 1 } });
    const guildId = sim.addGuild({ name: 'Handover' }).id;
    const first = await rawShard(sim.gatewayUrl);
    first.send(2, { token: sim.botToken, intents: 1, properties: {}, shard: [0, 1] });
    const ready = (await first.next((f) => f.t === 'READY')) as { d: { session_id: string } };
    const last = await first.next((f) => f.t === 'GUILD_CREATE');
    const closed = sim.waitForGatewayEvent('close', { shard: 0 });
    first.socket.terminate(); // a killed process: no close frame
    await closed;

    const roleId = sim.addRole(guildId, { name: 'While away' }); // dispatched into the session's backlog
    const second = await rawShard(sim.gatewayUrl);
    second.send(6, { token: sim.botToken, session_id: ready.d.session_id, seq: last.s });
    await second.next((f) => f.t === 'RESUMED');
    const missed = second.frames.filter((f) => f.op === 0).map((f) => f.t);
    expect(missed).toEqual(['GUILD_ROLE_CREATE', 'RESUMED']);
    expect(second.frames.find((f) => f.t === 'GUILD_ROLE_CREATE')).toMatchObject({
      d: { guild_id: guildId, role: { id: roleId } },
    });
    expect(sim.shardTally()).toEqual([{ shard: 0, identifies: 1, resumes: 1, throttled: 0 }]);
    second.socket.close();
  });
});
