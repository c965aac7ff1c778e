import { RuntimeError, RuntimeErrorCode } from './errors.js';

/** A currency pack a guild sells for real money (defined by its owner in the control plane). */
export interface PackListing {
  name: string;
  /** Price in the currency's minor units (499 = 4.99). */
  unitAmount: number;
  currency: string;
  /** Coins, as decimal text. */
  coins: string;
  perMemberPerDay: number;
}

/**
 * Currency packs as the bot sees them. The bot holds no Stripe key and no pack data: it asks the control
 * plane, which makes the Checkout session on the guild's connected account and credits from Stripe's
 * webhook. A link is all the bot ever hands out; coins never move here.
 */
export interface PackShop {
  list(guildId: string): Promise<PackListing[]>;
  checkout(i: { guildId: string; memberId: string; pack: string }): Promise<{ url: string; expiresAt: Date }>;
}

/** Answers the member may read as they are (the control plane words them for members). */
const MEMBER_FACING = new Set(['NOT_FOUND', 'NOT_ELIGIBLE', 'LIMIT_REACHED', 'PLAN_LIMIT', 'UNAVAILABLE']);

/** The control plane's `POST /api/internal/packs`, with GUILDMINT_INTERNAL_SECRET. */
export class ControlPlanePackShop implements PackShop {
  constructor(
    private readonly o: { url: string; secret: string; fetchFn?: typeof fetch; timeoutMs?: number },
  ) {}

  async list(guildId: string): Promise<PackListing[]> {
    const body = (await this.call({ action: 'list', guildId })) as { packs: PackListing[] };
    return body.packs;
  }

  async checkout(i: { guildId: string; memberId: string; pack: string }) {
    const body = (await this.call({ action: 'checkout', ...i })) as { url: string; expiresAt: string };
    return { url: body.url, expiresAt: new Date(body.expiresAt) };
  }

  private async call(payload: Record<string, string>): Promise<unknown> {
    let response: Response;
    try {
      response = await (this.o.fetchFn ?? fetch)(new URL('/api/internal/packs', this.o.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${this.o.secret}`, 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw unavailable(error);
    }
    const body = (await response.json().catch(() => null)) as {
      error?: { code: string; message: string };
    } | null;
    if (response.ok && body) return body;
    const problem = body?.error;
    if (problem && MEMBER_FACING.has(problem.code))
      throw new RuntimeError(RuntimeErrorCode.PACK_REFUSED, problem.message);
    throw unavailable(new Error(`the control plane answered ${response.status}`));
  }
}

function unavailable(cause: unknown): RuntimeError {
  return new RuntimeError(
    RuntimeErrorCode.PACK_REFUSED,
    'payments are not answering right now; nothing was charged. Try again in a moment',
    { cause },
  );
}
