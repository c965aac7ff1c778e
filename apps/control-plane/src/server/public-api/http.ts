import type { IncomingMessage, ServerResponse } from 'node:http';
import { TOO_LARGE } from '../api/http-handler';
import { ApiError, errorAnswer } from './errors';
import { actorOf, admit, type GateServices } from './gate';
import { toJson } from './json';
import { clientGone, header, readBody, requestUrl, send } from './node-io';
import { openApiDocument } from './openapi';
import { API_BASE, match } from './routes';

/** The largest body API v1 reads (a whole economy config fits many times over). */
export const MAX_API_BODY_BYTES = 256 * 1024;

export interface ApiHttpOptions {
  services: GateServices & { economy: { tenant(id: string): import('@guildmint/sdk').Tenant } };
  /** Told about every INTERNAL answer, with the id the caller sees. */
  log?(id: string, error: unknown): void;
}

/**
 * API v1 as JSON over HTTP: `GET /api/v1/openapi.json`, and every operation under
 * `/api/v1/tenants/{tenantId}/…`. A request is routed, its body read up to the limit (413 past it),
 * admitted by its key (gate.ts), validated, and run; the answer is JSON with the RateLimit-* headers.
 * It takes Node's request and response (see node-io.ts for why) and always answers.
 */
export async function handleApiRequest(
  req: IncomingMessage,
  res: ServerResponse,
  o: ApiHttpOptions,
): Promise<void> {
  const log = o.log ?? ((id, error) => console.error(`API v1 INTERNAL ${id}:`, error));
  const url = requestUrl(req);
  // HEAD is answered as GET (Node sends no body for it).
  const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
  let headers: Record<string, string> = {};
  try {
    if (url.pathname === `${API_BASE}/openapi.json` && method === 'GET') {
      const document = JSON.stringify(openApiDocument());
      const cache = { 'Cache-Control': 'public, max-age=300' };
      return send(req, res, 200, { 'Content-Type': 'application/json', ...cache }, document);
    }
    const found = match(method, url.pathname);
    if (found === null) throw new ApiError(404, 'NOT_FOUND', `no API operation at ${method} ${url.pathname}`);
    if ('methods' in found)
      throw new ApiError(405, 'METHOD_NOT_ALLOWED', `use ${found.methods.join(' or ')} here`, {
        Allow: found.methods.join(', '),
      });
    const { operation, params } = found;
    const body = await readBody(req, MAX_API_BODY_BYTES);
    if (body === TOO_LARGE)
      throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `request body over ${MAX_API_BODY_BYTES} bytes refused`);
    const { tenantId, ...pathFields } = params as Record<string, string> & { tenantId: string };
    const admitted = await admit(o.services, {
      authorization: header(req, 'authorization'),
      tenantId,
      scope: operation.scope,
    });
    headers = admitted.headers;
    const fields = operation.method === 'GET' ? Object.fromEntries(url.searchParams) : parseBody(body);
    // Path parameters win over body fields of the same name.
    const input = operation.input.parse({ ...fields, ...pathFields });
    const key = operation.keyed ? idempotencyKeyOf(req) : undefined;
    const result = await operation.run(input, {
      tenant: o.services.economy.tenant(tenantId),
      key,
      actor: actorOf(admitted.key),
    });
    const replayed = (result as { replayed?: unknown } | null)?.replayed === true;
    const answerHeaders = {
      'Content-Type': 'application/json',
      ...headers,
      ...(replayed && { 'Idempotent-Replayed': 'true' }),
    };
    send(req, res, 200, answerHeaders, toJson(result));
  } catch (error) {
    if (clientGone(res, error)) return;
    const answer = errorAnswer(error, log);
    const answerHeaders = { 'Content-Type': 'application/json', ...headers, ...answer.headers };
    send(req, res, answer.status, answerHeaders, toJson(answer.body));
  }
}

/** The Idempotency-Key header (1–255 characters, as the OpenAPI document says), or none. */
function idempotencyKeyOf(req: IncomingMessage): string | undefined {
  const key = header(req, 'idempotency-key');
  if (key === null) return undefined;
  if (key.length === 0 || key.length > 255)
    throw new ApiError(400, 'INVALID_INPUT', 'Idempotency-Key must be 1 to 255 characters');
  return key;
}

function parseBody(body: Buffer | null): Record<string, unknown> {
  if (body === null || body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ApiError(400, 'INVALID_INPUT', 'the body is not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ApiError(400, 'INVALID_INPUT', 'the body must be a JSON object');
  return value as Record<string, unknown>;
}
