import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isLoopbackAddress, isLoopbackHost } from '../loopback';

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

/**
 * Whether a request reached the app over loopback: every host it names (Host, X-Forwarded-Host) is this
 * machine and so is every address in X-Forwarded-For, which Next.js fills from the socket's peer address.
 * A client that can reach the port can write these headers itself, so this is a second fence: the first is
 * serving the development app on loopback only (`pnpm dev` runs `next dev --hostname localhost`).
 */
export function isLoopbackRequest(headers: Headers): boolean {
  const hosts = [headers.get('host'), headers.get('x-forwarded-host')].filter((h) => h !== null);
  const peers = headers.get('x-forwarded-for')?.split(',') ?? [];
  return (
    hosts.length > 0 &&
    hosts.every((host) => isLoopbackHost(hostOf(host))) &&
    peers.length > 0 &&
    peers.every(isLoopbackAddress)
  );
}

/** The development login as this request may see it: the configured one over loopback, otherwise none. */
export function devLoginFor<T>(devLogin: T | null, headers: Headers): T | null {
  return devLogin && isLoopbackRequest(headers) ? devLogin : null;
}

/** `localhost:3000` → `localhost`, `[::1]:3000` → `[::1]`; unparseable → '' (not loopback). */
function hostOf(header: string): string {
  try {
    return new URL(`http://${header.trim()}`).hostname;
  } catch {
    return '';
  }
}
