import { createEconomy, defineEconomy, presets } from '@guildmint/sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  customIds,
  dealOpenHand,
  type Rig,
  said,
  startRig,
  tempStorage,
  waitForEvent,
} from './support/harness.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const names = (r: Rig, guildId: string) =>
  r.sim
    .commands(guildId)
    .map((c) => c.name)
    .sort();

describe('end to end: tenants', () => {
  it('isolates guilds: the same member never sees another guild’s balance, items or streak', async () => {
    rig = await startRig();
    const guildB = rig.sim.addGuild({ name: 'Guild B' });
    rig.sim.addMember(guildB.id, { id: rig.alice, username: 'alice' });
    // Guild B joins while the bot runs (GUILD_CREATE) and gets its own economy.
    const b = rig.runtime.economy.tenant(guildB.id);
    const synced = waitForEvent(
      rig.runtime,
      'commandsSynced',
      (r) => r.guildId === guildB.id && r.version === 1,
    );
    await b.configure(
      defineEconomy({
        currency: { name: 'Chips', symbol: '🎰' },
        faucets: { daily: { reward: { fixed: 500 }, cooldownSeconds: 3600, streak: 'daily' } },
        streaks: { daily: {} },
        shop: { items: { badge: { name: 'Badge', price: 100 } } },
        games: { coinflip: {} },
      }),
    );
    await synced;
    expect(names(rig, guildB.id)).toEqual([
      'balance',
      'buy',
      'coinflip',
      'daily',
      'eco',
      'fair',
      'inventory',
      'leaderboard',
      'pay',
      'profile',
      'shop',
      'streak',
    ]);

    const inA = { guildId: rig.guild.id };
    const inB = { guildId: guildB.id };
    expect(said(await rig.slash('daily', {}, rig.alice, inA))).toMatch(/🪙 200/);
    await rig.slash('buy', { item: 'snack' }, rig.alice, inA);
    expect(said(await rig.slash('balance', {}, rig.alice, inB))).toContain('You have **🎰 0**');
    expect(said(await rig.slash('inventory', {}, rig.alice, inB))).toMatch(/no items yet/);
    expect(said(await rig.slash('streak', {}, rig.alice, inB))).toMatch(/Daily streak: 0 days/);
    expect(said(await rig.slash('leaderboard', {}, rig.alice, inB))).toMatch(/No one has any Chips yet/);

    expect(said(await rig.slash('daily', {}, rig.alice, inB))).toMatch(/🎰 500/);
    expect(said(await rig.slash('balance', {}, rig.alice, inA))).toContain('You have **🪙 150**');
    expect(said(await rig.slash('balance', {}, rig.alice, inB))).toContain('You have **🎰 500**');
    expect(said(await rig.slash('inventory', {}, rig.alice, inA))).toMatch(/\*\*Snack\*\* × 1/);
    expect(await rig.balance(rig.alice, rig.guild.id)).toBe(150n);
    expect(await rig.balance(rig.alice, guildB.id)).toBe(500n);
    expect(rig.runtime.health().tenantsLoaded).toBe(2);
  });

  it('hot reload: a published config re-registers the commands, and /daily pays the new amount', async () => {
    rig = await startRig();
    expect(names(rig, rig.guild.id)).toContain('dice');
    const synced = waitForEvent(
      rig.runtime,
      'commandsSynced',
      (r) => r.guildId === rig!.guild.id && r.version === 1,
    );
    await rig.runtime.economy.tenant(rig.guild.id).configure(
      defineEconomy({
        ...presets.classic,
        faucets: {
          ...presets.classic.faucets,
          daily: { ...presets.classic.faucets.daily!, reward: { fixed: 777 } },
          weekly: { description: 'Once a week', reward: { fixed: 5_000 }, cooldownSeconds: 7 * 86_400 },
        },
        games: { ...presets.classic.games, dice: { ...presets.classic.games.dice!, enabled: false } },
      }),
    );
    const [result] = await synced;
    expect(result.changed).toBe(true);
    expect(names(rig, rig.guild.id)).toContain('weekly');
    expect(names(rig, rig.guild.id)).not.toContain('dice');

    expect(said(await rig.slash('daily'))).toMatch(/You received \*\*🪙 777\*\*/);
    expect(said(await rig.slash('weekly'))).toMatch(/🪙 5,000/);
    // A member whose Discord client still shows /dice is told it is gone.
    const dice = await rig.slash('dice', { bet: 10, target: 50, direction: 'over' });
    expect(dice.ephemeral).toBe(true);
    expect(said(dice)).toMatch(/Unknown command\n\/dice is not available in this server/);
  });

  it('catches up with a config published by another process on the same libSQL file', async () => {
    const storage = tempStorage();
    // The SDK trusts its cached config for a second of real time (Date.now, not the injected clock); moving
    // Date.now ahead lets the test skip that second instead of waiting. Installed before the runtime starts:
    // the SDK keeps a reference to Date.now when a tenant is first opened.
    let skew = 0;
    const realNow = Date.now.bind(Date);
    const now = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + skew);
    rig = await startRig({ storage: storage.url });
    try {
      const other = createEconomy({ storage: storage.url });
      await other
        .tenant(rig.guild.id)
        .configure(defineEconomy({ faucets: { daily: { reward: { fixed: 42 } } } }));
      await other.close();
      skew += 2_000;
      // libSQL has no notifications: the next interaction sees the new version and re-registers.
      const synced = waitForEvent(
        rig.runtime,
        'commandsSynced',
        (r) => r.guildId === rig!.guild.id && r.version === 1,
      );
      const reply = await rig.slash('daily');
      expect(said(reply)).toMatch(/🪙 42/);
      await synced;
      expect(names(rig, rig.guild.id)).toEqual(['balance', 'daily', 'eco', 'leaderboard', 'pay', 'profile']);
    } finally {
      await rig.close();
      rig = undefined;
      now.mockRestore();
      storage.cleanup();
    }
  });
});

