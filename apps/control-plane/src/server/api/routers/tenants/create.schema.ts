import { z } from 'zod';
import { guildIdSchema } from '../guilds/presence.schema';

export const presetNameSchema = z.enum(['classic', 'casino', 'cozy']);

export const createTenantInput = z.object({ guildId: guildIdSchema, preset: presetNameSchema });
export type CreateTenantInput = z.infer<typeof createTenantInput>;
