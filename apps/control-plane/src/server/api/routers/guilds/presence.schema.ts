import { z } from 'zod';

export const guildIdSchema = z.string().regex(/^\d{1,20}$/, 'not a Discord guild id');

export const presenceInput = z.object({ guildId: guildIdSchema });
export type PresenceInput = z.infer<typeof presenceInput>;
