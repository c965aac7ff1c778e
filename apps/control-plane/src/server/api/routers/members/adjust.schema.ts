import { z } from 'zod';
import { MAX_AMOUNT } from '../../../sdk';
import { memberIdSchema, reasonSchema } from './shared';

export const adjustInput = z.object({
  userId: memberIdSchema,
  amount: z.bigint().positive('must be more than zero').max(MAX_AMOUNT, 'is too large'),
  reason: reasonSchema,
  /** Idempotency key from the confirmation dialog: a double click or a retry changes nothing twice. */
  key: z.uuid(),
});
export type AdjustInput = z.infer<typeof adjustInput>;
