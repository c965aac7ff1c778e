import { createEconomy, defineEconomy, type Economy, presets } from '@guildmint/sdk';
import { simulateEconomy } from '@guildmint/sdk/simulation';
import { afterEach, describe, expect, it } from 'vitest';
import { buildForecast, forecastSeries, MAX_SIMULATED_MEMBERS } from './forecast';

const supplyDays = (values: bigint[]) =>
  values.map((supply, i) => ({ day: `2026-05-${String(5 + i).padStart(2, '0')}`, supply }));
const issuanceDays = (nets: bigint[]) =>
  nets.map((net, i) => ({ day: `2026-05-${String(5 + i).padStart(2, '0')}`, minted: net, burned: 0n, net }));

describe('forecast numbers (hand-computed)', () => {
  it('adds the simulated change, scaled to the members, to the supply the range began with', () => {
    // Supply 1,100 at the end of the first day, which added 100: the range began with 1,000.
    const { days, startSupply } = forecastSeries({
      supply: supplyDays([1_100n, 1_300n, 1_250n]),
      issuance: issuanceDays([100n, 200n, -50n]),
      simulatedDays: [{ supply: 50n }, { supply: 120n }, { supply: 125n }],
      members: 1_000,
      simulated: 500,
    });
    expect(startSupply).toBe(1_000n);
    // 1,000 + 50·2, 1,000 + 120·2, 1,000 + 125·2.
    expect(days).toEqual([
      { day: '2026-05-05', expected: 1_100n, actual: 1_100n },
      { day: '2026-05-06', expected: 1_240n, actual: 1_300n },
      { day: '2026-05-07', expected: 1_250n, actual: 1_250n },
    ]);
  });

  it('draws no more days than the range has', () => {
    const { days } = forecastSeries({
      supply: supplyDays([10n]),
      issuance: issuanceDays([10n]),
      simulatedDays: [{ supply: 3n }, { supply: 7n }],
      members: 3,
      simulated: 3,
    });
    expect(days).toEqual([{ day: '2026-05-05', expected: 3n, actual: 10n }]);
  });
});

describe('the forecast of a guild (simulation engine, real store)', () => {
  let economy: Economy;
  afterEach(async () => {
    await economy?.close();
  });

  async function guild() {
    let now = new Date('2026-05-01T09:00:00Z');
    economy = createEconomy({ storage: ':memory:', clock: { now: () => now } });
    await economy.migrate();
    const tenant = economy.tenant('forecast_guild');
    const v1 = defineEconomy({
      ...presets.classic,
      faucets: {
        ...presets.classic.faucets,
        daily: { ...presets.classic.faucets.daily!, reward: { fixed: 300 } },
      },
    });
    await tenant.configure(v1);
    now = new Date('2026-05-07T09:00:00Z');
    await tenant.configure(
      defineEconomy({
        ...v1,
        faucets: { ...v1.faucets, daily: { ...v1.faucets.daily!, reward: { fixed: 999 } } },
      }),
    );
    return { tenant, v1 };
  }

  it('simulates the config in force when the range began, for the guild’s members', async () => {
    const { tenant, v1 } = await guild();
    const supply = supplyDays([5_000n, 5_400n, 5_900n, 6_000n]);
    const forecast = await buildForecast(tenant, {
      supply,
      issuance: issuanceDays([400n, 400n, 500n, 100n]),
      members: 7,
    });
    // Version 2 came out on the 7th, after the range began on the 5th: version 1 is the one expected.
    expect(forecast?.assumptions).toEqual({
      configVersion: 1,
      publishedAt: new Date('2026-05-01T09:00:00Z'),
      members: 7,
      simulated: 7,
      seed: 1,
      days: 4,
      startSupply: 4_600n,
    });
    const direct = await simulateEconomy({
      config: v1,
      members: 7,
      days: 4,
      seed: 1,
      start: new Date('2026-05-05T00:00:00Z'),
    });
    console.log(`forecast: simulated supply ${direct.days.map((d) => d.supply).join(', ')} (seed 1)`);
    expect(direct.days[3]!.supply).toBeGreaterThan(0n);
    expect(forecast?.days.map((d) => d.expected)).toEqual(direct.days.map((d) => 4_600n + d.supply));
    expect(forecast?.days.map((d) => d.actual)).toEqual(supply.map((d) => d.supply));
  });

  it('simulates a sample of a big guild and scales it; no members, no forecast', async () => {
    const { tenant } = await guild();
    const members = MAX_SIMULATED_MEMBERS * 3;
    const forecast = await buildForecast(tenant, {
      supply: supplyDays([0n, 0n]),
      issuance: issuanceDays([0n, 0n]),
      members,
    });
    expect(forecast?.assumptions).toMatchObject({
      members,
      simulated: MAX_SIMULATED_MEMBERS,
      configVersion: 1,
    });
    const sample = await simulateEconomy({
      config: await tenant.configVersion(1).then(({ version: _, ...c }) => c),
      members: MAX_SIMULATED_MEMBERS,
      days: 2,
      seed: 1,
      start: new Date('2026-05-05T00:00:00Z'),
    });
    expect(forecast?.days.map((d) => d.expected)).toEqual(sample.days.map((d) => d.supply * 3n));
    expect(
      await buildForecast(tenant, { supply: supplyDays([0n]), issuance: issuanceDays([0n]), members: 0 }),
    ).toBe(null);
  });

  it('uses the classic preset for a range that began before anything was published', async () => {
    const { tenant } = await guild();
    const forecast = await buildForecast(tenant, {
      supply: [{ day: '2026-04-20', supply: 0n }],
      issuance: [{ day: '2026-04-20', minted: 0n, burned: 0n, net: 0n }],
      members: 2,
    });
    expect(forecast?.assumptions).toMatchObject({ configVersion: 0, publishedAt: null });
  });
});
