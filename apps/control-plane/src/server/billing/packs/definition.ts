import { z } from 'zod';
import { GuildmintError, parseAmount } from '../../sdk';

/** Currencies a pack may be priced in (Stripe's minor units: cents, pence). */
export const PACK_CURRENCIES = ['usd', 'eur', 'gbp', 'cad', 'aud'] as const;

/** What an owner fills in for a pack. Coins as decimal digits: bigint amounts never pass through a float. */
export const packInput = z.strictObject({
  /** What members type in `/buy pack:<name>`. */
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'use 1-32 lowercase letters, digits and dashes, as members type it'),
  /** Price in the currency's minor units (499 = 4.99). Stripe's minimum charge is about 0.50. */
  unitAmount: z.number().int().min(50).max(99_999_999),
  currency: z.enum(PACK_CURRENCIES),
  coins: z.string(),
  perMemberPerDay: z.number().int().min(1).max(100),
});

export type PackInput = z.input<typeof packInput>;

/** INVALID_INPUT naming the field, or the pack as stored (coins as bigint > 0 within the ledger's range). */
export function parsePackInput(input: unknown) {
  const result = packInput.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new GuildmintError('INVALID_INPUT', `${issue.path.join('.') || 'pack'}: ${issue.message}`);
  }
  return { ...result.data, coins: parseAmount(result.data.coins, 'coins') };
}
