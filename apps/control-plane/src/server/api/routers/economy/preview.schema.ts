import { z } from 'zod';

/** A draft the editor has not published: checked here, so its problems are data, not errors. */
export const previewInput = z.object({ draft: z.unknown() });
export type PreviewInput = z.infer<typeof previewInput>;
