/** One member's balance as a source reports it, in whole coins: what an import credits (negatives aside). */
export interface BalanceRow {
  userId: string;
  wallet: bigint;
  bank: bigint;
}

/** A Discord user id (a snowflake): the only member ids an import accepts. */
export const SNOWFLAKE = /^\d{15,21}$/;
