/** Amounts are integer minor units (bigint); people read and type major units with the tenant's decimals. */

export interface CurrencyDisplay {
  symbol: string;
  name: string;
  decimals: number;
}

/** 123456n with 2 decimals → "1,234.56"; whole coins get thousands separators only. */
export function formatUnits(amount: bigint | number, decimals: number): string {
  const value = typeof amount === 'bigint' ? amount : BigInt(Math.trunc(amount));
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const scale = 10n ** BigInt(decimals);
  const whole = (abs / scale).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = decimals > 0 ? `.${(abs % scale).toString().padStart(decimals, '0')}` : '';
  return `${negative ? '−' : ''}${whole}${fraction}`;
}

/** "🪙 1,250" */
export function formatAmount(
  amount: bigint | number,
  currency: Pick<CurrencyDisplay, 'symbol' | 'decimals'>,
): string {
  return `${currency.symbol} ${formatUnits(amount, currency.decimals)}`;
}

/**
 * "12.5" with 2 decimals → 1250n. Refuses (null) anything that is not a plain positive number with
 * at most `decimals` fraction digits: no rounding happens without the user seeing it.
 */
export function parseUnits(text: string, decimals: number): bigint | null {
  const trimmed = text.trim().replace(/[,_\s]/g, '');
  const match = /^(\d+)(?:\.(\d+))?$/.exec(trimmed);
  if (!match) return null;
  const [, whole = '0', fraction = ''] = match;
  if (fraction.length > decimals) return null;
  return BigInt(whole) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
}
