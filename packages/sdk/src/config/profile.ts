import { z } from 'zod';

// The `profile` section: what `/profile` (and `tenant.profile`) shows. On by default, showing every
// part, since the command existed before the section did; a part an owner hides is not read at all.

/** The parts of a profile an owner may hide; the wallet is always shown. */
export const PROFILE_PARTS = ['bank', 'rank', 'level', 'streak', 'inventory'] as const;
export type ProfilePart = (typeof PROFILE_PARTS)[number];

const shown = z.boolean({ error: 'must be true (shown) or false (hidden)' }).default(true);

export const profileSchema = z
  .strictObject({
    /** `/profile` exists; off: the command is not registered and `tenant.profile` refuses with NOT_FOUND. */
    enabled: z.boolean({ error: 'must be true or false' }).default(true),
    /** Which parts are shown. The level also needs `levels.enabled`, the streak a streak in `streaks`. */
    show: z
      .strictObject({
        bank: shown,
        rank: shown,
        level: shown,
        streak: shown,
        inventory: shown,
      })
      .prefault({}),
    /** How many of the member's most valuable items are named (0-10); the rest are counted. */
    highlights: z
      .number({ error: 'must be a whole number from 0 to 10' })
      .int('must be a whole number from 0 to 10')
      .min(0, 'must be at least 0 (no highlights)')
      .max(10, 'must be at most 10 (an embed has room for ten lines)')
      .default(3),
    /** Members may look at each other's profiles; off: `/profile` shows only one's own. */
    viewOthers: z.boolean({ error: 'must be true or false' }).default(true),
  })
  .prefault({});

export type ProfileConfig = z.output<typeof profileSchema>;
