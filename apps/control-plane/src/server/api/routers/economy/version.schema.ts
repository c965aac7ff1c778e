import { z } from 'zod';

export const versionInput = z.object({ version: z.number().int().min(0) });
export type VersionInput = z.infer<typeof versionInput>;
