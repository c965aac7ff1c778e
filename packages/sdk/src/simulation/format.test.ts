import { describe, expect, it } from 'vitest';
import { escapeXml, linePath, niceTicks, renderChart } from './chart.js';
import { compactNumber, groupDigits, percent, resultToJson } from './format.js';
import { monthlyInflation } from './measures.js';
import { renderTable, trajectoryTables } from './table.js';
import type { SimulationDay, SimulationResult } from './types.js';

/** Days whose supply follows `supply(day)`, minting the growth (the house takes 10 a day from day 2). */
function days(count: number, supply: (day: number) => bigint): SimulationDay[] {
  const out: SimulationDay[] = [];
  for (let day = 1; day <= count; day++) {
    const before = day === 1 ? 0n : supply(day - 1);
    const houseTake = day === 1 ? 0n : 10n;
    const change = supply(day) - before;
    out.push({
      day,
      date: new Date(Date.UTC(2026, 0, 4 + day)).toISOString().slice(0, 10),
      supply: supply(day),
      minted: change + houseTake,
      burned: 0n,
      netEmission: change + houseTake,
      houseTake,
      supplyChange: change,
      inflationBps: before > 0n ? Number((change * 10_000n) / before) : null,
      gini: 0.3,
      activeMembers: 10,
      faucets: { daily: change + houseTake },
      sinks: {},
      games: { slots: houseTake },
      volume: 0n,
      operations: 5,
    });
  }
  return out;
}

function result(list: SimulationDay[]): SimulationResult {
  const last = list[list.length - 1]!;
  return {
    days: list,
    monthly: monthlyInflation(list),
    summary: {
      name: 'Test',
      members: 10,
      days: list.length,
      seed: 1,
      start: '2026-01-05T00:00:00.000Z',
      supply: last.supply,
      minted: 0n,
      burned: 0n,
      houseTake: 0n,
      gini: last.gini,
      meanActiveMembers: 10,
      operations: 0,
      outcomes: { 'claim:daily': { ok: 3, COOLDOWN: 1 } },
      verified: true,
    },
  };
}

describe('monthlyInflation', () => {
  it('measures each 30-day month against the supply it began with, and skips month 1', () => {
    // 1000 a day: 30,000 after month 1, 60,000 after month 2 (+100 %), 75,000 after day 75 (+25 %).
    const months = monthlyInflation(days(75, (d) => BigInt(d) * 1000n));
    expect(months.map((m) => [m.month, m.firstDay, m.lastDay, m.days, m.inflationBps])).toEqual([
      [1, 1, 30, 30, null],
      [2, 31, 60, 30, 10_000],
      [3, 61, 75, 15, 2_500],
    ]);
    expect(months[1]).toMatchObject({ supplyStart: 30_000n, supplyEnd: 60_000n, houseTake: 300n });
  });

  it('truncates toward zero, so a shrinking economy rounds up to the nearer whole bps', () => {
    const months = monthlyInflation(days(60, (d) => (d <= 30 ? 30_000n : 30_000n - 1n)));
    expect(months[1]!.inflationBps).toBe(0); // −1 / 30000 = −0.33 bps → 0
    const shrinking = monthlyInflation(days(60, (d) => (d <= 30 ? 30_000n : 29_000n)));
    expect(shrinking[1]!.inflationBps).toBe(-333);
  });
});

describe('number formatting', () => {
  it('compactNumber', () => {
    expect([0, 7, 950, 12_500, 150_000, 3_200_000, 1_100_000_000, -12_000, 0.35].map(compactNumber)).toEqual([
      '0',
      '7',
      '950',
      '12.5k',
      '150k',
      '3.2M',
      '1.1B',
      '-12k',
      '0.35',
    ]);
  });

  it('percent takes bps', () => {
    expect([2851, -50, 0, 10_000].map(percent)).toEqual(['+28.5 %', '-0.5 %', '0.0 %', '+100.0 %']);
  });

  it('groupDigits', () => {
    expect([0n, 999n, 1000n, 1_234_567n, -1_000n].map(groupDigits)).toEqual([
      '0',
      '999',
      '1,000',
      '1,234,567',
      '-1,000',
    ]);
  });
});

