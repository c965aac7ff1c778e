import { DiscordSimulator } from '@guildmint/discord-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionedDiscordApi } from '../discord/api';
import { DiscordOwnerDm } from './owner-dm';

/** The failed-payment DM, as the bot, to whoever owns the guild on Discord now (the Discord simulator). */
describe('owner DM', () => {
  let sim: DiscordSimulator;
  beforeAll(async () => {
    sim = await DiscordSimulator.start();
  });
  afterAll(() => sim.close());

  it('reaches the guild’s current owner, and nobody else', async () => {
    const first = sim.addUser({ id: '430000000000000001', username: 'first' });
    const second = sim.addUser({ id: '430000000000000002', username: 'second' });
    const guild = sim.addGuild({ name: 'Paying Guild', ownerId: first.id });
    const dm = new DiscordOwnerDm({ token: sim.botToken, apiUrl: versionedDiscordApi(sim.apiUrl) });
    await dm.notify(guild.id, 'Guildmint: the payment for your Pro plan failed.');
    expect(sim.directMessages(first.id).map((m) => m.content)).toEqual([
      'Guildmint: the payment for your Pro plan failed.',
    ]);
    expect(sim.directMessages(second.id)).toEqual([]);
  });

  it('fails loudly for a guild Discord does not know (billing logs it and carries on)', async () => {
    const dm = new DiscordOwnerDm({ token: sim.botToken, apiUrl: versionedDiscordApi(sim.apiUrl) });
    await expect(dm.notify('439999999999999999', 'x')).rejects.toThrow(/Discord answered 404/);
  });
});
