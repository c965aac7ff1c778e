import { z } from 'zod';

export const auditListInput = z.object({
  /** Entries strictly older than this: the previous page's `next` (named `cursor` for infinite queries). */
  cursor: z.date().optional(),
  limit: z.number().int().min(1).max(100).default(50),
});
export type AuditListInput = z.infer<typeof auditListInput>;
