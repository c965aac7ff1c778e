import { DiscordSimulator, guildIdForShard, type SimReply } from '@guildmint/discord-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { said, tempStorage } from './support/harness.js';
import { type BotProcess, spawnBot } from './support/process.js';

// Two runtime processes, two shards each (shard count 4), one simulator, one shared libSQL file.

const SHARDS = 4;
let sim: DiscordSimulator;
let bots: BotProcess[] = [];
const storage = tempStorage();
const guilds: Array<{ id: string; shard: number }> = [];
const member = '300000000000000042';

beforeAll(async () => {
  sim = await DiscordSimulator.start();
  for (let shard = 0; shard < SHARDS; shard++) {
    for (let nth = 0; nth < 2; nth++) {
      const id = guildIdForShard(shard, SHARDS, nth);
      sim.addGuild({ id, name: `Guild ${shard}.${nth}` });
      sim.addMember(id, { id: member, username: 'nomad' });
      guilds.push({ id, shard });
    }
  }
  const common = {
    DISCORD_TOKEN: sim.botToken,
    DISCORD_APPLICATION_ID: sim.applicationId,
    DISCORD_API_URL: sim.apiUrl,
    DATABASE_URL: storage.url,
    METRICS_PORT: 'off',
    LOG_LEVEL: 'info',
  };
  // One process by index and count, the other by explicit shard ids: both ways of saying "process i of N".
  bots = [
    spawnBot({ ...common, PROCESS_INDEX: '0', PROCESS_COUNT: '2', SHARD_COUNT: String(SHARDS) }),
    spawnBot({ ...common, SHARD_IDS: '2,3', SHARD_COUNT: String(SHARDS) }),
  ];
  await Promise.all(bots.map((bot) => bot.waitForLog((l) => l.msg === 'ready', 60_000)));
  await sim.waitForShards(SHARDS);
}, 90_000);

afterAll(async () => {
  await Promise.all(bots.map((bot) => bot.stop()));
  await sim?.close();
  storage.cleanup();
});

describe('end to end: sharding across two processes', () => {
  it('each process runs its own shards and registers its guilds’ commands', () => {
    const shardsOf = (bot: BotProcess) =>
      bot.lines
        .filter((l) => l.msg === 'shard ready')
        .map((l) => l.shard)
        .sort();
    expect(shardsOf(bots[0]!)).toEqual([0, 1]);
    expect(shardsOf(bots[1]!)).toEqual([2, 3]);
    for (const guild of guilds) expect(sim.commands(guild.id).map((c) => c.name)).toContain('daily');
  });

  it('answers every guild exactly once, from the process that owns its shard', async () => {
    const replies: SimReply[] = [];
    for (const guild of guilds)
      replies.push(await sim.slash({ guildId: guild.id, userId: member, command: 'daily' }));
    for (const reply of replies) expect(said(reply)).toMatch(/You received \*\*🪙 200\*\*/);

    for (const [i, reply] of replies.entries()) {
      const callbacks = sim.calls.filter(
        (c) => c.method === 'POST' && c.path.startsWith(`/interactions/${reply.interactionId}/`),
      );
      expect(callbacks).toHaveLength(1);
      // The owning process logs the answer right after sending it; the other never sees the interaction.
      const answered = (l: Record<string, unknown>) =>
        l.msg === 'interaction answered' && l.interactionId === reply.interactionId;
      const expected = guilds[i]!.shard < 2 ? bots[0]! : bots[1]!;
      const other = expected === bots[0] ? bots[1]! : bots[0]!;
      const line = await expected.waitForLog(answered, 10_000);
      expect(line).toMatchObject({
        guildId: guilds[i]!.id,
        tenant: guilds[i]!.id,
        shard: guilds[i]!.shard,
        ok: true,
      });
      expect(other.lines.some(answered)).toBe(false);
    }
    // Each guild is its own tenant: one member, one daily each, in one shared store.
    for (const guild of guilds) {
      expect(said(await sim.slash({ guildId: guild.id, userId: member, command: 'balance' }))).toContain(
        'You have **🪙 200**',
      );
    }
  });

  it('stops gracefully on SIGTERM', async () => {
    const codes = await Promise.all(bots.map((bot) => bot.stop()));
    expect(codes).toEqual([0, 0]);
    for (const bot of bots) expect(bot.lines.some((l) => l.msg === 'stopped')).toBe(true);
  });
});
