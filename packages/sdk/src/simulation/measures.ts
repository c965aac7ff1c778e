import type { SimulationDay, SimulationMonth } from './types.js';

export const MONTH_DAYS = 30;

/** `numerator ÷ denominator` in bps, truncated toward zero; null when the base is not positive. */
export function ratioBps(numerator: bigint, denominator: bigint): number | null {
  return denominator > 0n ? Number((numerator * 10_000n) / denominator) : null;
}

/**
 * Splits a run into 30-day months and measures each one's inflation: the change in money supply over
 * the month ÷ the supply when it began. The change counts faucets, sinks and the house's take alike
 * (coins the house wins leave circulation as surely as a shop's). Month 1 has no inflation: the
 * economy starts with no money. A last, shorter month is measured over the days it has.
 */
export function monthlyInflation(days: readonly SimulationDay[]): SimulationMonth[] {
  const months: SimulationMonth[] = [];
  for (let first = 0; first < days.length; first += MONTH_DAYS) {
    const slice = days.slice(first, first + MONTH_DAYS);
    const supplyStart = first === 0 ? 0n : days[first - 1]!.supply;
    const supplyEnd = slice[slice.length - 1]!.supply;
    const total = (of: (d: SimulationDay) => bigint) => slice.reduce((sum, d) => sum + of(d), 0n);
    months.push({
      month: months.length + 1,
      firstDay: slice[0]!.day,
      lastDay: slice[slice.length - 1]!.day,
      days: slice.length,
      supplyStart,
      supplyEnd,
      minted: total((d) => d.minted),
      burned: total((d) => d.burned),
      netEmission: total((d) => d.netEmission),
      houseTake: total((d) => d.houseTake),
      inflationBps: first === 0 ? null : ratioBps(supplyEnd - supplyStart, supplyStart),
    });
  }
  return months;
}
