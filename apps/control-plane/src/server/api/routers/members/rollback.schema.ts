import { z } from 'zod';
import { memberIdSchema, reasonSchema } from './shared';

export const rollbackInput = z.object({
  userId: memberIdSchema,
  /** Every transfer of the member at or after this moment is reversed. */
  since: z.date().refine((d) => !Number.isNaN(d.getTime()), 'must be a valid date'),
  reason: reasonSchema,
});
export type RollbackInput = z.infer<typeof rollbackInput>;
