import { z } from 'zod';

/** What the control plane accepts in one request (tRPC bodies stop at 1 MB); bigger files go through the CLI. */
export const MAX_UPLOAD_CSV = 900_000;

export const importSourceInput = z.object({
  source: z.discriminatedUnion('kind', [
    /** The owner's UnbelievaBoat API token, used for this import and never stored. */
    z.object({ kind: z.literal('unbelievaboat'), token: z.string().trim().min(1).max(500) }),
    z.object({
      kind: z.literal('csv'),
      text: z.string().max(MAX_UPLOAD_CSV, 'is larger than 900 KB: use the CLI'),
    }),
  ]),
});
export type ImportSourceInput = z.infer<typeof importSourceInput>;
