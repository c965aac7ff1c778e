import type pg from 'pg';
import { scopedKey } from '../../ledger/records.js';
import { PROFILE_UPSERT } from '../analytics-sql.js';
import type { MemberProfileWrite } from '../types.js';

const UPSERT_PROFILES = `INSERT INTO gm_member_profiles (tenant_id, user_id, name, search, avatar, updated_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
  ${PROFILE_UPSERT}`;

/**
 * Profiles written in the caller's transaction, one statement for all of them (a statement each made a burst of
 * new members queue behind one round trip per member). A member named twice is written in a second statement
 * after the first, as two calls one after the other would be (one statement cannot change a row twice). For each
 * profile, in order: true when it changed (and was written).
 */
export async function upsertProfiles(
  client: pg.PoolClient,
  profiles: readonly MemberProfileWrite[],
): Promise<boolean[]> {
  const changed = new Array<boolean>(profiles.length).fill(false);
  for (const round of rounds(profiles)) {
    const { rows } = await client.query<{ tenant_id: string; user_id: string }>(UPSERT_PROFILES, [
      round.map((i) => profiles[i]!.tenant),
      round.map((i) => profiles[i]!.profile.userId),
      round.map((i) => profiles[i]!.profile.name),
      round.map((i) => profiles[i]!.profile.name.toLowerCase()),
      round.map((i) => profiles[i]!.profile.avatar),
      round.map((i) => profiles[i]!.now),
    ]);
    const written = new Set(rows.map((row) => scopedKey(row.tenant_id, row.user_id)));
    for (const i of round) {
      changed[i] = written.has(scopedKey(profiles[i]!.tenant, profiles[i]!.profile.userId));
    }
  }
  return changed;
}

/** Positions of the profiles, in rounds where each member appears once: its first call in the first, and so on. */
function rounds(profiles: readonly MemberProfileWrite[]): number[][] {
  const result: number[][] = [];
  const seen = new Map<string, number>();
  for (const [i, { tenant, profile }] of profiles.entries()) {
    const key = scopedKey(tenant, profile.userId);
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    if (round === result.length) result.push([]);
    result[round]!.push(i);
  }
  return result;
}
