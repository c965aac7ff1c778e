import { randomUUID } from 'node:crypto';
import {
  ErrorCode,
  GuildmintError,
  InternalError,
  type Issue,
  RetryLaterError,
  ValidationError,
} from '../errors.js';
import { reviveJson } from './revive.js';

/** How hard the client tries before it answers STORE_UNAVAILABLE. */
export interface RetryBudget {
  /** Attempts in all, the first included. Default 5. */
  attempts?: number;
  /** Time for all attempts and the waits between them. Default 15 000 ms. */
  budgetMs?: number;
  /** One attempt's time limit (the connection, the answer, its body). Default 10 000 ms. */
  attemptTimeoutMs?: number;
}

export interface RemoteHttpOptions {
  /** The control plane's base URL, e.g. `https://guildmint.example` (API v1 lives under /api/v1). */
  url: string;
  /** An API key (`gm_live_…` / `gm_test_…`) of the tenant. */
  apiKey: string;
  retry?: RetryBudget;
  /** Another fetch (a proxy agent, a test). Default: the global fetch. */
  fetch?: typeof fetch;
}

/** One call of an API v1 operation. */
export interface RemoteCall {
  method: 'GET' | 'POST';
  /** Under /api/v1/tenants/{tenantId}, segments already encoded. */
  path: string;
  /** GET: the query; POST: the JSON body (bigints written as strings). */
  fields?: Record<string, unknown>;
  /**
   * Keyed operations: the caller's idempotency key, or null to have one made here. The same key goes
   * with every retry of this call, so a retry after a lost answer can never apply the operation twice.
   */
  key?: string | null;
  /** The answer as JSON, unrevived (a config: its times and amounts stay as the SDK keeps them). */
  raw?: boolean;
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);
const BASE_DELAY_MS = 100;

/** Sends API v1 calls of one tenant: retries what is safe to retry, and turns errors back into the SDK's. */
export class RemoteHttp {
  private readonly base: string;
  private readonly attempts: number;
  private readonly budgetMs: number;
  private readonly attemptTimeoutMs: number;
  private readonly fetch: typeof fetch;
  private closed = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly o: RemoteHttpOptions,
    tenantId: string,
  ) {
    this.base = `${o.url.replace(/\/+$/, '')}/api/v1/tenants/${encodeURIComponent(tenantId)}`;
    this.attempts = Math.max(1, o.retry?.attempts ?? 5);
    this.budgetMs = o.retry?.budgetMs ?? 15_000;
    this.attemptTimeoutMs = o.retry?.attemptTimeoutMs ?? 10_000;
    this.fetch = o.fetch ?? fetch;
  }

  /**
   * Sends `c` (see `RemoteCall`). After `close()`: STORE_UNAVAILABLE at once, nothing sent, as a closed
   * local economy answers.
   */
  async call<T>(c: RemoteCall): Promise<T> {
    if (this.closed) throw new GuildmintError(ErrorCode.STORE_UNAVAILABLE, 'this remote economy was closed');
    const call = this.withRetries<T>(c);
    this.inFlight.add(call);
    try {
      return await call;
    } finally {
      this.inFlight.delete(call);
    }
  }

  /** Refuses new calls, then waits for those already sent to settle (their answers still reach their callers). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
  }

  private async withRetries<T>(c: RemoteCall): Promise<T> {
    const keyed = c.key !== undefined;
    const key = keyed ? (c.key ?? `remote_${randomUUID()}`) : undefined;
    // An unkeyed write may have been applied when its answer was lost: it is sent again only when the
    // connection was refused (nothing reached the server).
    const replayable = c.method === 'GET' || keyed;
    const deadline = Date.now() + this.budgetMs;
    let last: unknown;
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      let wait = BASE_DELAY_MS * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
      try {
        const response = await this.send(c, key);
        const body = await response.text();
        if (response.ok) return (c.raw ? JSON.parse(body) : reviveJson(body)) as T;
        const error = decodeError(response.status, body);
        if (response.status === 429 && error instanceof RetryLaterError) {
          wait = Math.max(wait, retryAfterMs(response, error));
          if (Date.now() + wait > deadline || attempt === this.attempts) throw error;
          last = error;
        } else if (RETRYABLE_STATUS.has(response.status) && replayable) {
          last = error;
        } else {
          throw error;
        }
      } catch (error) {
        if (error instanceof GuildmintError) throw error;
        if (!replayable && !refused(error)) throw unavailable(error);
        last = error;
      }
      if (attempt === this.attempts || Date.now() + wait > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    throw last instanceof RetryLaterError ? last : unavailable(last);
  }

  private send(c: RemoteCall, key: string | undefined): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.o.apiKey}` };
    if (key !== undefined) headers['idempotency-key'] = key;
    const signal = AbortSignal.timeout(this.attemptTimeoutMs);
    if (c.method === 'GET') {
      const query = new URLSearchParams();
      for (const [name, value] of Object.entries(c.fields ?? {}))
        if (value !== undefined) query.set(name, String(value));
      const search = query.size ? `?${query}` : '';
      return this.fetch(`${this.base}${c.path}${search}`, { headers, signal });
    }
    headers['content-type'] = 'application/json';
    const body = JSON.stringify(c.fields ?? {}, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
    return this.fetch(`${this.base}${c.path}`, { method: 'POST', headers, body, signal });
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; issues?: Issue[]; retryAt?: string; id?: string };
}

/** API v1's error answer as the SDK's own error, so a caller's `catch` reads the same either way. */
export function decodeError(status: number, text: string): GuildmintError | Error {
  let body: ErrorBody;
  try {
    body = JSON.parse(text) as ErrorBody;
  } catch {
    return new Error(`API v1 answered ${status} without JSON`);
  }
  const e = body.error ?? {};
  const message = e.message ?? `API v1 answered ${status}`;
  switch (e.code) {
    case ErrorCode.COOLDOWN:
    case ErrorCode.RATE_LIMITED:
      return new RetryLaterError(e.code, message, new Date(e.retryAt ?? Date.now()));
    case ErrorCode.INVALID_INPUT:
    case ErrorCode.CONFIG_INVALID:
      return new ValidationError(e.code, e.issues?.length ? e.issues : [{ path: '', message }]);
    case ErrorCode.INTERNAL:
      return new InternalError(e.id ?? 'unknown', message, undefined);
    // The API's own refusals of a key: outside what this key may do.
    case 'UNAUTHORIZED':
      return new GuildmintError(ErrorCode.FORBIDDEN, message);
    case 'PAYLOAD_TOO_LARGE':
      return new ValidationError(ErrorCode.INVALID_INPUT, [{ path: '', message }]);
  }
  if (e.code !== undefined && Object.hasOwn(ErrorCode, e.code))
    return new GuildmintError(e.code as ErrorCode, message);
  // 5xx from a proxy, a route this server lacks: nothing the SDK would say.
  return new Error(`API v1 answered ${status}${e.code ? ` ${e.code}` : ''}: ${message}`);
}

function retryAfterMs(response: Response, error: RetryLaterError): number {
  const header = Number(response.headers.get('retry-after'));
  if (Number.isFinite(header) && header > 0) return header * 1000;
  return Math.max(0, error.retryAt.getTime() - Date.now());
}

/** The connection was refused: the request never reached a server. */
function refused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return cause?.code === 'ECONNREFUSED';
}

function unavailable(cause: unknown): GuildmintError {
  return new GuildmintError(
    ErrorCode.STORE_UNAVAILABLE,
    'the Guildmint API could not be reached (connection failed, timed out or the server was unavailable); nothing is known to have changed unless the same key is sent again',
    { cause },
  );
}
