import { z } from 'zod';

export const listMembersInput = z.object({ limit: z.number().int().min(1).max(100).default(50) });
export type ListMembersInput = z.infer<typeof listMembersInput>;
