import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { isGuildmintError } from '../../sdk';
import { BillingUnavailableError } from '../billing';
import type { Packs } from './packs';

const snowflake = z.string().regex(/^\d{1,21}$/);
const request = z.discriminatedUnion('action', [
  z.object({ action: z.literal('list'), guildId: snowflake }),
  z.object({
    action: z.literal('checkout'),
    guildId: snowflake,
    memberId: snowflake,
    pack: z.string().min(1).max(64),
  }),
]);

export type InternalPacksRequest = z.infer<typeof request>;

/** What the runtime shows for a pack (coins as decimal text: JSON has no bigint). */
export interface PackListing {
  name: string;
  unitAmount: number;
  currency: string;
  coins: string;
  perMemberPerDay: number;
}

/** The SDK codes the endpoint passes on with their message, for the member to read. */
const STATUS_OF: Record<string, number> = {
  NOT_FOUND: 404,
  NOT_ELIGIBLE: 409,
  LIMIT_REACHED: 429,
  PLAN_LIMIT: 402,
  INVALID_INPUT: 400,
};

/**
 * `POST /api/internal/packs`, for the bot runtime only (Bearer GUILDMINT_INTERNAL_SECRET): the packs a
 * guild sells (`list`), and a member's Checkout link (`checkout`). The runtime never holds Stripe keys nor
 * pack data: Stripe, the packs and the daily limits all stay here, next to the webhook that credits.
 * A guild's tenant id is its guild id, as in the runtime.
 */
export async function handleInternalPacksRequest(
  req: Request,
  packs: Packs | null,
  secret: string | null,
): Promise<Response> {
  if (!packs || !secret)
    return Response.json(
      { error: { code: 'UNAVAILABLE', message: 'packs are not set up' } },
      { status: 503 },
    );
  if (!bearerMatches(req.headers.get('authorization'), secret))
    return Response.json({ error: { code: 'UNAUTHORIZED', message: 'unknown caller' } }, { status: 401 });
  const parsed = request.safeParse(await req.json().catch(() => null));
  if (!parsed.success)
    return Response.json({ error: { code: 'INVALID_INPUT', message: 'bad request' } }, { status: 400 });
  const input = parsed.data;
  try {
    if (input.action === 'list') {
      const listed: PackListing[] = (await packs.list(input.guildId)).map((p) => ({
        name: p.name,
        unitAmount: p.unitAmount,
        currency: p.currency,
        coins: p.coins.toString(),
        perMemberPerDay: p.perMemberPerDay,
      }));
      return Response.json({ packs: listed });
    }
    const link = await packs.checkout({
      tenantId: input.guildId,
      memberId: input.memberId,
      pack: input.pack,
    });
    return Response.json({ url: link.url, expiresAt: link.expiresAt.toISOString() });
  } catch (error) {
    const status = isGuildmintError(error) ? STATUS_OF[error.code] : undefined;
    if (isGuildmintError(error) && status)
      return Response.json({ error: { code: error.code, message: error.message } }, { status });
    if (error instanceof BillingUnavailableError)
      return Response.json({ error: { code: 'UNAVAILABLE', message: error.message } }, { status: 503 });
    throw error;
  }
}

function bearerMatches(header: string | null, secret: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer /, '') ?? '');
  const wanted = Buffer.from(secret);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
