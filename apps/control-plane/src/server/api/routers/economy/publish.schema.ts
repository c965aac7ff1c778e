import { z } from 'zod';
import { economyConfigInput } from '../../../economy/config-input';

export const publishInput = z.object({
  config: economyConfigInput,
  /** The version the draft was edited from: publishing over someone else's newer version is refused. */
  basedOn: z.number().int().min(0),
});
export type PublishInput = z.infer<typeof publishInput>;
