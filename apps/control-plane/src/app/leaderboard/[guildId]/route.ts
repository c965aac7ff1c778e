import { leaderboardHtml, notFoundHtml } from '../../../server/analytics/leaderboard-html';
import { loadPublicLeaderboard } from '../../../server/analytics/public-leaderboard';
import { runtime } from '../../../server/runtime';

// Read per request (the security headers come from next.config.ts, as on every page).
export const dynamic = 'force-dynamic';

/**
 * A guild's public leaderboard (no login): only for a guild whose config has `publicLeaderboard: true`;
 * any other id is the same 404 as one that does not exist. Shared caches may keep a board for a
 * minute (it holds nothing of the visitor); a 404 is never kept, so turning the page on shows at once.
 */
export async function GET(request: Request, { params }: { params: Promise<{ guildId: string }> }) {
  const { guildId } = await params;
  const { services } = await runtime();
  const search = Object.fromEntries(new URL(request.url).searchParams);
  const board = await loadPublicLeaderboard(services.economy, guildId, search);
  const headers = { 'content-type': 'text/html; charset=utf-8' };
  if (!board)
    return new Response(notFoundHtml(), {
      status: 404,
      headers: { ...headers, 'cache-control': 'no-store' },
    });
  return new Response(leaderboardHtml(board, guildId), {
    headers: { ...headers, 'cache-control': 'public, max-age=60, stale-while-revalidate=60' },
  });
}
