import { describe, expect, it } from 'vitest';
import { type PresetName, presetInflationBands, presets } from '../config/presets.js';
import { percent } from './format.js';
import { simulateEconomy } from './index.js';

// Each preset lives 90 simulated days with a small population; months 2 and 3 must stay inside the
// preset's documented inflation band (month 1 has none: the economy starts empty). A run repeats exactly
// from its seed, games included: the simulation's private economy draws its game seeds from it.
const SEED = 20_260_105;
const MEMBERS = 120;
const DAYS = 90;
const TIMEOUT_MS = 180_000;

const names = Object.keys(presets) as PresetName[];

describe.each(names)('the %s preset over 90 days', (name) => {
  it(
    'keeps monthly inflation inside its band, accounts for every coin and verifies',
    async () => {
      const band = presetInflationBands[name];
      const started = performance.now();
      const result = await simulateEconomy({
        config: presets[name],
        members: MEMBERS,
        days: DAYS,
        seed: SEED,
      });
      const inflation = result.monthly.map((m) => (m.inflationBps === null ? '—' : percent(m.inflationBps)));
      console.info(
        `simulation ${name}: ${MEMBERS} members, ${DAYS} days, seed ${SEED}: monthly inflation ${inflation.join(', ')} ` +
          `(band ${percent(band.minBps)} … ${percent(band.maxBps)}), ${Math.round(performance.now() - started)} ms`,
      );

      expect(result.days).toHaveLength(DAYS);
      expect(result.monthly.map((m) => m.days)).toEqual([30, 30, 30]);
      expect(result.monthly[0]!.inflationBps).toBeNull();
      for (const month of result.monthly.slice(1)) {
        expect(month.inflationBps, `month ${month.month}`).toBeGreaterThanOrEqual(band.minBps);
        expect(month.inflationBps, `month ${month.month}`).toBeLessThanOrEqual(band.maxBps);
      }

      const s = result.summary;
      expect(s.verified).toBe(true);
      expect(s.supply).toBe(s.minted - s.burned - s.houseTake);
      expect(result.days.reduce((sum, d) => sum + d.supplyChange, 0n)).toBe(s.supply);
      for (const day of result.days) {
        expect(sumOf(day.faucets)).toBe(day.minted);
        expect(sumOf(day.sinks)).toBe(day.burned);
      }

      // Members did what members do, through every kind of call the config allows.
      const ok = (action: string) => s.outcomes[action]?.ok ?? 0;
      for (const faucet of Object.keys(presets[name].faucets))
        expect(ok(`claim:${faucet}`)).toBeGreaterThan(0);
      expect(ok('buy')).toBeGreaterThan(0);
      expect(ok('use')).toBeGreaterThan(0);
      expect(ok('pay')).toBeGreaterThan(0);
      const enabled = Object.keys(presets[name].games);
      const played = Object.keys(s.outcomes).filter((a) => a.startsWith('play:'));
      expect(played.sort()).toEqual(enabled.map((g) => `play:${g}`).sort());
      if (enabled.includes('blackjack')) expect(ok('act')).toBeGreaterThan(0);
      expect(s.outcomes['claim:daily']?.COOLDOWN ?? 0).toBeGreaterThan(0);
    },
    TIMEOUT_MS,
  );
});

describe('determinism', () => {
  const run = (config: Parameters<typeof simulateEconomy>[0]['config'], seed: number) =>
    simulateEconomy({ config, members: 40, days: 35, seed });

  it(
    'repeats a run exactly from its seed (cozy: no games)',
    async () => {
      const [a, b] = [await run(presets.cozy, 7), await run(presets.cozy, 7)];
      expect(b).toEqual(a);
      expect(await run(presets.cozy, 8)).not.toEqual(a);
    },
    TIMEOUT_MS,
  );

  it(
    'repeats classic exactly, games included (faucets with streaks, work, shop, tax, payments, every game)',
    async () => {
      const a = await run(presets.classic, 3);
      expect(Object.keys(a.summary.outcomes).some((k) => k.startsWith('play:'))).toBe(true);
      expect(await run(presets.classic, 3)).toEqual(a);
    },
    TIMEOUT_MS,
  );
});

function sumOf(values: Record<string, bigint>): bigint {
  return Object.values(values).reduce((sum, v) => sum + v, 0n);
}
