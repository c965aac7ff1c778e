import { z } from 'zod';
import { memberIdSchema } from './shared';

export const memberInput = z.object({ userId: memberIdSchema });
export type MemberInput = z.infer<typeof memberInput>;
