import { createEconomy, defineEconomy, presets } from '@guildmint/sdk';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { commandModules } from './commands/index.js';
import { loadCommands } from './loader.js';
import { RuntimeMetrics } from './metrics.js';
import { TenantManager } from './tenants.js';

const GUILD = '100000000000000001';
const PLAYER = '200000000000000001';

function rig() {
  let now = Date.parse('2026-03-10T12:00:00Z');
  const clock = { now: () => new Date(now) };
  const economy = createEconomy({ storage: ':memory:', clock });
  const metrics = new RuntimeMetrics({ defaultMetrics: false });
  const tenants = new TenantManager(economy, {
    metrics,
    log: pino({ level: 'silent' }),
    now: () => now,
    idleMs: 2 * 3_600_000,
  });
  return {
    economy,
    metrics,
    tenants,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const gauge = async (metrics: RuntimeMetrics) => (await metrics.tenantsLoaded.get()).values[0]?.value;

describe('tenant manager', () => {
  it('loads a tenant on first use, once, and counts it', async () => {
    const { tenants, metrics, economy } = rig();
    expect(tenants.size).toBe(0);
    const a = tenants.get(GUILD);
    expect(tenants.get(GUILD)).toBe(a);
    expect(tenants.size).toBe(1);
    expect(await gauge(metrics)).toBe(1);
    expect((await a.config()).version).toBe(0);
    await economy.close();
  });

  it('caches the command table per config version', async () => {
    const { tenants, economy } = rig();
    const commands = loadCommands(commandModules);
    const loaded = tenants.get(GUILD);
    const v0 = loaded.table(commands, await loaded.config());
    expect(loaded.table(commands, await loaded.config())).toBe(v0);
    await loaded.tenant.configure(defineEconomy({ faucets: { daily: { reward: { fixed: 1 } } } }));
    const v1 = loaded.table(commands, await loaded.config());
    expect(v1).not.toBe(v0);
    expect(v1.definitions.map((d) => d.name)).toEqual([
      'balance',
      'pay',
      'profile',
      'leaderboard',
      'eco',
      'daily',
    ]);
    await economy.close();
  });

  it('the periodic sweep stands abandoned blackjack rounds, then unloads idle tenants', async () => {
    const { tenants, metrics, economy, advance } = rig();
    const loaded = tenants.get(GUILD);
    await loaded.tenant.configure(presets.classic);
    await loaded.tenant.grant(PLAYER, 1_000n, { reason: 'test' });
    // Deal until a hand stays open (a natural finishes at once).
    let round = await loaded.tenant.play('blackjack', PLAYER, { bet: 100n });
    for (let i = 0; i < 5 && round.finished; i++)
      round = await loaded.tenant.play('blackjack', PLAYER, { bet: 100n });
    expect(round.finished).toBe(false);
    const held = await loaded.tenant.balance(PLAYER);

    expect(await tenants.sweep()).toEqual({ settled: 0, unloaded: 0, balanced: 1 });
    advance(presets.classic.games.blackjack!.timeoutSeconds * 1000 + 1);
    expect(await tenants.sweep()).toEqual({ settled: 1, unloaded: 0, balanced: 0 });
    // The round stood by itself: the player can deal again, and the stake was settled either way.
    const next = await loaded.tenant.play('blackjack', PLAYER, { bet: 10n });
    expect(next.roundId).not.toBe(round.roundId);
    expect(await loaded.tenant.balance(PLAYER)).toBeGreaterThanOrEqual(held - 10n);
    if (!next.finished) await loaded.tenant.act(next.roundId, 'stand', { userId: PLAYER });

    advance(2 * 3_600_000);
    expect(await tenants.sweep()).toEqual({ settled: 0, unloaded: 1, balanced: 0 });
    expect(tenants.size).toBe(0);
    expect(await gauge(metrics)).toBe(0);
    expect((await economy.tenant(GUILD).ledger.verify()).ok).toBe(true);
    await economy.close();
  });

  it('a failing tenant does not stop the sweep of the others', async () => {
    const { tenants, economy } = rig();
    tenants.get(GUILD);
    tenants.get('100000000000000002');
    await economy.close(); // every call now fails with STORE_UNAVAILABLE
    await expect(tenants.sweep()).resolves.toEqual({ settled: 0, unloaded: 0, balanced: 0 });
    expect(tenants.size).toBe(2);
  });

  it('runs the auto-balancer once per UTC day per tenant, also across an unload', async () => {
    const { tenants, economy, advance } = rig();
    const loaded = tenants.get(GUILD);
    await loaded.tenant.configure(
      defineEconomy({
        ...presets.classic,
        policy: { ...presets.classic.policy, autoBalance: { enabled: true, targetMaxBps: 100 } },
      }),
    );
    // Today mints the whole supply: far above the target band once judged tomorrow.
    await loaded.tenant.grant(PLAYER, 10_000n, { reason: 'test' });
    const adjustments = async () =>
      (await loaded.tenant.auditLog()).filter((entry) => entry.action === 'policy.faucetMultiplier');

    expect((await tenants.sweep()).balanced).toBe(1); // today: judges yesterday, nothing to measure
    expect((await tenants.sweep()).balanced).toBe(0); // same day: not again
    expect(await adjustments()).toHaveLength(0);

    advance(24 * 3_600_000);
    tenants.get(GUILD); // a member used it: still loaded
    expect((await tenants.sweep()).balanced).toBe(1);
    const [adjusted] = await adjustments();
    expect(adjusted).toMatchObject({ actor: 'autobalancer' });
    expect(adjusted!.details).toMatchObject({ before: 10_000, after: 9_500 });

    // Unloaded when idle, loaded again the same day: the balancer does not run again.
    advance(3 * 3_600_000);
    expect(await tenants.sweep()).toMatchObject({ unloaded: 1, balanced: 0 });
    tenants.get(GUILD);
    expect((await tenants.sweep()).balanced).toBe(0);
    expect(await adjustments()).toHaveLength(1);
    await economy.close();
  });

  it('the auto-balancer is a no-op for a tenant that did not enable it', async () => {
    const { tenants, economy, advance } = rig();
    const loaded = tenants.get(GUILD);
    await loaded.tenant.grant(PLAYER, 10_000n, { reason: 'test' });
    advance(24 * 3_600_000);
    expect((await tenants.sweep()).balanced).toBe(1);
    expect(await loaded.tenant.auditLog()).toEqual([expect.objectContaining({ action: 'grant' })]);
    await economy.close();
  });

  it('the periodic sweep returns the escrow of expired trade offers', async () => {
    const { tenants, economy, advance } = rig();
    const tenant = tenants.get(GUILD).tenant;
    await tenant.configure(defineEconomy({ trades: { enabled: true, expirySeconds: 60 } }));
    await tenant.grant(PLAYER, 500n, { reason: 'test funds' });
    const offer = await tenant.proposeTrade({ from: PLAYER, to: GUILD, give: { coins: 200n } });
    expect(await tenant.balance(PLAYER)).toBe(300n);
    await tenants.sweep();
    expect((await tenant.trade(offer.id)).status).toBe('open');
    advance(60_000);
    await tenants.sweep();
    expect((await tenant.trade(offer.id)).status).toBe('expired');
    expect(await tenant.balance(PLAYER)).toBe(500n);
    await economy.close();
  });
});
