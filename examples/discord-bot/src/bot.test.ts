import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiscordSimulator } from '@guildmint/discord-simulator';
import { createEconomy, type Economy } from '@guildmint/sdk';
import type { Client } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from './bot.js';

// The quickstart's bot, unchanged, logged in to the Discord simulator with a real discord.js client, on a
// libSQL file: each command answers, and money moves once, even when Discord delivers an interaction twice.

describe('the example discord.js bot', () => {
  let sim: DiscordSimulator;
  let economy: Economy;
  let client: Client;
  let dir: string;
  let guildId: string;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    sim = await DiscordSimulator.start({ strictCommands: true }); // only what the bot registered
    const guild = sim.addGuild({ name: 'Quickstart' });
    guildId = guild.id;
    alice = sim.addMember(guild.id, { username: 'alice' }).userId;
    bob = sim.addMember(guild.id, { username: 'bob' }).userId;
    dir = mkdtempSync(join(tmpdir(), 'guildmint-example-bot-'));
    economy = createEconomy({ storage: `file:${join(dir, 'economy.db')}` });
    await economy.migrate();
    client = await startBot({ token: sim.botToken, economy, apiUrl: sim.apiUrl });
  });

  afterAll(async () => {
    await client?.destroy();
    await economy?.close();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const slash = async (
    command: string,
    options: Record<string, string | number> = {},
    o: { as?: string; interactionId?: string } = {},
  ) => {
    const reply = await sim.slash({
      guildId,
      userId: o.as ?? alice,
      command,
      options,
      ...(o.interactionId && { interactionId: o.interactionId }),
    });
    return reply.content ?? '';
  };
  const balance = (member: string) => economy.tenant(guildId).balance(member);

  it('registers its three commands', () => {
    expect(
      sim
        .commands()
        .map((c) => c.name)
        .sort(),
    ).toEqual(['coinflip', 'daily', 'pay']);
  });

  it('/daily pays once a day', async () => {
    const reply = await slash('daily');
    const paid = BigInt(/^\+(\d+) coins!/.exec(reply)?.[1] ?? 'no amount');
    expect(paid).toBeGreaterThan(0n);
    expect(reply).toContain(`You have ${paid}.`);
    expect(await balance(alice)).toBe(paid);
    expect(await slash('daily')).toMatch(/^Not yet: try again <t:\d+:R>\.$/);
    expect(await balance(alice)).toBe(paid);
  });

  it('/pay moves the coins once, even when the interaction is delivered twice', async () => {
    const before = await balance(alice);
    const id = String((BigInt(Date.now()) - 1_420_070_400_000n) << 22n); // a snowflake of now
    const first = await slash('pay', { member: bob, amount: 50 }, { interactionId: id });
    expect(first).toMatch(new RegExp(`^Paid 50 coins to <@${bob}> \\(tax (\\d+)\\)\\. You have (\\d+)\\.$`));
    const tax = BigInt(/tax (\d+)/.exec(first)![1]!);
    const again = await slash('pay', { member: bob, amount: 50 }, { interactionId: id });
    expect(again).toBe(first); // the same receipt
    expect(await balance(bob)).toBe(50n);
    expect(await balance(alice)).toBe(before - 50n - tax);
  });

  it('/pay more than you have is refused, and changes nothing', async () => {
    const [a, b] = [await balance(alice), await balance(bob)];
    expect(await slash('pay', { member: bob, amount: 1_000_000 })).toBe("You don't have enough coins.");
    expect([await balance(alice), await balance(bob)]).toEqual([a, b]);
  });

  it('/coinflip takes the bet and pays the win', async () => {
    const before = await balance(alice);
    const reply = await slash('coinflip', { bet: 10, side: 'heads' });
    const won = /^🪙 You won (\d+) coins\./.exec(reply);
    const lost = /^🪙 You lost 10 coins\./.exec(reply);
    expect(won || lost, reply).toBeTruthy();
    const after = await balance(alice);
    expect(after).toBe(before - 10n + (won ? BigInt(won[1]!) : 0n));
    expect(reply).toContain(`You have ${after}.`);
  });
});
