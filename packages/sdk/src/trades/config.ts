import { z } from 'zod';

/** `/trade`: two members swap items and coins through escrow. Off by default: an owner opts in. */
export const tradesSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    /**
     * Fee on the coins each side sends, in bps of them (floored), paid by the sender on top, to
     * `sink:trade`; 0 = none. Fixed when the trade is proposed, so both sides see it before they agree.
     */
    feeBps: z
      .number()
      .int('must be whole basis points')
      .min(0)
      .max(10_000, 'must be at most 10000 (100 %)')
      .default(0),
    /** An offer not accepted within this many seconds expires and its escrow goes back to the proposer. */
    expirySeconds: z
      .number()
      .int()
      .min(60, 'must be at least 60 seconds')
      .max(7 * 86_400, 'must be at most 7 days')
      .default(900),
  })
  .prefault({});

export type TradesConfig = z.output<typeof tradesSchema>;
