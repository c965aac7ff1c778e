import { defineEconomy, presets } from '@guildmint/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandHarness } from './support/commands.js';
import { type Rig, said, startRig, waitForEvent } from './support/harness.js';

// `/leaderboard` links to the guild's public page on the control plane only when the owner turned the
// page on (config `publicLeaderboard`) and the bot knows the control plane's public address.

describe('end to end: /leaderboard links to the public page', () => {
  let rig: Rig;

  beforeAll(async () => {
    rig = await startRig({ runtime: { publicUrl: 'https://guildmint.example/' } });
    await rig.runtime.economy.tenant(rig.guild.id).grant(rig.alice, 500n, { reason: 'e2e funds' });
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('has no link while the page is off, and the guild page once the config turns it on', async () => {
    const off = said(await rig.slash('leaderboard'));
    expect(off).toMatch(/🥇 <@\d+> — 🪙 500/);
    expect(off).not.toMatch(/leaderboard\//);

    const tenant = rig.runtime.economy.tenant(rig.guild.id);
    const changed = waitForEvent(rig.runtime, 'configChanged', (c) => c.guildId === rig.guild.id);
    await tenant.configure(defineEconomy({ ...presets.classic, publicLeaderboard: true }));
    await changed;
    expect(said(await rig.slash('leaderboard'))).toContain(
      `[See the whole board](https://guildmint.example/leaderboard/${rig.guild.id})`,
    );
    expect(said(await rig.slash('leaderboard', { by: 'bank' }))).toContain(
      `(https://guildmint.example/leaderboard/${rig.guild.id}?by=bank)`,
    );
  });
});

describe('/leaderboard without the control plane address', () => {
  it('has no link even when the page is on', async () => {
    const h = await commandHarness({ config: { ...presets.classic, publicLeaderboard: true } });
    await h.tenant.grant('200000000000000001', 10n, { reason: 'x' });
    const { embeds } = await h.run('leaderboard');
    expect(JSON.stringify(embeds)).toMatch(/🪙 10/);
    expect(JSON.stringify(embeds)).not.toMatch(/See the whole board/);
    await h.economy.close();
  });
});
