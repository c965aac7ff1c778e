import { assertAmount } from '../ledger/amounts.js';
import type { Draws } from './fairness.js';

/*
 * Money arithmetic shared by the games. Everything is bigint minor units; rates are integers.
 * Rounding rule, everywhere: a payout that falls between two whole units rounds up with a probability
 * equal to its fraction, drawn from the round's own stream, so its expected value is exact at every bet
 * and the return to player is the configured one (flooring let the house keep up to 5 % at small bets).
 */

/** A bet is a bigint > 0 within 64 bits: INVALID_AMOUNT / AMOUNT_OVERFLOW otherwise. */
export function assertBet(bet: unknown): asserts bet is bigint {
  assertAmount(bet, 'bet');
}

/**
 * amount × numerator / denominator in whole minor units, unbiased: with q and r the quotient and
 * remainder of amount × numerator by denominator, it is q when r = 0 (and draws nothing), otherwise the
 * round's next draw x = nextInt(denominator) decides: q + 1 when x < r, else q. So the expected payout is
 * q + r / denominator exactly. For amount, numerator ≥ 0 and 1 ≤ denominator ≤ 2^32.
 */
export function mulDivRounded(draws: Draws, amount: bigint, numerator: number, denominator: number): bigint {
  const product = amount * BigInt(numerator);
  const divisor = BigInt(denominator);
  const quotient = product / divisor;
  const remainder = product % divisor;
  if (remainder === 0n) return quotient;
  return BigInt(draws.nextInt(denominator)) < remainder ? quotient + 1n : quotient;
}

/** Applies the config's `maxPayout` (null: no cap) to a round's total payout. */
export function capPayout(payout: bigint, maxPayout: number | null): bigint {
  if (maxPayout === null) return payout;
  const cap = BigInt(maxPayout);
  return payout > cap ? cap : payout;
}
