import type { IncomingHttpHeaders } from 'node:http';
import type { RequestBody } from './http.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** `'/guilds/:guildId/members/:userId'` → `{ guildId: string; userId: string }`. */
export type PathParams<Path extends string> = Path extends `${string}:${infer Name}/${infer Rest}`
  ? { [K in Name]: string } & PathParams<`/${Rest}`>
  : Path extends `${string}:${infer Name}`
    ? { [K in Name]: string }
    : Record<never, string>;

export interface RouteContext<Params = Record<string, string>> {
  readonly method: HttpMethod;
  readonly params: Params;
  readonly query: URLSearchParams;
  readonly body: RequestBody;
  readonly headers: IncomingHttpHeaders;
  /** The API version the path named, or Discord's default (6) when it named none. */
  readonly version: number;
}

export interface RouteResult {
  status: number;
  /** Written as JSON (nothing when undefined). */
  body?: unknown;
  /** Extra response headers, e.g. `location` for a redirect. */
  headers?: Record<string, string> | undefined;
  /** An HTML page instead of JSON (the OAuth2 authorize page). */
  html?: string | undefined;
}

export type RouteHandler<Params> = (context: RouteContext<Params>) => RouteResult | Promise<RouteResult>;

/**
 * Who may call a route: `bot` needs `Authorization: Bot <token>` (checked before the handler); `bearer` is for
 * an OAuth2 access token (the handler checks it); `none`: webhook-token and OAuth2 endpoints.
 */
export type RouteAuth = 'bot' | 'bearer' | 'none';

export interface RouteOptions {
  /** `true` (the default): the bot token; `false`: nothing; `'bearer'`: an OAuth2 access token. */
  auth?: boolean | 'bearer';
  /** Also answered without the `/api` prefix (Discord's web pages, e.g. `/oauth2/authorize`). */
  bare?: boolean;
}

/** What the request carries that routing depends on. */
export interface RequestShape {
  /** `Authorization: Bearer …`: a route for bearer tokens wins over a bot route with the same path. */
  bearer: boolean;
  /** The path had no `/api` prefix: only `bare` routes answer. */
  bare: boolean;
}

export interface Route {
  method: HttpMethod;
  pattern: string;
  auth: RouteAuth;
  bare: boolean;
  segments: string[];
  handler: RouteHandler<Record<string, string>>;
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'wrong-method' }
  | { kind: 'none' };

/**
 * Routes by method and path pattern; literal segments beat `:params` (so `@me` wins over `:userId`), and
 * between two routes with the same path, the one for the request's kind of token (bot or bearer) wins.
 */
export class Router {
  private readonly routes: Route[] = [];

  add<Path extends string>(
    method: HttpMethod,
    pattern: Path,
    handler: RouteHandler<PathParams<Path>>,
    options: RouteOptions = {},
  ): void {
    const auth = options.auth ?? true;
    this.routes.push({
      method,
      pattern,
      auth: auth === 'bearer' ? 'bearer' : auth ? 'bot' : 'none',
      bare: options.bare ?? false,
      segments: pattern.split('/').filter(Boolean),
      // Params are filled from the pattern's own names, so the cast only restates what `match` guarantees.
      handler: handler as unknown as RouteHandler<Record<string, string>>,
    });
  }

  match(
    method: string,
    segments: string[],
    shape: RequestShape = { bearer: false, bare: false },
  ): RouteMatch {
    let best: { route: Route; params: Record<string, string>; score: number } | undefined;
    let pathMatched = false;
    for (const route of this.routes) {
      if (shape.bare && !route.bare) continue;
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const literals = route.segments.filter((s) => !s.startsWith(':')).length;
      const score = literals * 2 + ((route.auth === 'bearer') === shape.bearer ? 1 : 0);
      if (!best || score > best.score) best = { route, params, score };
    }
    if (best) return { kind: 'found', route: best.route, params: best.params };
    return pathMatched ? { kind: 'wrong-method' } : { kind: 'none' };
  }
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | null {
  if (pattern.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i]!;
    const value = actual[i]!;
    if (expected.startsWith(':')) params[expected.slice(1)] = value;
    else if (expected !== value) return null;
  }
  return params;
}
