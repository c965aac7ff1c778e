import { once } from 'node:events';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  type Client,
  DiscordAPIError,
  type Entitlement,
  EntitlementType,
  GatewayIntentBits,
  type Interaction,
  SKUFlags,
  SKUType,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordSimulator, guildIdForShard, SimulatorErrorCode } from './index.js';
import { connectClient } from './testing.js';

// Premium Apps against a real discord.js client: SKUs, purchases and the entitlement gateway events, the
// entitlement REST endpoints with their filters, test entitlements, consumption, and interactions that
// carry the entitlements that apply.

const ALICE = '300000000000000001';
const BOB = '300000000000000002';

let sim: DiscordSimulator;
let client: Client | undefined;
let errors: Error[] = [];
/** Entitlement dispatches in arrival order, with the shard that got them. */
let seen: Array<{ t: string; id: string; shard: number; endsAt: string | null; deleted: boolean }> = [];
let clock = Date.UTC(2026, 11, 1);

afterEach(async () => {
  expect(errors).toEqual([]);
  await client?.destroy();
  await sim?.close();
  client = undefined;
});

async function setup(o: { shardCount?: number; guildId?: string } = {}) {
  clock = Date.UTC(2026, 11, 1);
  seen = [];
  sim = await DiscordSimulator.start({ now: () => clock, recommendedShards: o.shardCount ?? 1 });
  const guildId = sim.addGuild({ name: 'Casino', ...(o.guildId !== undefined && { id: o.guildId }) }).id;
  sim.addMember(guildId, { id: ALICE, username: 'alice' });
  sim.addMember(guildId, { id: BOB, username: 'bob' });
  const pro = sim.addSku({ name: 'Guildmint Pro', kind: 'guild-subscription' });
  ({ client, errors } = await connectClient(sim, {
    intents: [GatewayIntentBits.Guilds],
    ...(o.shardCount !== undefined && { shardCount: o.shardCount }),
  }));
  client.on(
    'raw',
    (packet: { t?: string; d?: { id: string; ends_at: string | null; deleted: boolean } }, shard: number) => {
      if (packet.t?.startsWith('ENTITLEMENT_') && packet.d)
        seen.push({
          t: packet.t,
          id: packet.d.id,
          shard,
          endsAt: packet.d.ends_at,
          deleted: packet.d.deleted,
        });
    },
  );
  return { guildId, pro, client };
}

async function next(c: Client, event: 'entitlementCreate' | 'entitlementDelete'): Promise<Entitlement> {
  const [entitlement] = (await once(c, event)) as [Entitlement];
  return entitlement;
}

describe('SKUs', () => {
  it('lists the application SKUs with their type and flags', async () => {
    const { pro, client: c } = await setup();
    const once = sim.addSku({ name: 'Coin chest', kind: 'consumable' });
    const skus = await c.application!.fetchSKUs();
    expect(skus.get(pro.id)).toMatchObject({
      name: 'Guildmint Pro',
      slug: 'guildmint-pro',
      type: SKUType.Subscription,
    });
    expect(skus.get(pro.id)!.flags.has(SKUFlags.GuildSubscription | SKUFlags.Available)).toBe(true);
    expect(skus.get(once.id)!.type).toBe(SKUType.Consumable);
  });
});

