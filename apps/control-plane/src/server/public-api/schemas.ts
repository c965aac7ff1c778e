import { z } from 'zod';
import { parseAmount } from '../sdk';

/**
 * The JSON shapes of API v1. Amounts travel as strings of decimal digits (JSON numbers lose precision
 * past 2^53); a request's amount is read by the SDK's own parseAmount, so a bad one is INVALID_AMOUNT
 * exactly as from the SDK.
 */

export const AMOUNT_PATTERN = '^[0-9]{1,20}$';

/**
 * An amount in a request: a string of digits, read into a bigint. Anything else (a JSON number, null,
 * nothing) is the SDK's INVALID_AMOUNT, as the same call to a local tenant answers, not a schema error.
 */
export const amountIn = (description: string) =>
  z
    .custom<string>((value) => parseAmount(value) >= 0n)
    .meta({ type: 'string', description, pattern: AMOUNT_PATTERN, examples: ['100'] })
    .transform((text) => parseAmount(text));

/** An amount in a response (a bigint written as its decimal digits). */
export const amountOut = z.string().meta({ pattern: '^-?[0-9]+$', examples: ['100'] });

export const userId = z.string().min(1).max(64).meta({ description: 'a member: their Discord user id' });
export const reason = z.string().min(1).max(500).meta({ description: 'why (shown in the audit log)' });
export const limit = (max: number) => z.coerce.number().int().min(1).max(max).optional();
export const timestamp = z.iso.datetime({ offset: true }).meta({ description: 'an ISO 8601 time' });

/** What Discord says of a member, for a faucet's eligibility (roles, minimum membership age). */
export const memberContext = z
  .object({
    roles: z.array(z.string().min(1).max(64)).max(250).optional(),
    joinedAt: timestamp.optional(),
  })
  .transform(({ roles, joinedAt }) => ({
    ...(roles && { roles }),
    ...(joinedAt && { joinedAt: new Date(joinedAt) }),
  }))
  .optional()
  .meta({ description: 'the member as Discord knows them, for eligibility rules (roles, joinedAt)' });

export const transfer = z.looseObject({
  id: z.string(),
  tenant: z.string(),
  from: z.string(),
  to: z.string(),
  amount: amountOut,
  code: z.string(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  batchId: z.string().optional(),
  reverses: z.string().optional(),
  createdAt: timestamp,
});

export const receipt = z.looseObject({
  id: z.string(),
  amount: amountOut,
  tax: amountOut,
  fee: amountOut,
  transfers: z.array(transfer),
  replayed: z
    .boolean()
    .meta({ description: 'true when an earlier request with this Idempotency-Key answered' }),
});

/** A deposit or withdrawal: the amount moved and the interest paid into the bank first. */
export const bankReceipt = z.looseObject({
  id: z.string(),
  amount: amountOut,
  interest: amountOut,
  transfers: z.array(transfer),
  replayed: z.boolean(),
});

export const gameResult = z.looseObject({
  roundId: z.string(),
  game: z.string(),
  outcome: z.unknown(),
  payout: amountOut,
  bet: amountOut,
  finished: z.boolean(),
  proof: z.looseObject({ serverSeedHash: z.string(), clientSeed: z.string(), nonce: z.number() }),
  replayed: z.boolean(),
});

export const fairness = z.object({ serverSeedHash: z.string(), clientSeed: z.string(), nonce: z.number() });

/** Anything the SDK returns whose shape the SDK's own docs describe (stats, configs, streaks). */
export const document = z.record(z.string(), z.unknown());

/** The body of every error response. */
export const errorBody = z.object({
  error: z.object({
    code: z
      .string()
      .meta({ description: 'a stable code: the SDK’s (INSUFFICIENT_FUNDS, …) or UNAUTHORIZED' }),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    retryAt: timestamp.optional(),
    id: z.string().optional().meta({ description: 'INTERNAL only: the id the server logs carry' }),
  }),
});
