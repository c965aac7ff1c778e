import { assertAmount } from '../ledger/amounts.js';

/*
 * Money arithmetic shared by the games. Everything is bigint minor units; rates are integers.
 * Rounding rule, everywhere: floor (toward zero — all operands are ≥ 0, so bigint division is floor).
 * The house keeps the fraction of a minor unit.
 */

/** A bet is a bigint > 0 within 64 bits: INVALID_AMOUNT / AMOUNT_OVERFLOW otherwise. */
export function assertBet(bet: unknown): asserts bet is bigint {
  assertAmount(bet, 'bet');
}

/** floor(amount × numerator / denominator), for amount, numerator ≥ 0 and denominator > 0. */
export function mulDivFloor(amount: bigint, numerator: number, denominator: number): bigint {
  return (amount * BigInt(numerator)) / BigInt(denominator);
}

/** Applies the config's `maxPayout` (null: no cap) to a round's total payout. */
export function capPayout(payout: bigint, maxPayout: number | null): bigint {
  if (maxPayout === null) return payout;
  const cap = BigInt(maxPayout);
  return payout > cap ? cap : payout;
}
