import { z } from 'zod';

// Shapes of what a client may send on the gateway. Anything else closes the socket with 4002, as on Discord.

export const frame = z.object({
  op: z.number().int(),
  d: z.unknown().optional(),
  s: z.number().nullish(),
  t: z.string().nullish(),
});

export const identify = z.object({
  token: z.string().min(1),
  intents: z.number().int().min(0),
  properties: z.looseObject({}).optional(),
  compress: z.boolean().optional(),
  large_threshold: z.number().int().optional(),
  shard: z.tuple([z.number().int().min(0), z.number().int().min(1)]).optional(),
  presence: z.unknown().optional(),
});

export const resume = z.object({
  token: z.string().min(1),
  session_id: z.string().min(1),
  seq: z.number().int().nullable(),
});

export const requestGuildMembers = z.object({
  guild_id: z.union([z.string(), z.array(z.string())]),
  query: z.string().optional(),
  limit: z.number().int().min(0).optional(),
  user_ids: z.union([z.string(), z.array(z.string())]).optional(),
  presences: z.boolean().optional(),
  nonce: z.string().max(32).optional(),
});

/** Tokens arrive bare in IDENTIFY, but accept the `Bot ` prefix some clients keep. */
export function bareToken(token: string): string {
  return token.replace(/^Bot\s+/i, '');
}
