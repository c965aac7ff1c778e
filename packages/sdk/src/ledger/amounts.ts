import { ErrorCode, GuildmintError } from '../errors.js';

/** Largest value a balance or amount may take: the signed 64-bit limit of both stores. */
export const MAX_AMOUNT = 2n ** 63n - 1n;
export const MIN_BALANCE = -(2n ** 63n);

/** Amounts are integer minor units as `bigint`, strictly positive and within 64 bits. */
export function assertAmount(amount: unknown, path = 'amount'): asserts amount is bigint {
  if (typeof amount !== 'bigint') {
    throw new GuildmintError(
      ErrorCode.INVALID_AMOUNT,
      `${path} must be a bigint number of minor units (for example 100n), got ${describe(amount)}`,
    );
  }
  if (amount <= 0n) {
    throw new GuildmintError(ErrorCode.INVALID_AMOUNT, `${path} must be greater than zero, got ${amount}`);
  }
  if (amount > MAX_AMOUNT) {
    throw new GuildmintError(ErrorCode.AMOUNT_OVERFLOW, `${path} ${amount} is beyond the limit of 2^63-1`);
  }
}

/**
 * An amount written as text (a form field, JSON): plain decimal digits only, so `" 7 "`, `"0x10"`, `"1e3"`,
 * `"+5"` and `"7.0"` are refused rather than read as something the sender may not have meant.
 */
export function parseAmount(text: unknown, path = 'amount'): bigint {
  if (typeof text !== 'string' || !/^[0-9]{1,20}$/.test(text)) {
    throw new GuildmintError(
      ErrorCode.INVALID_AMOUNT,
      `${path} must be written in plain decimal digits (for example 100), got ${describe(text)}`,
    );
  }
  const amount = BigInt(text);
  assertAmount(amount, path);
  return amount;
}

export function isWithinBalanceRange(value: bigint): boolean {
  return value >= MIN_BALANCE && value <= MAX_AMOUNT;
}

function describe(value: unknown): string {
  if (typeof value === 'number')
    return `the number ${value} (use a bigint such as ${Number.isInteger(value) ? `${value}n` : '100n'})`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (value === null) return 'null';
  return typeof value;
}
