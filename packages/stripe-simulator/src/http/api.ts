import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { StripeApiError } from '../errors.js';
import type { StripeObject } from '../store.js';
import type { RequestInfo, World } from '../world.js';
import { expand, type Virtuals } from './expand.js';
import type { Faults } from './faults.js';
import { type Params, parseForm } from './form.js';
import type { IdempotencyCache } from './idempotency.js';
import { ParamReader } from './params.js';
import type { Route } from './route.js';

/** One API call as the simulator recorded it. */
export interface ApiCall {
  method: string;
  path: string;
  account: string | null;
  idempotencyKey: string | null;
  status: number;
  replayed: boolean;
}

export interface ApiOptions {
  world: World;
  routes: Route[];
  secretKey: string;
  apiVersion: string;
  faults: Faults;
  idempotency: IdempotencyCache;
  virtuals: Virtuals;
  calls: ApiCall[];
  internalErrors: Error[];
  /** Set while a handler runs, so the events it causes carry `request`. */
  setRequest(info: RequestInfo | null): void;
}

interface Answer {
  status: number;
  body: string;
  replayed: boolean;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

function match(route: Route, method: string, path: string): Record<string, string> | undefined {
  if (route.method !== method) return undefined;
  const want = route.path.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = decodeURIComponent(got[i] as string);
    if (w.startsWith(':')) {
      if (g === '') return undefined;
      params[w.slice(1)] = g;
    } else if (w !== g) return undefined;
  }
  return params;
}

/** The key from `Authorization: Bearer sk_test_…` (or HTTP Basic with the key as user name, as curl -u sends). */
function apiKeyOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const bearer = /^Bearer\s+(.+)$/i.exec(header);
  if (bearer) return bearer[1]?.trim();
  const basic = /^Basic\s+(.+)$/i.exec(header);
  if (basic)
    return Buffer.from(basic[1] as string, 'base64')
      .toString('utf8')
      .split(':')[0];
  return undefined;
}

const masked = (key: string) =>
  `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`;

/** Serves `/v1/…`: keys, faults, idempotency, the route, `expand[]`, Stripe's error shape. */
export class StripeApi {
  constructor(private readonly o: ApiOptions) {}

  async handle(request: IncomingMessage, response: ServerResponse, body: string): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    const requestId = this.o.world.ids.next('req');
    const account = (request.headers['stripe-account'] as string | undefined) ?? null;
    const idempotencyKey =
      method === 'POST' ? ((request.headers['idempotency-key'] as string | undefined) ?? null) : null;
    const answer = await this.answer(method, url, body, {
      account,
      idempotencyKey,
      requestId,
      authorization: request.headers.authorization,
    });
    this.o.calls.push({
      method,
      path: url.pathname,
      account,
      idempotencyKey,
      status: answer.status,
      replayed: answer.replayed,
    });
    response.writeHead(answer.status, {
      'content-type': 'application/json',
      'request-id': requestId,
      'stripe-version': this.o.apiVersion,
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      ...(answer.replayed ? { 'idempotent-replayed': 'true' } : {}),
      ...(account ? { 'stripe-account': account } : {}),
    });
    response.end(answer.body);
  }

  private async answer(
    method: string,
    url: URL,
    body: string,
    r: {
      account: string | null;
      idempotencyKey: string | null;
      requestId: string;
      authorization: string | undefined;
    },
  ): Promise<Answer> {
    const failure = (error: StripeApiError): Answer => ({
      status: error.status,
      body: json(error.body()),
      replayed: false,
    });
    const fault = this.o.faults.take();
    if (fault.delayMs > 0) await sleep(fault.delayMs);
    if (fault.down) {
      return failure(
        new StripeApiError(
          503,
          'api_error',
          'The Stripe API is temporarily unavailable (a simulated outage). Please try again later.',
        ),
      );
    }
    const key = apiKeyOf(r.authorization);
    if (!key) {
      return failure(
        new StripeApiError(
          401,
          'invalid_request_error',
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
        ),
      );
    }
    if (key !== this.o.secretKey) {
      return failure(
        new StripeApiError(401, 'invalid_request_error', `Invalid API Key provided: ${masked(key)}`, {
          code: 'api_key_invalid',
        }),
      );
    }
    let params: Params;
    try {
      params = method === 'POST' ? parseForm(body) : parseForm(url.search.slice(1));
    } catch (error) {
      if (error instanceof StripeApiError) return failure(error);
      throw error;
    }
    if (!r.idempotencyKey) return this.run(method, url, params, r);
    const scope = r.account ?? 'platform';
    const fingerprint = `${method} ${url.pathname} ${JSON.stringify(params)}`;
    try {
      const saved = this.o.idempotency.begin(scope, r.idempotencyKey, fingerprint);
      if (saved) return { status: saved.status, body: saved.body, replayed: true };
    } catch (error) {
      if (error instanceof StripeApiError) return failure(error);
      throw error;
    }
    const answer = this.run(method, url, params, r);
    this.o.idempotency.end(scope, r.idempotencyKey, fingerprint, answer.status, answer.body);
    return answer;
  }

  private run(
    method: string,
    url: URL,
    all: Params,
    r: { account: string | null; idempotencyKey: string | null; requestId: string },
  ): Answer {
    const { world } = this.o;
    try {
      if (r.account !== null && !world.store.find(r.account, null)) {
        throw new StripeApiError(
          403,
          'invalid_request_error',
          `The provided key '${masked(this.o.secretKey)}' does not have access to account '${r.account}' (or that account does not exist). Application access may have been revoked.`,
          { code: 'account_invalid' },
        );
      }
      const { expand: expandParam, ...params } = all;
      const paths = new ParamReader({ expand: expandParam ?? [] }).strings('expand');
      for (const route of this.o.routes) {
        const path = match(route, method, url.pathname);
        if (!path) continue;
        this.o.setRequest({ id: r.requestId, idempotencyKey: r.idempotencyKey });
        let result: StripeObject | { object: 'list' };
        try {
          result = route.handle({
            world,
            account: r.account,
            params: new ParamReader(params),
            path,
            url: url.pathname,
          });
        } finally {
          this.o.setRequest(null);
        }
        const expanded = expand(
          result,
          paths,
          (id) => world.store.find(id, r.account) ?? world.store.find(id, null),
          this.o.virtuals,
        );
        return { status: 200, body: json(expanded), replayed: false };
      }
      throw new StripeApiError(
        404,
        'invalid_request_error',
        `Unrecognized request URL (${method}: ${url.pathname}). The simulator answers only the calls listed in its README.`,
      );
    } catch (error) {
      if (error instanceof StripeApiError)
        return { status: error.status, body: json(error.body()), replayed: false };
      const internal = error instanceof Error ? error : new Error(String(error));
      this.o.internalErrors.push(internal);
      const wrapped = new StripeApiError(500, 'api_error', `The simulator failed: ${internal.message}`);
      return { status: 500, body: json(wrapped.body()), replayed: false };
    }
  }
}
