import { type BalanceRow, SNOWFLAKE } from './balance-row';
import { ImportError } from './errors';

/** UnbelievaBoat's public API (https://unbelievaboat.com/api/docs). */
export const UNBELIEVABOAT_API = 'https://unbelievaboat.com/api';
/** Members per page: the API's largest page. */
export const UNBELIEVABOAT_PAGE = 1000;
/** 429s answered in a row before the import stops (it resumes from the same page when run again). */
const MAX_RATE_LIMITED = 10;

export interface UnbelievaBoatPage {
  page: number;
  totalPages: number;
  rows: BalanceRow[];
  /** Members whose cash or bank was negative: the negative part is not imported. */
  negatives: number;
}

export interface UnbelievaBoatOptions {
  token: string;
  guildId: string;
  baseUrl?: string;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  pageSize?: number;
}

/**
 * Reads a guild's balances a page at a time with the owner's API token, keeping to the rate limit the
 * API states: when `X-RateLimit-Remaining` reaches 0 it waits until `X-RateLimit-Reset`, and a 429 is
 * retried after its `Retry-After` (the body's `retry_after` when the header is missing).
 */
export class UnbelievaBoatClient {
  private readonly base: string;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly pageSize: number;
  /** When the current window's budget is spent: wait until then before the next request. */
  private resetAt = 0;
  /** Waits honoured so far (tests and progress output). */
  waitedMs = 0;

  constructor(private readonly o: UnbelievaBoatOptions) {
    if (!SNOWFLAKE.test(o.guildId))
      throw new ImportError('SOURCE_INVALID', 'the guild id must be a Discord id');
    if (!o.token || o.token.length > 500)
      throw new ImportError('SOURCE_UNAUTHORIZED', 'an UnbelievaBoat API token is needed');
    this.base = (o.baseUrl ?? UNBELIEVABOAT_API).replace(/\/$/, '');
    this.fetch = o.fetch ?? fetch;
    this.sleep = o.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = o.now ?? Date.now;
    this.pageSize = o.pageSize ?? UNBELIEVABOAT_PAGE;
  }

  /** One page (1-based) of the guild's members. */
  async page(page: number): Promise<UnbelievaBoatPage> {
    const url = `${this.base}/v1/guilds/${this.o.guildId}/users?page=${page}&limit=${this.pageSize}`;
    for (let limited = 0; ; limited++) {
      await this.wait(this.resetAt - this.now());
      const response = await this.request(url);
      this.noteLimits(response.headers);
      if (response.status === 429) {
        if (limited >= MAX_RATE_LIMITED)
          throw new ImportError(
            'SOURCE_UNAVAILABLE',
            'UnbelievaBoat keeps answering "too many requests"; run the import again later to continue',
          );
        await this.wait(await retryAfter(response));
        continue;
      }
      if (response.status === 401 || response.status === 403)
        throw new ImportError(
          'SOURCE_UNAUTHORIZED',
          'UnbelievaBoat refused the API token: create one for this server at unbelievaboat.com/api/docs and authorize the application on the server',
        );
      if (response.status === 404)
        throw new ImportError('SOURCE_NOT_FOUND', `UnbelievaBoat has no economy for guild ${this.o.guildId}`);
      if (!response.ok)
        throw new ImportError(
          'SOURCE_UNAVAILABLE',
          `UnbelievaBoat answered ${response.status}; run the import again later to continue`,
        );
      return parsePage(page, await response.json().catch(() => null));
    }
  }

  private async request(url: string): Promise<Response> {
    try {
      return await this.fetch(url, { headers: { authorization: this.o.token, accept: 'application/json' } });
    } catch {
      throw new ImportError(
        'SOURCE_UNAVAILABLE',
        'UnbelievaBoat could not be reached; run the import again later to continue',
      );
    }
  }

  private noteLimits(headers: Headers): void {
    const remaining = headers.get('x-ratelimit-remaining');
    const reset = Number(headers.get('x-ratelimit-reset'));
    this.resetAt = remaining !== null && Number(remaining) <= 0 && Number.isFinite(reset) ? reset : 0;
  }

  private async wait(ms: number): Promise<void> {
    if (!(ms > 0)) return;
    const capped = Math.min(ms, 60_000);
    this.waitedMs += capped;
    await this.sleep(capped);
  }
}

async function retryAfter(response: Response): Promise<number> {
  const header = Number(response.headers.get('retry-after'));
  if (Number.isFinite(header) && header > 0) return header;
  const body = (await response.json().catch(() => null)) as { retry_after?: unknown } | null;
  const fromBody = Number(body?.retry_after);
  return Number.isFinite(fromBody) && fromBody > 0 ? fromBody : 1_000;
}

function parsePage(page: number, body: unknown): UnbelievaBoatPage {
  const shape = body as { users?: unknown; total_pages?: unknown } | null;
  if (!shape || !Array.isArray(shape.users) || typeof shape.total_pages !== 'number')
    throw new ImportError('SOURCE_INVALID', `UnbelievaBoat's page ${page} is not a list of users`);
  let negatives = 0;
  const rows: BalanceRow[] = [];
  for (const user of shape.users as Array<Record<string, unknown>>) {
    const userId = String(user?.user_id ?? '');
    const cash = coins(user?.cash);
    const bank = coins(user?.bank);
    if (!SNOWFLAKE.test(userId) || cash === null || bank === null)
      throw new ImportError(
        'SOURCE_INVALID',
        `UnbelievaBoat's page ${page} has a user that is not a Discord id with whole amounts`,
      );
    if (cash < 0n || bank < 0n) negatives++;
    rows.push({ userId, wallet: cash > 0n ? cash : 0n, bank: bank > 0n ? bank : 0n });
  }
  return { page, totalPages: shape.total_pages, rows, negatives };
}

/** A whole amount as UnbelievaBoat sends it (a JSON number, or "Infinity"): null when it is not one. */
function coins(value: unknown): bigint | null {
  return typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : null;
}
