import { DiscordSimulator } from '@guildmint/discord-simulator';
import { createEconomy, defineEconomy, presets } from '@guildmint/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { type Rig, said, startRig, waitForEvent } from './support/harness.js';

// Discord's Premium Apps as a plan rail, end to end: the runtime's real discord.js client against the
// simulator, a guild subscription SKU mapped to Pro (DISCORD_SKU_PLANS), and the plan as the SDK records it.
// Every entitlement event is only a hint: the runtime re-reads the guild's entitlements over REST.

const PRO_SKU = '1300000000000000001';
const UNMAPPED_SKU = '1300000000000000002';

let rig: Rig | undefined;
let sim: DiscordSimulator | undefined;

afterEach(async () => {
  await rig?.close();
  await sim?.close();
  rig = undefined;
  sim = undefined;
});

async function start(
  runtime: { sweepIntervalMs?: number; enforcePlans?: boolean } = {},
): Promise<Rig & { simulator: DiscordSimulator }> {
  sim = await DiscordSimulator.start();
  sim.addSku({ id: PRO_SKU, name: 'Guildmint Pro', kind: 'guild-subscription' });
  sim.addSku({ id: UNMAPPED_SKU, name: 'Something else', kind: 'guild-subscription' });
  rig = await startRig({ simulator: sim, runtime: { skuPlans: new Map([[PRO_SKU, 'pro']]), ...runtime } });
  return Object.assign(rig, { simulator: sim });
}

function checked(r: Rig) {
  return waitForEvent(r.runtime, 'entitlementsChecked', (c) => c.guildId === r.guild.id);
}

function tenantOf(r: Rig) {
  return r.runtime.economy.tenant(r.guild.id);
}

/** An ENTITLEMENT_* dispatch sent straight down the gateway, as a forged or replayed one would arrive. */
function sendEntitlementEvent(r: Rig, t: string, d: Record<string, unknown>) {
  r.sim.sendRaw(0, { op: 0, t, s: null, d });
}

