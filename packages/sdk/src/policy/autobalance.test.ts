import { afterEach, describe, expect, it } from 'vitest';
import { defineEconomy } from '../config/define.js';
import type { EconomyConfigInput } from '../config/schema.js';
import type { TenantContext } from '../context/tenant-context.js';
import { type AutoBalanceConfig, nextFaucetMultiplier, runAutoBalancer } from './autobalance.js';
import { faucetMultiplierBps, readFaucetMultiplier } from './faucet-multiplier.js';
import { openTestEconomy, type TestEconomy } from './testing.js';

const band: Omit<AutoBalanceConfig, 'enabled'> = {
  targetMinBps: 100,
  targetMaxBps: 300,
  stepBps: 500,
  minMultiplierBps: 5_000,
  maxMultiplierBps: 15_000,
};
/** The faucet multiplier in force now, as a claim applies it. */
const policyMultiplierBps = async (ctx: TenantContext) =>
  faucetMultiplierBps((await ctx.config()).config, await readFaucetMultiplier(ctx));
const day = (netEmission: bigint, supply = 10_000n) => ({ netEmission, supply });

describe('nextFaucetMultiplier', () => {
  it('steps up once when emission is below the band, down once when above, holds inside', () => {
    expect(nextFaucetMultiplier(day(99n), band, 10_000)).toMatchObject({
      nextBps: 10_500,
      direction: 'up',
      emissionBps: 99,
    });
    expect(nextFaucetMultiplier(day(301n), band, 10_000)).toMatchObject({
      nextBps: 9_500,
      direction: 'down',
      emissionBps: 301,
    });
    expect(nextFaucetMultiplier(day(200n), band, 10_000)).toMatchObject({
      nextBps: 10_000,
      direction: 'hold',
      emissionBps: 200,
    });
  });

  it('treats the band edges as inside, compared exactly without rounding', () => {
    expect(nextFaucetMultiplier(day(100n), band, 10_000).direction).toBe('hold');
    expect(nextFaucetMultiplier(day(300n), band, 10_000).direction).toBe('hold');
    // 30001 / 1000000 = 300.01 bps: above the band although it shows as 300 when truncated.
    const above = nextFaucetMultiplier(day(30_001n, 1_000_000n), band, 10_000);
    expect(above).toMatchObject({ direction: 'down', emissionBps: 300 });
    // 9999 / 1000000 = 99.99 bps: below.
    expect(nextFaucetMultiplier(day(9_999n, 1_000_000n), band, 10_000).direction).toBe('up');
  });

  it('steps up on shrinking money (negative emission) and follows negative targets', () => {
    expect(nextFaucetMultiplier(day(-50n), band, 10_000).direction).toBe('up');
    const shrink = { ...band, targetMinBps: -200, targetMaxBps: -100 };
    expect(nextFaucetMultiplier(day(-150n), shrink, 10_000).direction).toBe('hold');
    expect(nextFaucetMultiplier(day(0n), shrink, 10_000).direction).toBe('down');
  });

  it('clamps to the configured range', () => {
    expect(nextFaucetMultiplier(day(0n), band, 14_800).nextBps).toBe(15_000);
    expect(nextFaucetMultiplier(day(0n), band, 15_000)).toMatchObject({ nextBps: 15_000, direction: 'up' });
    expect(nextFaucetMultiplier(day(1_000n), band, 5_200).nextBps).toBe(5_000);
    expect(nextFaucetMultiplier(day(1_000n), band, 5_000).nextBps).toBe(5_000);
    // A range narrowed under the current value pulls it in even when emission is on target.
    expect(nextFaucetMultiplier(day(200n), band, 20_000)).toMatchObject({
      nextBps: 15_000,
      direction: 'hold',
    });
  });

  it('holds without a positive supply', () => {
    expect(nextFaucetMultiplier(day(500n, 0n), band, 10_000)).toMatchObject({
      nextBps: 10_000,
      direction: 'hold',
      emissionBps: null,
    });
  });

  it('says why', () => {
    expect(nextFaucetMultiplier(day(99n), band, 10_000).why).toBe(
      'net emission 99 bps of supply is below the target of 100 bps',
    );
  });
});

