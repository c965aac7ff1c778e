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
 * What Discord does with `/api/…` without `/vN`: it serves its default version, which its reference names
 * as v6 (deprecated), where e.g. permissions are integers. Answering such calls as v10 would hide a missing
 * version from every test, so the simulator answers them as v6 where it models v6 and refuses them elsewhere.
 */
export const DEFAULT_API_VERSION = 6;
/** Versions Discord still answers: 3–5 are discontinued (400 Bad Request), and there is no v11. */
const API_VERSIONS = { oldest: 6, newest: 10 } as const;
/**
 * The oldest version whose bot payloads the simulator models (v8 made permissions strings, as v10 has them).
 * discord.js always names its version; a bot call without one, or on v6/v7, is refused rather than answered
 * with shapes Discord would not send there.
 */
const OLDEST_BOT_API_VERSION = 8;

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
      if (located.version < API_VERSIONS.oldest || located.version > API_VERSIONS.newest)
        throw unavailableVersion(located.version);
      const bearer = /^bearer /i.test(request.headers.authorization ?? '');
      const match = this.options.router.match(method, located.segments, { bearer, bare: located.bare });
      if (match.kind === 'none') throw httpErrors.notFound();
      if (match.kind === 'wrong-method') throw httpErrors.methodNotAllowed();
      route = match.route;
      headers = rateLimitHeaders(route.pattern);
      if (route.auth === 'bot' && request.headers.authorization !== `Bot ${this.options.botToken}`)
        throw httpErrors.unauthorized();
      if (route.auth === 'bot' && located.version < OLDEST_BOT_API_VERSION)
        throw unmodelledVersion(located.version, located.versioned);
      this.takeFault(method, path);
      const result = await route.handler({
        method: method as HttpMethod,
        params: match.params,
        query: url.searchParams,
        body,
        headers: request.headers,
        version: located.version,
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
 * `/api/v10/a/%40original` → `['a', '@original']`, version 10; `/api/a` → version 6 (Discord's default, not
 * `versioned`); a path outside `/api` is `bare` (only bare routes answer it). Null when undecodable.
 */
function locate(
  pathname: string,
): { segments: string[]; bare: boolean; version: number; versioned: boolean } | null {
  const match = /^\/api(?:\/v(\d+))?(\/.*)?$/.exec(pathname);
  try {
    const rest = match ? (match[2] ?? '') : pathname;
    return {
      segments: rest.split('/').filter(Boolean).map(decodeURIComponent),
      bare: !match,
      version: match?.[1] === undefined ? DEFAULT_API_VERSION : Number(match[1]),
      versioned: match?.[1] !== undefined,
    };
  } catch {
    return null;
  }
}

/** A discontinued or non-existent API version: Discord answers 400 Bad Request. */
function unavailableVersion(version: number): DiscordHttpError {
  return new DiscordHttpError(400, {
    message: `400: Bad Request (API v${version} is not available)`,
    code: 0,
  });
}

/** A bot route on a version whose payloads the simulator does not model (see OLDEST_BOT_API_VERSION). */
function unmodelledVersion(version: number, versioned: boolean): DiscordHttpError {
  const asked = versioned
    ? `API v${version}`
    : `no API version (Discord answers with its default, v${DEFAULT_API_VERSION})`;
  return new DiscordHttpError(400, {
    message: `The simulator answers bot routes on API v${OLDEST_BOT_API_VERSION}–v${API_VERSIONS.newest}; this call named ${asked}. Call /api/v10/….`,
    code: 0,
  });
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