describe('purchases and the entitlement events', () => {
  it('sends ENTITLEMENT_CREATE for a guild subscription, and REST gives the same entitlement', async () => {
    const { guildId, pro, client: c } = await setup();
    const created = next(c, 'entitlementCreate');
    const bought = sim.purchaseSku({ guildId, userId: ALICE, skuId: pro.id });
    const event = await created;
    expect(event).toMatchObject({ id: bought.id, skuId: pro.id, guildId, userId: ALICE, deleted: false });
    expect(event.type).toBe(EntitlementType.ApplicationSubscription);
    expect(event.startsTimestamp).toBe(clock);
    expect(event.endsAt).toBeNull();
    expect(event.isActive()).toBe(true);

    const fetched = await c.application!.entitlements.fetch({ entitlement: bought.id, force: true });
    expect(fetched).toMatchObject({ id: bought.id, guildId, skuId: pro.id });
    // A second purchase of what the guild already holds is refused, as Discord's store does.
    expect(() => sim.purchaseSku({ guildId, userId: BOB, skuId: pro.id })).toThrow(/already holds/);
    expect(() => sim.purchaseSku({ guildId, userId: ALICE, skuId: '1' })).toThrow(
      expect.objectContaining({ code: SimulatorErrorCode.UNKNOWN_SKU }),
    );
  });

  it('renewal and cancellation leave the entitlement alone; the end sets ends_at with ENTITLEMENT_UPDATE', async () => {
    const { guildId, pro, client: c } = await setup();
    const bought = sim.purchaseSku({ guildId, userId: ALICE, skuId: pro.id });
    expect(sim.renewSubscription(bought.id).ends_at).toBeNull();
    expect(sim.cancelSubscription(bought.id).ends_at).toBeNull();
    expect(() => sim.renewSubscription(bought.id)).toThrow(/cancelled/);
    clock += 60_000;
    const updated = once(c, 'entitlementUpdate') as Promise<[Entitlement | null, Entitlement]>;
    const ended = sim.endSubscription(bought.id);
    const [, after] = await updated;
    expect(after.endsTimestamp).toBe(clock);
    expect(ended.ends_at).toBe(new Date(clock).toISOString());
    // Nothing in between: create, then update, and no event for the renewal or the cancellation.
    expect(seen.map((e) => e.t)).toEqual(['ENTITLEMENT_CREATE', 'ENTITLEMENT_UPDATE']);
    clock += 1;
    expect(after.isActive()).toBe(false);
    const live = await c.application!.entitlements.fetch({ guild: guildId, excludeEnded: true });
    expect(live.size).toBe(0);
    const all = await c.application!.entitlements.fetch({ guild: guildId });
    expect([...all.keys()]).toEqual([bought.id]);
  });

  it('a deleted entitlement (refund) sends ENTITLEMENT_DELETE and leaves the list unless asked for', async () => {
    const { guildId, pro, client: c } = await setup();
    const bought = sim.purchaseSku({ guildId, userId: ALICE, skuId: pro.id });
    const deleted = next(c, 'entitlementDelete');
    sim.deleteEntitlement(bought.id);
    expect((await deleted).deleted).toBe(true);
    expect((await c.application!.entitlements.fetch({ guild: guildId })).size).toBe(0);
    const withDeleted = await c.application!.entitlements.fetch({ guild: guildId, excludeDeleted: false });
    expect(withDeleted.get(bought.id)?.deleted).toBe(true);
    // The single read still answers, saying it is deleted.
    expect((await c.application!.entitlements.fetch({ entitlement: bought.id, force: true })).deleted).toBe(
      true,
    );
    // The guild may buy again.
    expect(sim.purchaseSku({ guildId, userId: BOB, skuId: pro.id }).id).not.toBe(bought.id);
  });

  it('sends the event to the shard that has the guild', async () => {
    const { guildId, pro, client: c } = await setup({ shardCount: 2, guildId: guildIdForShard(1, 2) });
    const created = next(c, 'entitlementCreate');
    sim.purchaseSku({ guildId, userId: ALICE, skuId: pro.id });
    await created;
    expect(seen.map((e) => e.shard)).toEqual([1]);
  });
});

