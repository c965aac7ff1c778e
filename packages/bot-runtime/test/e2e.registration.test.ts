import { DiscordSimulator } from '@guildmint/discord-simulator';
import { defineEconomy, presets } from '@guildmint/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { Command } from '../src/command.js';
import { commandModules } from '../src/commands/index.js';
import { embed, reply } from '../src/replies.js';
import { type Rig, said, startRig, waitForEvent } from './support/harness.js';

// Registering a guild's slash commands when Discord (or the runtime's own check of Discord's limits) refuses
// them: the refusal is logged once per config, and nothing re-sends the same refused set.

let rig: Rig | undefined;
let sim: DiscordSimulator | undefined;
afterEach(async () => {
  await rig?.close();
  await sim?.close();
  rig = undefined;
  sim = undefined;
});

const guildCommandPuts = (r: Rig) =>
  r.sim.calls.filter(
    (c) =>
      c.method === 'PUT' && c.path === `/applications/${r.sim.applicationId}/guilds/${r.guild.id}/commands`,
  );

/** Waits for `n` more passes of the periodic job. */
async function sweeps(r: Rig, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await waitForEvent(r.runtime, 'swept');
}

describe('end to end: command registration refused', () => {
  it('a set Discord answers with 400 is logged once and never re-sent; a changed config is tried again', async () => {
    sim = await DiscordSimulator.start();
    // Discord refuses the guild's first two overwrites (as it would a set breaking one of its rules).
    sim.injectFault({
      method: 'PUT',
      path: /^\/applications\/\d+\/guilds\/\d+\/commands$/,
      status: 400,
      times: 2,
      body: { message: 'Invalid Form Body', code: 50035 },
    });
    rig = await startRig({ simulator: sim, runtime: { sweepIntervalMs: 20 } });
    const r = rig;
    expect(guildCommandPuts(r).map((c) => c.status)).toEqual([400]);

    // Members keep using what Discord still shows, and the periodic job keeps running: nothing re-sends the set.
    for (let i = 0; i < 3; i++) expect(said(await r.slash('balance'))).toMatch(/You have/);
    await sweeps(r, 5);
    await r.runtime.commandsSynced();
    expect(guildCommandPuts(r)).toHaveLength(1);
    const refusals = () => r.logs.filter((l) => l.msg === 'Discord refused the slash commands');
    expect(refusals()).toHaveLength(1);
    expect(refusals()[0]).toMatchObject({ level: 50, guildId: r.guild.id, configVersion: 0, status: 400 });

    // A new config with the same commands is not re-sent; a new set is tried once (refused again), and the
    // next one registers.
    const tenant = r.runtime.economy.tenant(r.guild.id);
    const publish = async (config: Parameters<typeof defineEconomy>[0]) => {
      version += 1;
      const next = version;
      const synced = waitForEvent(r.runtime, 'commandsSynced', (e) => e.version === next);
      expect(await tenant.configure(defineEconomy(config))).toEqual({ version: next });
      return (await synced)[0];
    };
    let version = 0;
    expect(await publish({ ...presets.classic, name: 'Renamed' })).toMatchObject({
      changed: false,
      refused: expect.stringMatching(/Discord answered 400/),
    });
    expect(guildCommandPuts(r)).toHaveLength(1);
    const { slots: _slots, ...withoutSlots } = presets.classic.games;
    expect(await publish({ ...presets.classic, games: withoutSlots })).toMatchObject({
      changed: false,
      refused: expect.any(String),
    });
    expect(await publish({ ...presets.classic, games: {} })).toMatchObject({ changed: true, refused: null });
    await sweeps(r, 3);
    expect(guildCommandPuts(r).map((c) => c.status)).toEqual([400, 400, 200]);
    expect(refusals()).toHaveLength(2);
    expect(r.sim.commands(r.guild.id).map((c) => c.name)).not.toContain('coinflip');
  });

  it('a config whose commands break Discord’s limits is refused by the runtime itself, once, with the limit named', async () => {
    // A command file offering 90 commands in a guild named "Crowded": with the built-in ones, more than 100.
    const crowd = {
      name: 'crowd',
      define: (config) =>
        config.name === 'Crowded'
          ? Array.from({ length: 90 }, (_, i) => ({ name: `crowd${i}`, description: `Crowd ${i}` }))
          : [],
      run: async () => reply(embed({ title: 'Crowd' })),
    } satisfies Command;
    rig = await startRig({
      runtime: { sweepIntervalMs: 20, commandModules: { ...commandModules, crowd } },
    });
    const r = rig;
    const before = guildCommandPuts(r).length;
    const refused = waitForEvent(r.runtime, 'commandsSynced', (e) => e.version === 1);
    await r.runtime.economy
      .tenant(r.guild.id)
      .configure(defineEconomy({ ...presets.classic, name: 'Crowded' }));
    const [result] = await refused;
    expect(result.refused).toMatch(/at most 100 slash commands/);

    // Members are told why, every time, and nothing is re-sent or re-logged.
    for (let i = 0; i < 2; i++) {
      const answer = await r.slash('balance');
      expect(answer.ephemeral).toBe(true);
      expect(said(answer)).toMatch(/at most 100 slash commands[\s\S]*server staff/);
    }
    await sweeps(r, 5);
    await r.runtime.commandsSynced();
    expect(guildCommandPuts(r)).toHaveLength(before);
    const logged = r.logs.filter((l) => l.msg === 'the config defines slash commands Discord would refuse');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 50, guildId: r.guild.id, configVersion: 1 });
  });
});
