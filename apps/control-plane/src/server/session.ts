import { z } from 'zod';

/** What the app knows about the signed-in user: no tokens, nothing secret. */
export const sessionUserSchema = z.object({
  /** The platform user id (cp_users.id). */
  id: z.string().min(1),
  /** The Discord user id: the `actor` of every change in the SDK's audit log. */
  discordId: z.string().regex(/^\d{1,20}$/),
  name: z.string(),
  image: z.string().nullable(),
  provider: z.enum(['discord', 'dev']),
});

export type SessionUser = z.infer<typeof sessionUserSchema>;

export interface AppSession {
  user: SessionUser;
}