describe('REST: test entitlements, consumption, filters', () => {
  it('creates and deletes a test entitlement (events both ways); refuses duplicates and real ones', async () => {
    const { guildId, pro, client: c } = await setup();
    const created = next(c, 'entitlementCreate');
    const test = await c.application!.entitlements.createTest({ sku: pro.id, guild: guildId });
    expect((await created).id).toBe(test.id);
    expect(test).toMatchObject({ guildId, skuId: pro.id, type: EntitlementType.TestModePurchase });
    expect(test.startsAt).toBeNull();
    const duplicate = await c
      .application!.entitlements.createTest({ sku: pro.id, guild: guildId })
      .catch((e) => e);
    expect(duplicate).toBeInstanceOf(DiscordAPIError);
    expect((duplicate as DiscordAPIError).code).toBe(40074);
    const unknownSku = await c
      .application!.entitlements.createTest({ sku: '1', guild: guildId })
      .catch((e) => e);
    expect((unknownSku as DiscordAPIError).code).toBe(10027);

    const deleted = next(c, 'entitlementDelete');
    await c.application!.entitlements.deleteTest(test.id);
    expect((await deleted).id).toBe(test.id);
    const again = await c.application!.entitlements.deleteTest(test.id).catch((e) => e);
    expect((again as DiscordAPIError).code).toBe(10029);

    const bought = sim.purchaseSku({ guildId, userId: ALICE, skuId: pro.id });
    const real = await c.application!.entitlements.deleteTest(bought.id).catch((e) => e);
    expect((real as DiscordAPIError).code).toBe(40019);
    expect(sim.entitlements({ guildId }).map((e) => e.id)).toEqual([bought.id]);
  });

  it('consumes a consumable once it is used; refuses a subscription', async () => {
    const { guildId, pro, client: c } = await setup();
    const chest = sim.addSku({ name: 'Coin chest', kind: 'consumable' });
    const bought = sim.purchaseSku({ guildId, userId: ALICE, skuId: chest.id });
    expect(bought.guild_id).toBeUndefined();
    await c.application!.entitlements.consume(bought.id);
    expect(sim.entitlements({ userId: ALICE })[0]?.consumed).toBe(true);
    const sub = sim.purchaseSku({ guildId, userId: ALICE, skuId: pro.id });
    const refused = await c.application!.entitlements.consume(sub.id).catch((e) => e);
    expect((refused as DiscordAPIError).code).toBe(50057);
  });

  it('filters by user, guild and SKUs, pages with limit/after/before, and refuses a bad limit', async () => {
    const { guildId, pro, client: c } = await setup();
    const other = sim.addGuild({ name: 'Other' }).id;
    sim.addMember(other, { id: BOB, username: 'bob' });
    const perk = sim.addSku({ name: 'Perk', kind: 'user-subscription' });
    const a = sim.purchaseSku({ guildId, userId: ALICE, skuId: pro.id });
    const b = sim.purchaseSku({ guildId: other, userId: BOB, skuId: pro.id });
    const p = sim.purchaseSku({ guildId, userId: BOB, skuId: perk.id });
    const ids = async (o: Parameters<NonNullable<Client['application']>['entitlements']['fetch']>[0]) => [
      ...(await c.application!.entitlements.fetch(o)).keys(),
    ];
    expect(await ids({ guild: guildId })).toEqual([a.id]);
    expect(await ids({ user: BOB })).toEqual([b.id, p.id]);
    expect(await ids({ skus: [perk.id] })).toEqual([p.id]);
    expect(await ids({ limit: 2 })).toEqual([a.id, b.id]);
    expect(await ids({ after: a.id })).toEqual([b.id, p.id]);
    expect(await ids({ before: p.id, limit: 1 })).toEqual([b.id]);
    // Discord's boolean query strings: `0` keeps the deleted ones, which are left out by default.
    sim.deleteEntitlement(a.id);
    const raw = (query: string) =>
      fetch(`${sim.apiUrl}/v10/applications/${sim.applicationId}/entitlements?${query}`, {
        headers: { authorization: `Bot ${sim.botToken}` },
      });
    const withDeleted = (await (await raw(`guild_id=${guildId}&exclude_deleted=0`)).json()) as Array<{
      id: string;
    }>;
    expect(withDeleted.map((e) => e.id)).toEqual([a.id]);
    expect(await (await raw(`guild_id=${guildId}`)).json()).toEqual([]);
    expect((await raw('exclude_deleted=maybe')).status).toBe(400);
    const bad = await c.application!.entitlements.fetch({ limit: 101 }).catch((e) => e);
    expect((bad as DiscordAPIError).status).toBe(400);
    const foreign = await fetch(`${sim.apiUrl}/v10/applications/1/entitlements`, {
      headers: { authorization: `Bot ${sim.botToken}` },
    });
    expect(foreign.status).toBe(404);
  });
});

describe('the premium button', () => {
  it("a member presses the bot's premium button and buys its SKU; a message without one is refused", async () => {
    const { guildId, pro, client: c } = await setup();
    c.on('interactionCreate', (interaction: Interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setStyle(ButtonStyle.Premium).setSKUId(pro.id),
      );
      interaction
        .reply({ content: 'Upgrade this server', components: [row] })
        .catch((error: unknown) => errors.push(error as Error));
    });
    const offer = await sim.slash({ guildId, userId: ALICE, command: 'upgrade' });
    const created = next(c, 'entitlementCreate');
    const bought = sim.pressPremiumButton({ guildId, userId: ALICE, message: offer });
    expect((await created).id).toBe(bought.id);
    expect(bought).toMatchObject({ sku_id: pro.id, guild_id: guildId, user_id: ALICE });
    expect(() =>
      sim.pressPremiumButton({ guildId, userId: ALICE, message: { ...offer, components: [] } }),
    ).toThrow(expect.objectContaining({ code: SimulatorErrorCode.UNKNOWN_COMPONENT }));
  });
});

describe('interactions', () => {
  it('carry the live entitlements of the guild and of the member, and none once ended', async () => {
    const { guildId, pro, client: c } = await setup();
    const perk = sim.addSku({ name: 'Perk', kind: 'user-subscription' });
    const guildSub = sim.purchaseSku({ guildId, userId: ALICE, skuId: pro.id });
    const bobPerk = sim.purchaseSku({ guildId, userId: BOB, skuId: perk.id });
    const carried: string[][] = [];
    c.on('interactionCreate', (interaction: Interaction) => {
      if (!interaction.isChatInputCommand()) return;
      carried.push([...interaction.entitlements.keys()].sort());
      interaction.reply({ content: 'ok' }).catch((error: unknown) => errors.push(error as Error));
    });
    await sim.slash({ guildId, userId: ALICE, command: 'premium' });
    await sim.slash({ guildId, userId: BOB, command: 'premium' });
    sim.endSubscription(guildSub.id);
    clock += 1;
    await sim.slash({ guildId, userId: BOB, command: 'premium' });
    expect(carried).toEqual([[guildSub.id], [guildSub.id, bobPerk.id].sort(), [bobPerk.id]]);
  });
});
