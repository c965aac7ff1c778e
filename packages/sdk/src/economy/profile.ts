import type { ProfileConfig } from '../config/profile.js';
import { memberAccount } from '../context/member-account.js';
import type { TenantContext } from '../context/tenant-context.js';
import { ErrorCode, GuildmintError, isGuildmintError } from '../errors.js';
import type { StreakView } from '../streaks/index.js';
import { type Holdings, holdings } from './bank.js';
import { levelRank } from './levels.js';
import { memberRank, streak } from './members.js';
import { inventory } from './shop.js';

export interface Profile extends Holdings {
  userId: string;
  /** The parts the config's `profile.show` shows; a hidden part reads as empty (null, 0 or []). */
  shown: ProfileConfig['show'];
  /** Place on the leaderboard by total (wallet + bank), 1 = richest; null with nothing to rank (or hidden). */
  rank: number | null;
  /** Members ranked (those holding anything); 0 when the rank is hidden. */
  ranked: number;
  /** Level and XP, with the place on the XP board; null when levels are off (or hidden). */
  level: { level: number; xp: number; rank: number | null } | null;
  /** The config's first streak, if it has one (null when hidden). */
  streak: (StreakView & { name: string }) | null;
  /** The member's most valuable items (by shop price × quantity), at most `profile.highlights`. */
  highlights: Array<{ item: string; name: string; quantity: number }>;
  /** Kinds of items held in all (0 when the inventory is hidden). */
  items: number;
}

export interface ProfileOptions {
  /** Who is looking (the runtime passes the member who asked): refused when `profile.viewOthers` is off. */
  viewer?: string;
}

/** Everything `/profile` shows, from one read of each source the config's `profile` section shows. */
export async function profile(ctx: TenantContext, userId: string, o: ProfileOptions = {}): Promise<Profile> {
  memberAccount(userId);
  if (o.viewer !== undefined) memberAccount(o.viewer, 'viewer');
  const { config } = await ctx.config();
  const settings = config.profile;
  if (!settings.enabled)
    throw new GuildmintError(ErrorCode.NOT_FOUND, 'profiles are turned off on this server');
  if (o.viewer !== undefined && o.viewer !== userId && !settings.viewOthers) {
    throw new GuildmintError(ErrorCode.FORBIDDEN, 'on this server, members may only see their own profile');
  }
  const { show } = settings;
  const none = Promise.resolve(null);
  const [money, place, items, view, level] = await Promise.all([
    holdings(ctx, userId),
    show.rank ? memberRank(ctx, userId, 'total') : none,
    show.inventory ? inventory(ctx, userId) : Promise.resolve([]),
    show.streak && Object.keys(config.streaks).length > 0
      ? streak(ctx, userId).catch((error: unknown) => {
          if (isGuildmintError(error, ErrorCode.NOT_FOUND)) return null;
          throw error;
        })
      : none,
    show.level && config.levels.enabled ? levelRank(ctx, userId) : none,
  ]);
  const price = (item: string) => BigInt(config.shop.items[item]?.price ?? 0);
  const highlights = [...items]
    .sort((a, b) => {
      const value = (e: { item: string; quantity: number }) => price(e.item) * BigInt(e.quantity);
      const diff = value(b) - value(a);
      return diff === 0n ? (a.item < b.item ? -1 : 1) : diff > 0n ? 1 : -1;
    })
    .slice(0, settings.highlights)
    .map((e) => ({ ...e, name: config.shop.items[e.item]?.name ?? e.item }));
  return {
    userId,
    // A hidden bank reads as empty, and so the total is the wallet: the sum would give the bank away.
    ...(show.bank ? money : { wallet: money.wallet, bank: 0n, total: money.wallet }),
    shown: show,
    rank: place?.place ?? null,
    ranked: place?.ranked ?? 0,
    level: level && { level: level.level, xp: level.xp, rank: level.rank },
    streak: view,
    highlights,
    items: items.length,
  };
}
