import { z } from 'zod';

export const auditListInput = z.object({
  /**
   * The last entry of the previous page (its id): the next page starts right after it, so entries that
   * share a millisecond are never skipped. The previous page's `next` (named `cursor` for infinite queries).
   */
  cursor: z.object({ id: z.string().min(1).max(128) }).optional(),
  limit: z.number().int().min(1).max(100).default(50),
});
export type AuditListInput = z.infer<typeof auditListInput>;
