import type { Tenant } from '@guildmint/sdk';

/** Members whose last recorded profile this process remembers; the oldest is forgotten first. */
const REMEMBERED = 50_000;

/**
 * Records the name and avatar Discord sends with each interaction (`tenant.recordMember`), so the control
 * plane shows people, not ids. Cheap: a profile this process already recorded is not sent again, and
 * the SDK writes only what changed, so after the first interaction a member costs a map lookup.
 */
export class ProfileRecorder {
  private readonly known = new Map<string, string>();

  /** Resolves once recorded (or known already); rejects with the SDK's error, for the caller to log. */
  async record(
    tenant: Tenant,
    userId: string,
    profile: { name: string; avatar: string | null },
  ): Promise<void> {
    const key = `${tenant.id}\u0000${userId}`;
    const seen = `${profile.name}\u0000${profile.avatar ?? ''}`;
    if (this.known.get(key) === seen) return;
    await tenant.recordMember(userId, profile);
    this.known.delete(key);
    this.known.set(key, seen);
    if (this.known.size > REMEMBERED) this.known.delete(this.known.keys().next().value!);
  }
}
