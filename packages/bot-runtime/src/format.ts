import { MAX_AMOUNT } from '@guildmint/sdk';
import { RuntimeError, RuntimeErrorCode } from './errors.js';

/** How a guild's currency reads: its symbol, and minor units per major unit as 10^decimals. */
export interface CurrencyFormat {
  symbol: string;
  name: string;
  decimals: number;
}

/** 1234567n with 2 decimals → "12,345.67". Exact for any bigint: no floating point. */
export function formatNumber(amount: bigint, decimals: number): string {
  const negative = amount < 0n;
  const digits = (negative ? -amount : amount).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = decimals > 0 ? `.${digits.slice(digits.length - decimals)}` : '';
  return `${negative ? '-' : ''}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction}`;
}

/** "🪙 1,234" — the symbol, then the amount with the currency's decimals. */
export function formatAmount(amount: bigint, currency: CurrencyFormat): string {
  return `${currency.symbol} ${formatNumber(amount, currency.decimals)}`;
}

/** A signed change: "+🪙 48" or "-🪙 50". */
export function formatDelta(amount: bigint, currency: CurrencyFormat): string {
  return amount < 0n ? `-${formatAmount(-amount, currency)}` : `+${formatAmount(amount, currency)}`;
}

/**
 * What a member typed ("12.5", "1,000", 250) → minor units. Refuses, with a message saying what to
 * type instead: more decimals than the currency has, signs, exponents, zero, and amounts beyond the
 * ledger's maximum. Numbers (Discord INTEGER options) must be safe integers.
 */
export function parseAmount(input: string | number, decimals: number, field = 'amount'): bigint {
  const example = decimals > 0 ? `12.${'5'.padEnd(decimals, '0')}` : '250';
  const invalid = (why: string) =>
    new RuntimeError(RuntimeErrorCode.INVALID_OPTION, `\`${field}\` ${why}, for example ${example}.`);
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isSafeInteger(input)) throw invalid('must be a whole number');
    text = String(input);
  } else {
    text = input.trim().replace(/[,_\s]/g, '');
  }
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw invalid('must be a positive number');
  const fraction = match[2] ?? '';
  if (fraction.length > decimals) {
    throw invalid(decimals === 0 ? 'must be a whole number' : `can have at most ${decimals} decimals`);
  }
  const minor = BigInt(match[1]!) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
  if (minor <= 0n) throw invalid('must be greater than zero');
  if (minor > MAX_AMOUNT) throw invalid('is too large');
  return minor;
}

/** Discord renders `<t:unix:R>` as "in 3 hours" in each reader's own time zone. */
export function relativeTime(date: Date): string {
  return `<t:${Math.floor(date.getTime() / 1000)}:R>`;
}

/** `<t:unix:f>`: a full date and time, localised by Discord. */
export function absoluteTime(date: Date): string {
  return `<t:${Math.floor(date.getTime() / 1000)}:f>`;
}

/** Basis points as a multiplier: 15000 → "×1.5", 10500 → "×1.05". */
export function formatMultiplier(bps: number): string {
  const whole = Math.floor(bps / 10_000);
  const rest = String(bps % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return `×${whole}${rest ? `.${rest}` : ''}`;
}

/** Basis points as a percentage: 250 → "2.5 %". */
export function formatBps(bps: number): string {
  const sign = bps < 0 ? '-' : '';
  const abs = Math.abs(bps);
  const rest = String(abs % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return `${sign}${Math.floor(abs / 100)}${rest ? `.${rest}` : ''} %`;
}

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "90m", "2h", "3d", "1w" → milliseconds; or an ISO date → the time since it. */
export function parseSince(text: string, now: Date): Date {
  const trimmed = text.trim().toLowerCase();
  const duration = /^(\d{1,5})\s*([mhdw])$/.exec(trimmed);
  if (duration) return new Date(now.getTime() - Number(duration[1]) * UNITS[duration[2]!]!);
  const date = Date.parse(text.trim());
  if (/^\d{4}-\d{2}-\d{2}/.test(trimmed) && Number.isFinite(date) && date <= now.getTime()) {
    return new Date(date);
  }
  throw new RuntimeError(
    RuntimeErrorCode.INVALID_OPTION,
    '`since` must be a duration such as 30m, 2h, 3d or 1w, or a past date such as 2026-01-31.',
  );
}
