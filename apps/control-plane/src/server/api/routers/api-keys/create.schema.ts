import { z } from 'zod';
import { scopeSchema } from '../../../api-keys/scopes';

export const createKeyInput = z.object({
  name: z.string().trim().min(1, 'give the key a name').max(64),
  scopes: z.array(scopeSchema).min(1, 'pick at least one scope'),
  /** Test keys (`gm_test_…`) say so in their name; they reach the same economy. */
  mode: z.enum(['live', 'test']).default('live'),
  /** Days until it expires; none: it lasts until revoked. */
  expiresInDays: z.number().int().min(1).max(3650).nullable().default(null),
});
export type CreateKeyInput = z.infer<typeof createKeyInput>;

export const keyIdInput = z.object({ id: z.uuid() });
export type KeyIdInput = z.infer<typeof keyIdInput>;