describe('end to end: idempotency', () => {
  it('a replayed interaction pays once, in the same process and after a restart', async () => {
    rig = await startRig();
    const daily = await rig.slash('daily');
    expect(await rig.balance()).toBe(200n);
    const pay = await rig.slash('pay', { member: rig.bob, amount: 50 });
    expect(await rig.balance()).toBe(149n);
    expect(await rig.balance(rig.bob)).toBe(50n);

    // Same process: the same answer, nothing re-run.
    const again = await rig.sim.replay(daily.interactionId);
    expect(said(again)).toBe(said(daily));
    expect(await rig.sim.replay(pay.interactionId).then(said)).toBe(said(pay));
    expect(await rig.balance()).toBe(149n);

    // A new process on the same store: the SDK recognises the interaction id as the idempotency key.
    await rig.restart();
    const afterRestart = await rig.sim.replay(daily.interactionId);
    expect(afterRestart.ephemeral).toBe(false);
    expect(said(afterRestart)).toMatch(
      /You received \*\*🪙 200\*\*[\s\S]*already claimed with this interaction/,
    );
    await rig.sim.replay(pay.interactionId);
    expect(await rig.balance()).toBe(149n);
    expect(await rig.balance(rig.bob)).toBe(50n);
    const transfers = await rig.runtime.economy
      .tenant(rig.guild.id)
      .ledger.transfers({ account: `user:${rig.alice}` });
    expect(transfers.items.filter((t) => t.code === 'faucet.daily')).toHaveLength(1);
    expect(transfers.items.filter((t) => t.code === 'transfer.p2p')).toHaveLength(1);
  });

  it('a replayed blackjack button acts once', async () => {
    rig = await startRig();
    await rig.slash('daily');
    const round = await dealOpenHand(rig, 10);
    const hit = customIds(round).find((id) => id.includes(':hit:'))!;
    const pressed = await rig.sim.click({
      guildId: rig.guild.id,
      userId: rig.alice,
      message: round,
      customId: hit,
    });
    const balance = await rig.balance();
    await rig.restart();
    const replayed = await rig.sim.replay(pressed.interactionId);
    expect(said(replayed)).toMatch(/already played: this is the same round/);
    expect(said(replayed).replace('\n_(already played: this is the same round)_', '')).toBe(said(pressed));
    expect(await rig.balance()).toBe(balance);
  });
});

