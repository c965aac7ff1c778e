import { z } from 'zod';
import { economyConfigInput } from '../../../economy/config-input';

export const simulateInput = z.object({
  config: economyConfigInput,
  members: z.number().int().min(10).max(200).default(50),
});
export type SimulateInput = z.infer<typeof simulateInput>;
