import type { SimulationResult } from './types.js';

/** 950, 12.5k, 3.2M, 1.1B: short labels for axes. */
export function compactNumber(value: number): string {
  const abs = Math.abs(value);
  for (const [size, suffix] of [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ] as const) {
    if (abs >= size) return `${trim((value / size).toFixed(abs / size >= 100 ? 0 : 1))}${suffix}`;
  }
  return trim(value.toFixed(abs > 0 && abs < 10 && !Number.isInteger(value) ? 2 : 0));
}

/** Basis points as a signed percentage: 2851 → "+28.5 %". */
export function percent(bps: number): string {
  const sign = bps > 0 ? '+' : bps < 0 ? '-' : '';
  return `${sign}${(Math.abs(bps) / 100).toFixed(1)} %`;
}

/** 1234567n → "1,234,567"; negative amounts keep their sign. */
export function groupDigits(value: bigint): string {
  const digits = (value < 0n ? -value : value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return value < 0n ? `-${digits}` : digits;
}

/** The result as JSON: amounts (bigint) become decimal strings, as everywhere Guildmint speaks JSON. */
export function resultToJson(result: SimulationResult): string {
  return `${JSON.stringify(result, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2)}\n`;
}

function trim(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}
