import { scopedKey } from '../../ledger/records.js';
import { PROFILE_UPSERT } from '../analytics-sql.js';
import type { MemberProfileWrite } from '../types.js';
import type { Query } from './connection.js';

// One statement: the fence probe and the upsert of every profile whose tenant is not fenced here. A statement
// is a transaction of its own, so a mover that raised a fence waits it out like any other (see fence.ts).
const RECORD_PROFILES = `WITH fenced AS (
    SELECT tenant_id FROM gm_fences WHERE tenant_id = ANY($1::text[])
  ), written AS (
    INSERT INTO gm_member_profiles (tenant_id, user_id, name, search, avatar, updated_at)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
      AS p(tenant_id, user_id, name, search, avatar, updated_at)
    WHERE p.tenant_id NOT IN (SELECT tenant_id FROM fenced)
    ${PROFILE_UPSERT}
  )
  SELECT 'f' AS k, tenant_id, NULL AS user_id FROM fenced
  UNION ALL SELECT 'w', tenant_id, user_id FROM written`;

/** What a flush of profiles did: the tenants fenced here (their profiles not written), and each profile's change. */
export interface RecordedProfiles {
  fenced: Set<string>;
  /** For each profile, in order: true when it changed (and was written); false for a fenced tenant's. */
  changed: boolean[];
}

/**
 * Profiles written in one statement for all of them (a round trip each made a burst of new members queue behind
 * one another). A member named twice is written by a second statement after the first, as two calls one after the
 * other would be (one statement cannot change a row twice).
 */
export async function recordProfiles(
  query: Query,
  profiles: readonly MemberProfileWrite[],
): Promise<RecordedProfiles> {
  const fenced = new Set<string>();
  const changed = new Array<boolean>(profiles.length).fill(false);
  for (const round of rounds(profiles)) {
    const rows = await query(RECORD_PROFILES, [
      round.map((i) => profiles[i]!.tenant),
      round.map((i) => profiles[i]!.profile.userId),
      round.map((i) => profiles[i]!.profile.name),
      round.map((i) => profiles[i]!.profile.name.toLowerCase()),
      round.map((i) => profiles[i]!.profile.avatar),
      round.map((i) => profiles[i]!.now),
    ]);
    const written = new Set<string>();
    for (const row of rows) {
      if (row.k === 'f') fenced.add(String(row.tenant_id));
      else written.add(scopedKey(String(row.tenant_id), String(row.user_id)));
    }
    for (const i of round) {
      changed[i] = written.has(scopedKey(profiles[i]!.tenant, profiles[i]!.profile.userId));
    }
  }
  return { fenced, changed };
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