describe('end to end: after a restart', () => {
  it('/fair verify finds a round the previous process played; a replayed /use uses nothing more', async () => {
    rig = await startRig();
    await rig.slash('daily');
    await rig.slash('buy', { item: 'snack', quantity: 2 });
    const used = await rig.slash('use', { item: 'snack' });
    expect(said(used)).toMatch(/You used \*\*Snack\*\*\. 1 left\./);
    const round = await rig.slash('coinflip', { bet: 10, side: 'heads' });

    // A new process: nothing of the first one's memory is left, only the store.
    await rig.restart();
    const replayed = await rig.sim.replay(used.interactionId);
    expect(said(replayed)).toMatch(/1 left\.\n_\(already used with this interaction/);
    expect(await rig.runtime.economy.tenant(rig.guild.id).inventory(rig.alice)).toEqual([
      { item: 'snack', quantity: 1 },
    ]);
    const rotated = await rig.slash('fair', {}, rig.alice, { subcommand: 'rotate' });
    const seed = /Revealed server seed: `([0-9a-f]+)`/.exec(said(rotated))![1]!;
    const verified = await rig.slash('fair', { round_id: round.interactionId, server_seed: seed }, rig.bob, {
      subcommand: 'verify',
    });
    expect(said(verified)).toMatch(
      new RegExp(
        `✅ Verified\\nRound ${round.interactionId} played by <@${rig.alice}> \\(coinflip, nonce 0\\)`,
      ),
    );
  });
});

describe('end to end: joining and leaving guilds', () => {
  it('reports presence for the guilds it starts with', async () => {
    rig = await startRig();
    expect((await rig.runtime.economy.tenant(rig.guild.id).presence()).present).toBe(true);
  });

  it('a guild the bot is invited to later gets its commands and is reported present; removal reports it gone', async () => {
    rig = await startRig();
    const r = rig;
    const owner = r.sim.addUser({ username: 'owner' });
    const later = r.sim.addGuild({ name: 'Later', ownerId: owner.id, withBot: false });
    r.sim.addMember(later.id, { id: r.alice, username: 'alice' });
    const tenant = r.runtime.economy.tenant(later.id);
    expect(r.sim.commands(later.id)).toEqual([]);
    expect(await tenant.presence()).toEqual({ present: false, reportedAt: null });

    // The owner follows the control plane's "add bot" link (no page: setOAuthUser).
    const synced = waitForEvent(r.runtime, 'commandsSynced', (e) => e.guildId === later.id);
    const joined = waitForEvent(r.runtime, 'presenceReported', (e) => e.guildId === later.id);
    r.sim.setOAuthUser(owner.id);
    const invite = new URL(r.sim.oauthEndpoints.authorization);
    invite.search = new URLSearchParams({
      client_id: r.sim.applicationId,
      scope: 'bot applications.commands',
      permissions: '268438528',
      guild_id: later.id,
      disable_guild_select: 'true',
    }).toString();
    const page = await fetch(invite);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('has been added to Later');
    await synced;
    expect((await joined)[0]).toEqual({ guildId: later.id, present: true, written: true });
    expect(names(r, later.id)).toContain('daily');
    expect((await tenant.presence()).present).toBe(true);
    expect(said(await r.slash('daily', {}, r.alice, { guildId: later.id }))).toMatch(
      /You received \*\*🪙 200\*\*/,
    );

    const left = waitForEvent(r.runtime, 'presenceReported', (e) => e.guildId === later.id && !e.present);
    expect(r.sim.removeBotFromGuild(later.id)).toBe(true);
    await left;
    expect((await tenant.presence()).present).toBe(false);
    expect(r.runtime.client?.guilds.cache.has(later.id)).toBe(false);
    await expect(r.slash('balance', {}, r.alice, { guildId: later.id })).rejects.toMatchObject({
      code: 'SIM_BOT_NOT_IN_GUILD',
    });
    // The other guild is untouched.
    expect((await r.runtime.economy.tenant(r.guild.id).presence()).present).toBe(true);
  });
});
