import { z } from 'zod';

/** The money events a log channel can carry. */
export const LOG_EVENT_KINDS = ['payment', 'purchase', 'trade', 'admin', 'anomaly'] as const;
export type LogEventKind = (typeof LOG_EVENT_KINDS)[number];

/**
 * `logChannel`: money events posted to a channel the owner picks, rate-limited (bursts are coalesced
 * into one post). Off by default.
 */
export const logChannelSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** The Discord channel the bot posts to (it needs Send Messages and Embed Links there). */
    channelId: z
      .string()
      .regex(/^\d{1,20}$/, 'must be a Discord channel id (digits)')
      .nullable()
      .default(null),
    /** Payments of at least this many minor units are logged; smaller ones are not. */
    largePaymentAt: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).default(10_000),
    /** Which kinds of event are posted. */
    events: z
      .array(z.enum(LOG_EVENT_KINDS))
      .max(LOG_EVENT_KINDS.length)
      .default([...LOG_EVENT_KINDS]),
    /** Most posts per minute; events beyond it wait and are posted together. */
    maxPostsPerMinute: z.number().int().min(1).max(30).default(6),
  })
  .refine((log) => !log.enabled || log.channelId !== null, {
    message: 'pick the channel to post to',
    path: ['channelId'],
  })
  .prefault({});

export type LogChannelConfig = z.output<typeof logChannelSchema>;