describe('niceTicks', () => {
  it('covers the range in round steps', () => {
    expect(niceTicks(0, 95, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(1, 90, 10)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(niceTicks(0, 0.43, 5)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(niceTicks(-2_300, 28_000, 5)).toEqual([-10_000, 0, 10_000, 20_000, 30_000]);
  });

  it('widens an empty range instead of dividing by zero', () => {
    expect(niceTicks(0, 0, 5)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(niceTicks(5, 5, 4).every(Number.isFinite)).toBe(true);
  });
});

describe('renderTable', () => {
  it('pads columns and right-aligns numbers', () => {
    const table = renderTable(
      [{ header: 'name' }, { header: 'amount', align: 'right' }],
      [
        ['a', '1'],
        ['longer', '1,000'],
      ],
    );
    expect(table.split('\n')).toEqual([
      'name    amount',
      '──────  ──────',
      'a            1',
      'longer   1,000',
    ]);
  });
});

describe('trajectoryTables', () => {
  it('has a row per week (the last one shorter) and per month', () => {
    const { weekly, monthly } = trajectoryTables(result(days(65, (d) => BigInt(d) * 100n)));
    const weekRows = weekly.split('\n').slice(2);
    expect(weekRows).toHaveLength(10);
    expect(weekRows[0]).toMatch(/^1–7\s+2026-01-11\s+700\s+760\s+0\s+60\s+700\s+—/);
    expect(weekRows[1]).toContain('+100.0 %');
    expect(weekRows[9]).toMatch(/^64–65/);
    const monthRows = monthly.split('\n').slice(2);
    expect(monthRows).toHaveLength(3);
    expect(monthRows[0]).toContain('— (starts empty)');
    expect(monthRows[1]).toContain('+100.0 %');
  });
});

describe('renderChart', () => {
  const svg = renderChart(result(days(65, (d) => BigInt(d) * 1000n)), {
    title: 'Guild <A & B>',
    subtitle: 'seed 1',
    unit: 'Coins',
  });

  it('is one SVG document with the three panels, their legends and the month marks', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    for (const label of [
      'Money supply (Coins)',
      'Daily flows (Coins)',
      'Wealth concentration (Gini)',
      '>minted<',
      '>burned (sinks)<',
      '>house take<',
      'month 2: +100.0 %',
      'month 3 (5 days): +8.3 %',
      'simulated day',
    ]) {
      expect(svg).toContain(label);
    }
    // supply (line and area), minted, burned, house take, Gini
    expect(svg.match(/<path /g)).toHaveLength(6);
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('escapes text', () => {
    expect(svg).toContain('Guild &lt;A &amp; B&gt;');
    expect(escapeXml(`"it's"`)).toBe('&quot;it&apos;s&quot;');
  });

  it('draws a single day without dividing by zero', () => {
    const one = renderChart(result(days(1, () => 500n)));
    expect(one).not.toMatch(/NaN|Infinity/);
    expect(one).not.toContain('house take');
  });

  it('linePath', () => {
    expect(
      linePath([
        [0, 10],
        [5.55, 2.04],
      ]),
    ).toBe('M0,10 L5.6,2');
  });
});

describe('resultToJson', () => {
  it('writes amounts as decimal strings', () => {
    const parsed = JSON.parse(resultToJson(result(days(2, (d) => BigInt(d) * 2n ** 60n))));
    expect(parsed.days[1].supply).toBe((2n * 2n ** 60n).toString());
    expect(parsed.days[0].faucets.daily).toBe(String(2n ** 60n));
    expect(parsed.monthly[0].inflationBps).toBeNull();
  });
});
