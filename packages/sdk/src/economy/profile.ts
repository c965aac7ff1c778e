import type { TenantContext } from '../context/tenant-context.js';
import { ErrorCode, isGuildmintError } from '../errors.js';
import type { StreakView } from '../streaks/index.js';
import { type Holdings, holdings } from './bank.js';
import { memberRank, streak } from './members.js';
import { inventory } from './shop.js';

const HIGHLIGHTS = 3;

export interface Profile extends Holdings {
  userId: string;
  /** Place on the leaderboard by total (wallet + bank), 1 = richest; null with nothing to rank. */
  rank: number | null;
  /** Members ranked (those holding anything). */
  ranked: number;
  /** The config's first streak, if it has one. */
  streak: (StreakView & { name: string }) | null;
  /** The member's most valuable items (by shop price × quantity), at most three. */
  highlights: Array<{ item: string; name: string; quantity: number }>;
  /** Kinds of items held in all. */
  items: number;
}

/** Everything `/profile` shows, from one read of each source. */
export async function profile(ctx: TenantContext, userId: string): Promise<Profile> {
  const [money, { place, ranked }, items, view, { config }] = await Promise.all([
    holdings(ctx, userId),
    memberRank(ctx, userId, 'total'),
    inventory(ctx, userId),
    streak(ctx, userId).catch((error: unknown) => {
      if (isGuildmintError(error, ErrorCode.NOT_FOUND)) return null;
      throw error;
    }),
    ctx.config(),
  ]);
  const price = (item: string) => BigInt(config.shop.items[item]?.price ?? 0);
  const highlights = [...items]
    .sort((a, b) => {
      const value = (e: { item: string; quantity: number }) => price(e.item) * BigInt(e.quantity);
      const diff = value(b) - value(a);
      return diff === 0n ? (a.item < b.item ? -1 : 1) : diff > 0n ? 1 : -1;
    })
    .slice(0, HIGHLIGHTS)
    .map((e) => ({ ...e, name: config.shop.items[e.item]?.name ?? e.item }));
  return {
    userId,
    ...money,
    rank: place,
    ranked,
    streak: view,
    highlights,
    items: items.length,
  };
}
