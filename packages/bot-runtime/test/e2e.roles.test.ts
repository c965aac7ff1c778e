import { defineEconomy, presets } from '@guildmint/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rig, said, startRig, waitForEvent } from './support/harness.js';

/**
 * A shop item's role is handed out by the bot, which holds Manage Roles. The control plane refuses
 * such items at publish unless the publisher may grant the role; if one got into a config anyway
 * (an SDK call, an older version), the runtime re-checks at the moment of purchase and sells nothing.
 */
describe('end to end: roles a shop item grants', () => {
  let rig: Rig;
  let above: string;
  let below: string;

  beforeAll(async () => {
    rig = await startRig();
    above = rig.sim.addRole(rig.guild.id, { name: 'Crown', aboveBot: true });
    below = rig.sim.addRole(rig.guild.id, { name: 'Badge' });
    const synced = waitForEvent(
      rig.runtime,
      'commandsSynced',
      (r) => r.guildId === rig.guild.id && r.version === 1,
    );
    // Written straight through the SDK, past the control plane's check.
    await rig.runtime.economy.tenant(rig.guild.id).configure(
      defineEconomy({
        ...presets.classic,
        shop: {
          ...presets.classic.shop,
          items: {
            crown: { name: 'Crown', price: 50, effects: [{ type: 'role', roleId: above }] },
            mascot: { name: 'Mascot', price: 50, effects: [{ type: 'role', roleId: rig.guild.botRoleId }] },
            everyone: { name: 'Everyone', price: 50, effects: [{ type: 'role', roleId: rig.guild.id }] },
            badge: { name: 'Badge', price: 50, effects: [{ type: 'role', roleId: below }] },
          },
        },
      }),
    );
    await synced;
    await rig.slash('daily');
  });
  afterAll(async () => {
    await rig?.close();
  });

  it.each([
    ['crown', /not below my highest role/],
    ['mascot', /managed by an integration/],
    ['everyone', /everyone already has @everyone/],
  ])('refuses to sell %s: nothing charged, no role given', async (item, why) => {
    const before = await rig.balance();
    const reply = await rig.slash('buy', { item });
    expect(reply.ephemeral).toBe(true);
    expect(said(reply)).toMatch(why);
    expect(said(reply)).toMatch(/Nothing was charged/);
    expect(await rig.balance()).toBe(before);
    expect(await rig.runtime.economy.tenant(rig.guild.id).inventory(rig.alice)).toEqual([]);
    expect(rig.sim.member(rig.guild.id, rig.alice)?.roles).toEqual([]);
  });

  it('sells an item whose role sits below the bot, and gives the role', async () => {
    const before = await rig.balance();
    const reply = await rig.slash('buy', { item: 'badge' });
    expect(said(reply)).toMatch(new RegExp(`You now have <@&${below}>`));
    expect(await rig.balance()).toBe(before - 50n);
    expect(rig.sim.member(rig.guild.id, rig.alice)?.roles).toEqual([below]);
  });
});
