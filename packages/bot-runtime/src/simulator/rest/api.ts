import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DiscordHttpError, httpErrors } from '../errors.js';
import type { SimRestCall, SimRestDelay, SimRestFault } from '../types.js';
import { parseBody, type RequestBody, readBody, recordedBody, writeHtml, writeJson } from './http.js';
import type { HttpMethod, Route, Router } from './router.js';

export interface RestApiOptions {
  router: Router;
  botToken: string;
  now: () => number;
  calls: SimRestCall[];
  /** Errors the simulator did not mean to raise (a bug here, not in the bot): answered with 500 and kept. */
  internalErrors: Error[];
}

const METHODS = new Set<string>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Discord's REST surface: `/api[/vN]/…` (and the few `bare` routes without `/api`) parsed, authenticated,
 * routed, answered and recorded.
 */
export class RestApi {
  private readonly faults: Array<SimRestFault & { remaining: number }> = [];
  private readonly delays: Array<SimRestDelay & { remaining: number }> = [];

  constructor(private readonly options: RestApiOptions) {}

  injectFault(fault: SimRestFault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  delayResponses(delay: SimRestDelay): void {
    this.delays.push({ ...delay, remaining: delay.times ?? 1 });
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = (request.method ?? 'GET').toUpperCase();
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const query = url.search.replace(/^\?/, '');
    const located = locate(url.pathname);
    const path = located ? `/${located.segments.join('/')}` : url.pathname;
    let body: RequestBody | null = null;
    let route: Route | undefined;
    let status = 500;
    let headers: Record<string, string> = {};
    try {
      body = await parseBody(await readBody(request), request.headers['content-type']);
      if (!located || !METHODS.has(method)) throw httpErrors.notFound();
      const bearer = /^bearer /i.test(request.headers.authorization ?? '');
      const match = this.options.router.match(method, located.segments, { bearer, bare: located.bare });
      if (match.kind === 'none') throw httpErrors.notFound();
      if (match.kind === 'wrong-method') throw httpErrors.methodNotAllowed();
      route = match.route;
      headers = rateLimitHeaders(route.pattern);
      if (route.auth === 'bot' && request.headers.authorization !== `Bot ${this.options.botToken}`)
        throw httpErrors.unauthorized();
      this.takeFault(method, path);
      const result = await route.handler({
        method: method as HttpMethod,
        params: match.params,
        query: url.searchParams,
        body,
        headers: request.headers,
      });
      status = result.status;
      const delayMs = take(this.delays, method, path)?.ms ?? 0;
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (result.html !== undefined)
        writeHtml(response, status, result.html, { ...headers, ...result.headers });
      else writeJson(response, status, result.body, { ...headers, ...result.headers });
    } catch (error) {
      if (error instanceof DiscordHttpError) {
        status = error.status;
        writeJson(response, status, error.body, { ...headers, ...error.headers });
      } else {
        status = 500;
        this.options.internalErrors.push(error instanceof Error ? error : new Error(String(error)));
        writeJson(response, status, { message: '500: Internal Server Error', code: 0 }, headers);
      }
    } finally {
      this.options.calls.push({
        method,
        path,
        query,
        body: recordedBody(body),
        status,
        at: this.options.now(),
      });
    }
  }

  private takeFault(method: string, path: string): void {
    const fault = take(this.faults, method, path);
    if (!fault) return;
    if (fault.status === 429) {
      const retryAfter = fault.retryAfterSeconds ?? 0.05;
      throw new DiscordHttpError(
        429,
        {
          message: 'You are being rate limited.',
          code: 0,
          retry_after: retryAfter,
          global: fault.global ?? false,
        },
        {
          'retry-after': String(retryAfter),
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset-after': String(retryAfter),
          'x-ratelimit-scope': fault.global ? 'global' : 'user',
          ...(fault.global ? { 'x-ratelimit-global': 'true' } : {}),
        },
      );
    }
    throw new DiscordHttpError(
      fault.status,
      fault.body ?? { message: `${fault.status}: Simulated failure`, code: 0 },
    );
  }
}

/** The first rule matching the call that has uses left, with one use taken. */
function take<T extends { method?: string | undefined; path: string | RegExp; remaining: number }>(
  rules: T[],
  method: string,
  path: string,
): T | undefined {
  const rule = rules.find(
    (r) =>
      r.remaining > 0 &&
      (r.method === undefined || r.method.toUpperCase() === method) &&
      (typeof r.path === 'string' ? r.path === path : r.path.test(path)),
  );
  if (rule) rule.remaining -= 1;
  return rule;
}

/**
 * `/api/v10/a/%40original` → `['a', '@original']`; a path outside `/api` is `bare` (only bare routes answer
 * it). Null when undecodable.
 */
function locate(pathname: string): { segments: string[]; bare: boolean } | null {
  const match = /^\/api(?:\/v(\d+))?(\/.*)?$/.exec(pathname);
  try {
    const rest = match ? (match[2] ?? '') : pathname;
    return { segments: rest.split('/').filter(Boolean).map(decodeURIComponent), bare: !match };
  } catch {
    return null;
  }
}

/** Generous limits so @discordjs/rest never waits; a stable bucket per route like Discord's. */
function rateLimitHeaders(pattern: string): Record<string, string> {
  return {
    'x-ratelimit-limit': '10000',
    'x-ratelimit-remaining': '9999',
    'x-ratelimit-reset': ((Date.now() + 1000) / 1000).toFixed(3),
    'x-ratelimit-reset-after': '1.000',
    'x-ratelimit-bucket': createHash('sha1').update(pattern).digest('hex').slice(0, 16),
  };
}
