import { memberAccount, userIdOf } from '../context/member-account.js';
import type { TenantContext } from '../context/tenant-context.js';
import { invalidInput } from '../errors.js';
import { isStorableText } from '../text.js';

/** What Discord shows of a member: their display name and avatar (a hash or URL; null: the default). */
export interface MemberProfileInput {
  name: string;
  avatar?: string | null;
}

export interface MemberListEntry {
  userId: string;
  balance: bigint;
  /** Null until the runtime has seen the member in an interaction. */
  name: string | null;
  avatar: string | null;
}

export interface MemberPage {
  members: MemberListEntry[];
  /** Pass as `cursor` for the next page; absent on the last one. */
  next?: string;
}

export interface MemberListQuery {
  /** Part of the display name (any case), or the start of the user id. */
  search?: string;
  /** 1–100, default 50. */
  limit?: number;
  cursor?: string;
}

// Discord display names hold at most 32 characters and avatars are hashes; the limits leave room for
// other front ends (a URL) without letting a caller store a novel.
const MAX_NAME = 100;
const MAX_AVATAR = 512;
const MAX_SEARCH = 100;

function text(value: unknown, path: string, max: number, optional: boolean): string | null {
  if (optional && (value === undefined || value === null)) return null;
  if (typeof value !== 'string' || value.length === 0 || value.length > max || !isStorableText(value)) {
    throw invalidInput(path, `must be text of 1-${max} characters`);
  }
  return value;
}

/** Records the member's name and avatar; true when they changed (false: already stored as given). */
export async function recordMember(
  ctx: TenantContext,
  userId: string,
  input: MemberProfileInput,
): Promise<boolean> {
  memberAccount(userId);
  if (typeof input !== 'object' || input === null) throw invalidInput('profile', 'must be { name, avatar? }');
  const name = text(input.name, 'name', MAX_NAME, false)!;
  const avatar = text(input.avatar, 'avatar', MAX_AVATAR, true);
  return ctx.store.recordMemberProfile(ctx.tenant, { userId, name, avatar }, ctx.clock.now());
}

/** Members with a balance row, by user id, with their recorded name and avatar; searchable, paged. */
export async function listMembers(ctx: TenantContext, q: MemberListQuery = {}): Promise<MemberPage> {
  const limit = q.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw invalidInput('limit', 'must be a whole number from 1 to 100');
  const search =
    q.search === undefined || q.search === '' ? undefined : text(q.search, 'search', MAX_SEARCH, false)!;
  const after = q.cursor === undefined ? undefined : memberAccount(q.cursor, 'cursor');
  const rows = await ctx.store.listMembers(ctx.tenant, {
    limit: limit + 1,
    ...(search !== undefined && { search }),
    ...(after !== undefined && { after }),
  });
  const members = rows.slice(0, limit).map((row) => ({
    userId: userIdOf(row.account),
    balance: row.balance,
    name: row.profile?.name ?? null,
    avatar: row.profile?.avatar ?? null,
  }));
  return rows.length > limit ? { members, next: members[members.length - 1]!.userId } : { members };
}