describe('Discord Premium Apps as a plan rail', () => {
  it('a guild subscription activates Pro; deleting the entitlement (a refund) ends it', async () => {
    const r = await start();
    expect((await tenantOf(r).plan()).name).toBe('free');

    const activated = checked(r);
    const entitlement = r.simulator.purchaseSku({ guildId: r.guild.id, userId: r.alice, skuId: PRO_SKU });
    expect((await activated)[0]).toMatchObject({ plan: 'pro', read: 1 });
    expect(await tenantOf(r).plan()).toMatchObject({
      name: 'pro',
      source: { rail: 'discord', ref: entitlement.id, status: 'active' },
    });

    const ended = checked(r);
    r.simulator.deleteEntitlement(entitlement.id);
    expect((await ended)[0].plan).toBe('free');
    expect(await tenantOf(r).plan()).toMatchObject({ name: 'free', source: null });
    expect(await tenantOf(r).entitlements()).toMatchObject([{ ref: entitlement.id, status: 'ended' }]);
  });

  it('the subscription ending (ENTITLEMENT_UPDATE with ends_at) ends the plan; a renewal and a cancel keep it', async () => {
    const r = await start();
    const activated = checked(r);
    const entitlement = r.simulator.purchaseSku({ guildId: r.guild.id, userId: r.alice, skuId: PRO_SKU });
    await activated;
    r.simulator.renewSubscription(entitlement.id);
    r.simulator.cancelSubscription(entitlement.id);
    expect((await tenantOf(r).plan()).name).toBe('pro');

    const ended = checked(r);
    r.simulator.endSubscription(entitlement.id);
    expect((await ended)[0].plan).toBe('free');
    expect(await tenantOf(r).entitlements()).toMatchObject([
      { ref: entitlement.id, status: 'ended', currentPeriodEnd: expect.any(Date) },
    ]);
  });

  it('an entitlement to a SKU no plan maps changes nothing and costs no REST read', async () => {
    const r = await start();
    const callsBefore = r.sim.calls.length;
    r.simulator.purchaseSku({ guildId: r.guild.id, userId: r.alice, skuId: UNMAPPED_SKU });
    // The next event on the same shard arrives after it: once that one is checked, the first was handled.
    const done = checked(r);
    const pro = r.simulator.purchaseSku({ guildId: r.guild.id, userId: r.bob, skuId: PRO_SKU });
    expect((await done)[0]).toMatchObject({ plan: 'pro', read: 1 });
    expect((await tenantOf(r).entitlements()).map((e) => e.ref)).toEqual([pro.id]);
    const reads = r.sim.calls
      .slice(callsBefore)
      .filter((c) => c.method === 'GET' && c.path.includes('/entitlements'));
    expect(reads).toHaveLength(1);
  });

  it('a forged event (an entitlement Discord does not have, another guild named) changes nothing', async () => {
    const r = await start();
    const other = r.simulator.addGuild({ name: 'Guild B' });
    r.simulator.addMember(other.id, { id: r.alice, username: 'alice' });
    const forged = {
      id: '1400000000000000001',
      sku_id: PRO_SKU,
      application_id: r.sim.applicationId,
      guild_id: r.guild.id,
      user_id: r.alice,
      type: 8,
      deleted: false,
      starts_at: new Date().toISOString(),
      ends_at: null,
    };
    const done = checked(r);
    sendEntitlementEvent(r, 'ENTITLEMENT_CREATE', forged);
    expect((await done)[0]).toMatchObject({ plan: 'free', read: 0 });
    expect(await tenantOf(r).entitlements()).toEqual([]);

    // A real entitlement of guild B presented as guild A's: REST says whose it is.
    const otherChecked = waitForEvent(r.runtime, 'entitlementsChecked', (c) => c.guildId === other.id);
    const real = r.simulator.purchaseSku({ guildId: other.id, userId: r.alice, skuId: PRO_SKU });
    expect((await otherChecked)[0].plan).toBe('pro');
    const again = checked(r);
    sendEntitlementEvent(r, 'ENTITLEMENT_CREATE', { ...forged, id: real.id });
    expect((await again)[0]).toMatchObject({ plan: 'free', read: 0 });
    expect(await tenantOf(r).entitlements()).toEqual([]);
    expect((await r.runtime.economy.tenant(other.id).plan()).name).toBe('pro');
  });

  it('a replayed event changes nothing: same plan, same entitlement, no new audit entry', async () => {
    const r = await start();
    const activated = checked(r);
    const entitlement = r.simulator.purchaseSku({ guildId: r.guild.id, userId: r.alice, skuId: PRO_SKU });
    await activated;
    const before = await tenantOf(r).entitlements();
    const audit = await tenantOf(r).auditLog();
    expect(audit).toHaveLength(1);

    for (const t of ['ENTITLEMENT_CREATE', 'ENTITLEMENT_CREATE', 'ENTITLEMENT_UPDATE']) {
      const replayed = checked(r);
      sendEntitlementEvent(r, t, { ...entitlement });
      expect((await replayed)[0].plan).toBe('pro');
    }
    const after = await tenantOf(r).entitlements();
    expect(after.map(({ observedAt: _, ...rest }) => rest)).toEqual(
      before.map(({ observedAt: _, ...rest }) => rest),
    );
    expect(await tenantOf(r).auditLog()).toHaveLength(1);

    // A replayed CREATE after the deletion cannot bring the plan back: REST says it is deleted.
    const ended = checked(r);
    r.simulator.deleteEntitlement(entitlement.id);
    await ended;
    const replayed = checked(r);
    sendEntitlementEvent(r, 'ENTITLEMENT_CREATE', { ...entitlement });
    expect((await replayed)[0].plan).toBe('free');
  });

  it('re-reads its guilds at start-up, in one read for all: purchases made while it was down count', async () => {
    const r = await start();
    const other = r.simulator.addGuild({ name: 'Guild B' });
    r.simulator.addMember(other.id, { id: r.alice, username: 'alice' });
    await r.runtime.stop();
    const entitlement = r.simulator.purchaseSku({ guildId: r.guild.id, userId: r.alice, skuId: PRO_SKU });
    const otherEntitlement = r.simulator.purchaseSku({ guildId: other.id, userId: r.alice, skuId: PRO_SKU });
    const callsBefore = r.sim.calls.length;
    await r.restart();
    expect(await tenantOf(r).plan()).toMatchObject({ name: 'pro', source: { ref: entitlement.id } });
    expect(await r.runtime.economy.tenant(other.id).plan()).toMatchObject({
      name: 'pro',
      source: { ref: otherEntitlement.id },
    });
    const reads = r.sim.calls
      .slice(callsBefore)
      .filter((c) => c.method === 'GET' && c.path.includes('/entitlements'));
    expect(reads).toHaveLength(1);
  });

  it('a start-up read Discord fails is logged and retried by the periodic job', async () => {
    const r = await start({ sweepIntervalMs: 20 });
    await r.runtime.stop();
    r.simulator.purchaseSku({ guildId: r.guild.id, userId: r.alice, skuId: PRO_SKU });
    // Every attempt of the first read (discord.js retries a 5xx three times) gets a 503.
    r.simulator.injectFault({ method: 'GET', path: /\/entitlements/, status: 503, times: 4 });
    await r.restart();
    // The periodic job is a timer: it cannot have run before this line.
    const retried = waitForEvent(r.runtime, 'entitlementsChecked', (c) => c.guildId === r.guild.id);
    expect((await tenantOf(r).plan()).name).toBe('free');
    expect(r.logs.some((l) => l.msg.startsWith('could not read discord entitlements'))).toBe(true);
    expect((await retried)[0].plan).toBe('pro');
  });

  it('holds a Free guild to its members; Pro lets the newcomer in and brands the replies', async () => {
    const r = await start({ enforcePlans: true });
    // The guild is at Free's 250 members (bob among them), written by another process.
    const other = createEconomy({ storage: r.options.storage! });
    const members = [
      r.bob,
      ...Array.from({ length: 249 }, (_, i) => `90000000000000${String(i).padStart(4, '0')}`),
    ];
    await other.tenant(r.guild.id).ledger.transferAll(
      members.map((userId, i) => ({
        id: `seed-${i}`,
        from: 'faucet:seed',
        to: `user:${userId}`,
        amount: 5n,
        code: 'seed',
      })),
    );
    await other.close();

    const refused = await r.slash('daily');
    expect(refused.ephemeral).toBe(true);
    expect(said(refused)).toMatch(/plan is full[\s\S]*250 members with a balance[\s\S]*Ask the server owner/);
    expect(await r.balance()).toBe(0n);
    expect(said(await r.slash('daily', {}, r.bob))).toMatch(/You received/);

    const activated = checked(r);
    r.simulator.purchaseSku({ guildId: r.guild.id, userId: r.admin, skuId: PRO_SKU });
    await activated;
    expect(said(await r.slash('daily'))).toMatch(/You received/);
    await tenantOf(r).configure(
      defineEconomy({ ...presets.classic, branding: { color: '#1abc9c', footer: 'Guild A' } }),
    );
    const branded = await r.slash('balance');
    expect(branded.embeds[0]).toMatchObject({ color: 0x1abc9c, footer: { text: 'Guild A' } });
  });
});
