import { z } from 'zod';
import { packInput } from '../../../billing/packs/definition';

export const statusInput = z.object({ reread: z.boolean().default(false) });
export type StatusInput = z.infer<typeof statusInput>;

// Not strict here: the tenant procedure's own `tenantId` rides in the same input.
export const defineInput = z.object(packInput.shape);
export type DefineInput = z.infer<typeof defineInput>;

export const archiveInput = z.object({ packId: z.string().min(1).max(64) });
export type ArchiveInput = z.infer<typeof archiveInput>;
