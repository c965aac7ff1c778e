import type { Economy, ErrorCode, PublicLeaderboard } from '@guildmint/sdk';
import { isGuildmintError } from '../sdk';

type SearchParams = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const ORDERS = new Set(['wallet', 'bank', 'total']);
/** Discord snowflakes: nothing else is a guild, so nothing else reaches the store. */
const GUILD_ID = /^\d{1,20}$/;
/** What the SDK answers for a guild without a public board, an unknown one, or a page out of range. */
const NO_BOARD: ErrorCode[] = ['NOT_FOUND', 'TENANT_INVALID', 'INVALID_INPUT'];

/** `?by=bank&page=2`; anything malformed is the first wallet page rather than an error. */
export function leaderboardQuery(params: SearchParams): { by?: 'wallet' | 'bank' | 'total'; page: number } {
  const by = first(params.by);
  const page = Number(first(params.page) ?? '1');
  return {
    ...(by !== undefined && ORDERS.has(by) && { by: by as 'wallet' | 'bank' | 'total' }),
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
  };
}

/**
 * A guild's public leaderboard page, or null when there is none to show: a guild that did not opt in,
 * an unknown one and a malformed id all read the same (the page answers 404), and a page past the
 * last one is null too.
 */
export async function loadPublicLeaderboard(
  economy: Economy,
  guildId: string,
  params: SearchParams,
): Promise<PublicLeaderboard | null> {
  if (!GUILD_ID.test(guildId)) return null;
  try {
    const board = await economy.tenant(guildId).analytics.publicLeaderboard(leaderboardQuery(params));
    return board.page > 1 && board.rows.length === 0 ? null : board;
  } catch (error) {
    if (NO_BOARD.some((code) => isGuildmintError(error, code))) return null;
    throw error;
  }
}
