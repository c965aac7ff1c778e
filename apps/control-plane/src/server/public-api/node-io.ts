import type { IncomingMessage, ServerResponse } from 'node:http';
import { TOO_LARGE } from '../api/http-handler';

/**
 * API v1's side of Node's HTTP objects. The production server (server.mjs) hands it Node's request and
 * response before Next's router; under `next dev` and `next start` it is served as Pages Router API routes
 * (src/pages/api/v1), which get them as they are too, with the body unread. An App Router route handler
 * gets a web `Request` that Next.js builds per request with an abort signal, and undici keeps each such
 * request until a full garbage collection, then unhooks them all from their signals in one task: 60–130 ms
 * on the server's thread in bench:api's profiles at 2,000 requests/s, the largest of the misses at p99.
 * The bodies' `ReadableStream`s cost the rest (≈ 20 µs a request on Node 20).
 */

/** The request's path and query, as a URL (the host is never read). */
export function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://api.invalid');
}

/**
 * The body, or TOO_LARGE having read no more than `limit` + one chunk of it: a declared length over the
 * limit is refused unread, an undeclared one as soon as it passes. Null for GET and HEAD.
 */
export async function readBody(
  req: IncomingMessage,
  limit: number,
): Promise<Buffer | null | typeof TOO_LARGE> {
  if (req.method === 'GET' || req.method === 'HEAD') return null;
  const declared = req.headers['content-length'];
  if (declared !== undefined && !(Number(declared) <= limit)) return TOO_LARGE;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > limit) return TOO_LARGE;
    chunks.push(chunk);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
}

/**
 * True for the error of a request whose client hung up before its body arrived (Node: ECONNRESET,
 * "aborted"): there is no one to answer, and nothing went wrong here, so it is not logged as INTERNAL.
 */
export function clientGone(res: ServerResponse, error: unknown): boolean {
  return res.destroyed && (error as { code?: unknown } | null)?.code === 'ECONNRESET';
}

/** The first value of a header, or null (as `Headers.get` gives it). */
export function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Writes a whole answer at once (one write for the head and the body). A request whose body was left
 * unread (a refused upload) closes its connection: the client must not send its next request behind bytes
 * this server will not read.
 */
export function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string,
): void {
  res.writeHead(status, {
    ...headers,
    ...(!req.complete && { Connection: 'close' }),
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * The web `Request` a fetch-style handler (tRPC's) takes, for a body already read: without a signal (see
 * the top of this file), so it is collected young.
 */
export function fetchRequest(req: IncomingMessage, body: Buffer | null): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers))
    if (value !== undefined)
      for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  return new Request(new URL(req.url ?? '/', `http://${req.headers.host ?? 'api.invalid'}`), {
    method: req.method ?? 'GET',
    headers,
    ...(body !== null && { body: body.toString('utf8') }),
  });
}

/** Writes a fetch-style handler's `Response` (tRPC answers are whole JSON documents). */
export async function sendResponse(
  req: IncomingMessage,
  res: ServerResponse,
  response: Response,
): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'content-length' && name !== 'transfer-encoding') headers[name] = value;
  });
  send(req, res, response.status, headers, await response.text());
}
