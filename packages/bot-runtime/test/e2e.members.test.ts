import { defineEconomy, presets, type Tenant } from '@guildmint/sdk';
import { REST } from 'discord.js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { memberOverRest, TradeLeavers } from '../src/trade-leavers.js';
import { customIds, type Rig, said, startRig, waitForEvent } from './support/harness.js';

// The member features of issue 14 (bank, robbery, role income, gifts, buyback, profile), answered by the
// runtime's real discord.js client through the Discord simulator.

const LONG_AGO = new Date('2024-01-01T00:00:00Z');

describe('end to end: bank, robbery, role income, gifts, buyback and profile', () => {
  let rig: Rig;
  let tenant: Tenant;
  let rex: string;
  let vic: string;
  let nia: string;
  let earner: string;

  beforeAll(async () => {
    rig = await startRig();
    rex = rig.sim.addMember(rig.guild.id, { username: 'rex' }, { joinedAt: LONG_AGO }).userId;
    vic = rig.sim.addMember(rig.guild.id, { username: 'vic' }, { joinedAt: LONG_AGO }).userId;
    nia = rig.sim.addMember(rig.guild.id, { username: 'nia' }).userId; // joined just now
    earner = rig.sim.addRole(rig.guild.id, { name: 'Earner' });
    rig.sim.setMemberRoles(rig.guild.id, rig.alice, [earner]);
    tenant = rig.runtime.economy.tenant(rig.guild.id);
    const synced = waitForEvent(
      rig.runtime,
      'commandsSynced',
      (r) => r.guildId === rig.guild.id && r.version === 1,
    );
    await tenant.configure(
      defineEconomy({
        ...presets.classic,
        // Certain success and half the wallet, so the test can say exactly what moves.
        robbery: {
          enabled: true,
          minChanceBps: 10_000,
          maxChanceBps: 10_000,
          minStealBps: 5_000,
          maxStealBps: 5_000,
        },
        roleIncome: { enabled: true, roles: [{ roleId: earner, amount: 75, period: 'day' }] },
        trades: { enabled: true, feeBps: 1_000 },
        texts: { trade: '{member} and {target} shook hands, @everyone' },
        logChannel: {
          enabled: true,
          channelId: rig.guild.channelId,
          events: ['trade'],
          maxPostsPerMinute: 30,
        },
      }),
    );
    await synced;
    for (const who of [rex, vic, nia]) await tenant.grant(who, 1_000n, { reason: 'e2e funds' });
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('registers the member commands the config turns on', () => {
    const names = rig.sim.commands(rig.guild.id).map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining(['deposit', 'withdraw', 'rob', 'collect', 'gift', 'sell', 'profile']),
    );
  });

  it('/deposit and /withdraw move coins between wallet and bank; /balance and /leaderboard show both', async () => {
    expect(said(await rig.slash('deposit', { amount: 400 }, vic))).toMatch(
      /You put \*\*🪙 400\*\* in the bank/,
    );
    expect(said(await rig.slash('withdraw', { amount: 100 }, vic))).toMatch(
      /You took \*\*🪙 100\*\* out of the bank/,
    );
    expect(await tenant.holdings(vic)).toEqual({ wallet: 700n, bank: 300n, total: 1_000n });
    const balance = said(await rig.slash('balance', { member: vic }));
    expect(balance).toMatch(/has \*\*🪙 1,000\*\* in all/);
    expect(balance).toMatch(/Wallet: 🪙 700[\s\S]*Bank: 🪙 300/);
    const board = said(await rig.slash('leaderboard', { by: 'bank' }));
    expect(board).toMatch(/Leaderboard \(banks\)[\s\S]*🥇 <@\d+> — 🪙 300/);
    const refused = await rig.slash('withdraw', { amount: 5_000 }, vic);
    expect(refused.ephemeral).toBe(true);
    expect(await tenant.holdings(vic)).toEqual({ wallet: 700n, bank: 300n, total: 1_000n });
  });

  it('/rob takes from the wallet only, and /fair verify checks the robbery once the seed is revealed', async () => {
    const robbed = await rig.slash('rob', { member: vic }, rex);
    expect(said(robbed)).toMatch(/took \*\*🪙 350\*\* from <@\d+>'s wallet/);
    expect(await tenant.holdings(vic)).toEqual({ wallet: 350n, bank: 300n, total: 650n });
    expect(await tenant.balance(rex)).toBe(1_350n);
    const id = /Robbery (\S+) ·/.exec(said(robbed))?.[1];
    expect(id).toBe(robbed.interactionId);
    const rotated = said(await rig.slash('fair', {}, rex, { subcommand: 'rotate' }));
    const seed = /Revealed server seed: `([0-9a-f]{64})`/.exec(rotated)?.[1];
    expect(seed).toBeDefined();
    const verified = await rig.slash('fair', { round_id: id!, server_seed: seed! }, vic, {
      subcommand: 'verify',
    });
    expect(said(verified)).toMatch(/✅ Verified[\s\S]*Robbery \S+ by <@\d+>/);
  });

  it('/rob refuses a member who joined a moment ago (from Discord’s resolved member), changing nothing', async () => {
    const refused = await rig.slash('rob', { member: nia }, vic);
    expect(refused.ephemeral).toBe(true);
    expect(said(refused)).toMatch(/Not eligible[\s\S]*joined less than 7 days ago/);
    expect(await tenant.balance(nia)).toBe(1_000n);
  });

  it('/collect pays the role income once a day, for the roles Discord says the member holds', async () => {
    expect(said(await rig.slash('collect'))).toMatch(
      /You collected 🪙 75[\s\S]*<@&\d+>: \*\*🪙 75\*\* \(daily\)/,
    );
    const again = await rig.slash('collect');
    expect(again.ephemeral).toBe(true);
    expect(said(again)).toMatch(/Not yet/);
    expect(said(await rig.slash('collect', {}, rig.bob))).toMatch(/none of your roles pays an income/i);
    expect(await rig.balance()).toBe(75n);
  });

  it('/gift and /sell move items, and /profile shows it all', async () => {
    await rig.slash('buy', { item: 'snack', quantity: 3 }, vic);
    expect(said(await rig.slash('gift', { member: rex, item: 'snack', quantity: 1 }, vic))).toMatch(
      /gave <@\d+> \*\*1 × Snack\*\*/,
    );
    expect(said(await rig.slash('sell', { item: 'snack', quantity: 2 }, vic))).toMatch(
      /You sold \*\*2 × Snack\*\* for \*\*🪙 50\*\*/,
    );
    expect(await tenant.inventory(vic)).toEqual([]);
    expect(await tenant.inventory(rex)).toEqual([{ item: 'snack', quantity: 1 }]);
    const profile = said(await rig.slash('profile', { member: rex }));
    expect(profile).toMatch(/🪙 1,350\*\* in all/);
    expect(profile).toMatch(
      /Wallet: 🪙 1,350[\s\S]*Bank: 🪙 0[\s\S]*Rank: #1 of \d+[\s\S]*Inventory: 1 × Snack/,
    );
    expect((await tenant.ledger.verify()).ok).toBe(true);
  });

  it('/trade: an offer in escrow, accepted once by the member asked, with the owner’s text', async () => {
    const before = { nia: await tenant.balance(nia), rex: await tenant.balance(rex) };
    const offer = await rig.slash('trade', { member: rex, give: 100, want_item: 'snack' }, nia);
    expect(said(offer)).toMatch(/Trade offer[\s\S]*gives 🪙 100 \(\+ 🪙 10 fee\)[\s\S]*gives 1 × Snack/);
    expect(await tenant.balance(nia)).toBe(before.nia - 110n);
    const accept = customIds(offer).find((id) => id.endsWith(':accept'))!;
    const bystander = await rig.sim.click({
      guildId: rig.guild.id,
      userId: rig.bob,
      message: offer,
      customId: accept,
    });
    expect(bystander.ephemeral).toBe(true);
    // Two presses of Accept at once (a double click): exactly one completes, the other is told it is closed.
    const presses = await Promise.all(
      [1, 2].map(() =>
        rig.sim.click({ guildId: rig.guild.id, userId: rex, message: offer, customId: accept }),
      ),
    );
    const done = presses.find((p) => !p.ephemeral)!;
    expect(presses.filter((p) => p.ephemeral)).toHaveLength(1);
    expect(done.messageId).toBe(offer.messageId);
    expect(said(done)).toMatch(/Trade done[\s\S]*<@\d+> and <@\d+> shook hands, @\u200beveryone/);
    expect(customIds(done)).toEqual([]);
    // The log channel hears of it, once, without pinging anyone.
    await vi.waitFor(() => {
      const logged = rig.sim
        .messages(rig.guild.channelId)
        .filter((m) => m.embeds[0]?.title === '📒 Economy log')
        .map((m) => m.embeds[0]?.description);
      expect(logged).toEqual([`🤝 <@${nia}> and <@${rex}> completed a trade`]);
    });
    expect(await tenant.balance(rex)).toBe(before.rex + 100n);
    expect(await tenant.inventory(nia)).toEqual([{ item: 'snack', quantity: 1 }]);
    expect(await tenant.inventory(rex)).toEqual([]);
  });

  it('/trade: the proposer leaves the server; an accept and the sweep race, everything goes back once', async () => {
    const lea = rig.sim.addMember(rig.guild.id, { username: 'lea' }).userId;
    await tenant.grant(lea, 1_000n, { reason: 'e2e funds' });
    await rig.slash('buy', { item: 'snack', quantity: 1 }, lea);
    const before = { lea: await tenant.balance(lea), rex: await tenant.balance(rex) };
    const offer = await rig.slash('trade', { member: rex, give: 100, give_item: 'snack', want: 40 }, lea);
    expect(await tenant.balance(lea)).toBe(before.lea - 110n);
    expect(await tenant.inventory(lea)).toEqual([]);
    const tradeId = /Trade (\S+)$/.exec(said(offer))![1]!;
    // Lea leaves: no event reaches the bot (no Server Members intent); only Discord's REST knows.
    rig.sim.removeMember(rig.guild.id, lea);
    // The runtime's sweep step, on the same economy and Discord, run at the very moment Rex accepts.
    const sweep = new TradeLeavers({
      economy: rig.runtime.economy,
      log: pino({ level: 'silent' }),
      guilds: () => [rig.guild.id],
      isMember: memberOverRest(new REST({ api: rig.sim.apiUrl }).setToken(rig.sim.botToken)),
    });
    // Discord failing to answer is not a member leaving: the sweep leaves the trade open.
    rig.sim.injectFault({
      method: 'GET',
      path: /\/members\//,
      status: 403,
      body: { message: 'Missing Access', code: 50001 },
    });
    await sweep.run();
    expect(await tenant.trade(tradeId)).toMatchObject({ status: 'open' });
    const accept = customIds(offer).find((id) => id.endsWith(':accept'))!;
    const [pressed] = await Promise.all([
      rig.sim.click({ guildId: rig.guild.id, userId: rex, message: offer, customId: accept }),
      sweep.run(),
    ]);
    expect(said(pressed)).toMatch(
      new RegExp(
        `Trade called off[\\s\\S]*<@${lea}> is no longer in this server, so the trade is called off`,
      ),
    );
    expect(customIds(pressed)).toEqual([]);
    expect(await tenant.trade(tradeId)).toMatchObject({ status: 'cancelled', closedBy: lea });
    expect(await tenant.balance(lea)).toBe(before.lea);
    expect(await tenant.inventory(lea)).toEqual([{ item: 'snack', quantity: 1 }]);
    expect(await tenant.balance(rex)).toBe(before.rex);
    // Once: the escrow took one payment in and paid one refund out, and is empty.
    const escrow = await tenant.ledger.transfers({ account: `system:trade.${tradeId}` });
    expect(escrow.items.map((t) => t.code).sort()).toEqual(['trade.escrow', 'trade.refund']);
    expect(await tenant.ledger.balance(`system:trade.${tradeId}`)).toBe(0n);
    // A second sweep changes nothing, and the trade can no longer be accepted (its buttons are gone too).
    await sweep.run();
    await expect(tenant.acceptTrade(tradeId, { userId: rex })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await tenant.balance(lea)).toBe(before.lea);
    expect((await tenant.ledger.verify()).ok).toBe(true);
  });

  it('/trade: declined, everything goes back to the proposer', async () => {
    const before = await tenant.balance(nia);
    const offer = await rig.slash('trade', { member: rig.bob, give: 50 }, nia);
    const decline = customIds(offer).find((id) => id.endsWith(':decline'))!;
    const closed = await rig.sim.click({
      guildId: rig.guild.id,
      userId: rig.bob,
      message: offer,
      customId: decline,
    });
    expect(said(closed)).toMatch(/called the trade off/);
    expect(await tenant.balance(nia)).toBe(before);
    expect((await tenant.ledger.verify()).ok).toBe(true);
  });

  it('/profile follows the profile section: hidden parts, no peeking at others when that is off, off entirely', async () => {
    const reconfigure = async (profile: Record<string, unknown>) => {
      const { version, ...current } = await tenant.config();
      const synced = waitForEvent(
        rig.runtime,
        'commandsSynced',
        (r) => r.guildId === rig.guild.id && r.version === version + 1,
      );
      await tenant.configure(defineEconomy({ ...current, profile }));
      await synced;
    };
    const zed = rig.sim.addMember(rig.guild.id, { username: 'zed' }).userId;
    await tenant.grant(zed, 500n, { reason: 'e2e funds' });
    await tenant.deposit(zed, 100n);
    await tenant.buy(zed, 'snack', { quantity: 2 });
    await reconfigure({ show: { bank: false, rank: false }, highlights: 0, viewOthers: false });
    const command = rig.sim.commands(rig.guild.id).find((c) => c.name === 'profile');
    expect(command?.description).toBe('Your profile');
    const own = said(await rig.slash('profile', {}, zed));
    expect(own).toMatch(/🪙 300\*\* in the wallet/);
    expect(own).toMatch(/Wallet: 🪙 300[\s\S]*Inventory: 1 kind of items/);
    expect(own).not.toMatch(/Bank:|Rank:|in all/);
    // Someone else's profile: the SDK refuses, the member is told why, nothing is shown.
    const peek = await rig.slash('profile', { member: zed }, vic);
    expect(peek.ephemeral).toBe(true);
    expect(said(peek)).toMatch(/Not allowed[\s\S]*only see their own profile/);
    await reconfigure({ enabled: false });
    expect(rig.sim.commands(rig.guild.id).map((c) => c.name)).not.toContain('profile');
    await reconfigure({});
    expect(said(await rig.slash('profile', { member: zed }, vic))).toMatch(
      /🪙 400\*\* in all[\s\S]*Bank: 🪙 100[\s\S]*Rank: #\d+ of \d+[\s\S]*Inventory: 2 × Snack/,
    );
  });
});
