import { z } from 'zod';

// The `lottery` section: tickets into a pot, a daily draw from a committed seed. Off by default: a
// lottery is gambling, which an owner turns on knowingly.

const positive = z
  .number()
  .int('must be a whole number of minor units')
  .min(1, 'must be greater than zero')
  .max(Number.MAX_SAFE_INTEGER, 'must be at most 2^53-1');

export const lotterySchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    ticketPrice: positive.default(100),
    /** Most tickets one member may hold in one draw. */
    maxTicketsPerMember: z.number().int().min(1).max(10_000).default(10),
    /** Share of the pot destroyed at the draw (to `sink:lottery`), in bps, floored; the winner gets the rest. */
    houseCutBps: z.number().int().min(0).max(10_000).default(1_000),
    /** The draw happens every day at this hour (tenant time zone); tickets bought after it go to the next day's. */
    drawHour: z.number().int().min(0).max(23).default(20),
    /** Where the bot announces each draw's winner; null = nowhere. */
    announceChannelId: z
      .string()
      .regex(/^\d{1,20}$/, 'must be a Discord id (digits)')
      .nullable()
      .default(null),
  })
  .prefault({});

export type LotteryConfig = z.output<typeof lotterySchema>;
