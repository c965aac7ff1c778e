import { z } from 'zod';

// The `levels` section: coins and XP for chat and voice activity (MEE6-style levels, with the ledger
// under the coins). Its own file because it is large; `schema.ts` imports it.

const snowflake = z.string().regex(/^\d{1,20}$/, 'must be a Discord id (digits)');
const coins = z.number().int('must be a whole number of minor units').min(0, 'must not be negative');
const xp = z.number().int('must be whole XP').min(0, 'must not be negative').max(1_000_000);

/** A range drawn uniformly per reward (min = max for a fixed amount). */
const range = (unit: z.ZodNumber) =>
  z
    .strictObject({ min: unit, max: unit })
    .refine((r) => r.min <= r.max, { message: 'min must not exceed max', path: ['min'] });

export const levelRoleRewardSchema = z.strictObject({
  level: z.number().int().min(1).max(1_000),
  roleId: snowflake,
});

export const levelsSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** A member's messages: one rewarded per window, whatever they say (the bot never reads message content). */
    message: z
      .strictObject({
        coins: range(coins.max(1_000_000_000)).default({ min: 5, max: 15 }),
        xp: range(xp).default({ min: 15, max: 25 }),
        /** Seconds after a rewarded message during which a member's messages earn nothing. */
        windowSeconds: z.number().int().min(1).max(86_400).default(60),
      })
      .prefault({}),
    /** Minutes in a voice channel with at least one other member, not deafened. */
    voice: z
      .strictObject({
        enabled: z.boolean().default(true),
        coinsPerMinute: coins.max(1_000_000).default(1),
        xpPerMinute: xp.max(10_000).default(10),
        /** Most minutes one voice period counts (a member left in a channel overnight earns no more). */
        maxMinutesPerPeriod: z.number().int().min(1).max(1_440).default(240),
      })
      .prefault({}),
    /** Most coins one member earns from activity per day (tenant time zone); null = only the emission budget. */
    dailyCoinCap: coins.max(Number.MAX_SAFE_INTEGER).nullable().default(500),
    /** Messages in these channels, and members holding these roles, earn nothing. */
    ignoredChannels: z.array(snowflake).max(100).default([]),
    ignoredRoles: z.array(snowflake).max(50).default([]),
    /** XP from level n to n + 1 = a·n² + b·n + c (MEE6's curve is 5, 50, 100). */
    curve: z
      .strictObject({
        a: z.number().int().min(0).max(10_000).default(5),
        b: z.number().int().min(0).max(100_000).default(50),
        c: z.number().int().min(1).max(1_000_000).default(100),
      })
      .prefault({}),
    /** Roles granted on reaching a level (kept when a member levels past them). */
    roleRewards: z.array(levelRoleRewardSchema).max(50).default([]),
    /** Where a level-up is announced: nowhere, the channel of the message, or one channel. */
    announce: z
      .discriminatedUnion('mode', [
        z.strictObject({ mode: z.literal('off') }),
        z.strictObject({ mode: z.literal('same-channel') }),
        z.strictObject({ mode: z.literal('channel'), channelId: snowflake }),
      ])
      .default({ mode: 'same-channel' }),
  })
  .refine((l) => new Set(l.roleRewards.map((r) => r.level)).size === l.roleRewards.length, {
    message: 'each level may grant only one role',
    path: ['roleRewards'],
  })
  .prefault({});

export type LevelsConfig = z.output<typeof levelsSchema>;
