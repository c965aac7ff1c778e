import { createHash } from 'node:crypto';
import { z } from 'zod';

/** What the development login form sends. */
export const devLoginInput = z.object({ name: z.string().trim().min(1, 'enter a name').max(32) });

/**
 * The development user for a name: a stable fake Discord id (so the same name is the same person
 * across restarts, and the SDK's audit log has a Discord-like actor) and a platform user id.
 */
export function devUser(name: string): { id: string; discordId: string; name: string } {
  const digest = createHash('sha256').update(`guildmint-dev:${name.toLowerCase()}`).digest();
  // 18 digits, like a Discord snowflake: never collides with real ids in practice, always parses.
  const discordId = (1n * 10n ** 17n + (digest.readBigUInt64BE(0) % (9n * 10n ** 17n))).toString();
  return { id: `dev-${discordId}`, discordId, name };
}
