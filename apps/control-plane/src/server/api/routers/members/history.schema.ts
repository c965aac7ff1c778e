import { z } from 'zod';
import { memberIdSchema } from './shared';

export const historyInput = z.object({
  userId: memberIdSchema,
  cursor: z.string().min(1).max(200).optional(),
  limit: z.number().int().min(1).max(100).default(25),
});
export type HistoryInput = z.infer<typeof historyInput>;
