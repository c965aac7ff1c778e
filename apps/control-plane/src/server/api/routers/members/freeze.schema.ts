import { z } from 'zod';
import { memberIdSchema, reasonSchema } from './shared';

export const freezeInput = z.object({ userId: memberIdSchema, reason: reasonSchema });
export type FreezeInput = z.infer<typeof freezeInput>;