describe('runAutoBalancer on a real economy', () => {
  const config = (enabled: boolean): EconomyConfigInput => ({
    faucets: { daily: { reward: { fixed: 100 } } },
    policy: { autoBalance: { enabled, ...band } },
  });
  let open: TestEconomy | undefined;
  afterEach(async () => {
    await open?.economy.close();
    open = undefined;
  });

  it('moves the faucet multiplier one step per judged day, records it, and faucets pay by it', async () => {
    open = await openTestEconomy('2026-01-01T12:00:00Z', config(true));
    const { tenant, ctx } = open;
    await tenant.grant('alice', 10_000n, { reason: 'seed' });
    open.at('2026-01-02T12:00:00Z');
    await tenant.claim('daily', 'alice'); // 01-02: +100 on a supply of 10100 → 99 bps < 100

    open.at('2026-01-03T09:00:00Z');
    expect(await runAutoBalancer(ctx)).toEqual({
      outcome: 'adjusted',
      beforeBps: 10_000,
      afterBps: 10_500,
      day: '2026-01-02',
      netEmission: 100n,
      supply: 10_100n,
      why: '2026-01-02: net emission 99 bps of supply is below the target of 100 bps',
    });
    expect(await policyMultiplierBps(ctx)).toBe(10_500);
    const [entry] = await tenant.auditLog({ limit: 1 });
    expect(entry).toMatchObject({
      actor: 'autobalancer',
      action: 'policy.faucetMultiplier',
      reason: '2026-01-02: net emission 99 bps of supply is below the target of 100 bps',
      details: {
        before: 10_000,
        after: 10_500,
        why: 'net emission 99 bps of supply is below the target of 100 bps',
        day: '2026-01-02',
        netEmission: '100',
        supply: '10100',
      },
    });

    // Running again the same day changes nothing: that day was acted on.
    open.at('2026-01-03T18:00:00Z');
    expect(await runAutoBalancer(ctx)).toMatchObject({
      outcome: 'already-adjusted',
      beforeBps: 10_500,
      afterBps: 10_500,
    });

    // The faucet now pays ×1.05.
    expect((await tenant.claim('daily', 'alice')).amount).toBe(105n); // 01-03: 105 on 10205 → 102 bps

    open.at('2026-01-04T09:00:00Z');
    expect(await runAutoBalancer(ctx)).toMatchObject({
      outcome: 'unchanged',
      afterBps: 10_500,
      day: '2026-01-03',
      netEmission: 105n,
      supply: 10_205n,
    });
    await tenant.grant('bob', 1_000n, { reason: 'event prize' }); // 01-04: +1000 on 11205 → 892 bps > 300

    open.at('2026-01-05T09:00:00Z');
    expect(await runAutoBalancer(ctx)).toMatchObject({
      outcome: 'adjusted',
      beforeBps: 10_500,
      afterBps: 10_000,
      day: '2026-01-04',
    });
    expect(await policyMultiplierBps(ctx)).toBe(10_000);
  });

  it('lets exactly one of two simultaneous runs record the change', async () => {
    open = await openTestEconomy('2026-01-01T12:00:00Z', config(true));
    await open.tenant.grant('alice', 10_000n, { reason: 'seed' });
    open.at('2026-01-02T09:00:00Z'); // judges 01-01: +10000 on 10000 → far above the band
    const outcomes = await Promise.all([runAutoBalancer(open.ctx), runAutoBalancer(open.ctx)]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['adjusted', 'concurrent']);
    expect(await policyMultiplierBps(open.ctx)).toBe(9_500);
  });

  it('does nothing when disabled, and holds on a day with no supply', async () => {
    open = await openTestEconomy('2026-01-01T12:00:00Z', config(false));
    await open.tenant.grant('alice', 10_000n, { reason: 'seed' });
    open.at('2026-01-02T09:00:00Z');
    expect(await runAutoBalancer(open.ctx)).toMatchObject({
      outcome: 'disabled',
      beforeBps: 10_000,
      afterBps: 10_000,
    });
    expect(await open.tenant.auditLog()).toHaveLength(1); // the grant only

    await open.tenant.configure(defineEconomy(config(true)));
    open.at('2026-01-01T13:00:00Z'); // judges 2025-12-31, before anything existed
    expect(await runAutoBalancer(open.ctx)).toMatchObject({
      outcome: 'unchanged',
      day: '2025-12-31',
      supply: 0n,
      why: '2025-12-31: no money supply to measure emission against',
    });
  });
});
