import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { TRPC_MAX_BATCH } from '../../lib/trpc-limits';
import { isCrossSite } from '../csrf';
import { appRouter } from './root';
import type { TRPCContext } from './trpc';

/** The largest tRPC request body read (a whole economy config is a few tens of kB). */
export const MAX_TRPC_BODY_BYTES = 1_000_000;

export interface TrpcHttpOptions {
  publicOrigin: string | null;
  createContext(): Promise<TRPCContext>;
  onError?(o: { error: { code: string; cause?: unknown }; path: string | undefined }): void;
}

/**
 * `/api/trpc` over HTTP. Before anything else (no session read, no parsing) it refuses a cross-site
 * request and a body over the limit, reading at most the limit: a declared length over it is refused
 * unread, an undeclared one is cut off as soon as it passes. Batches are capped. Procedures get the
 * request's abort signal, so work stops when the client goes.
 */
export async function handleTrpcRequest(req: Request, o: TrpcHttpOptions): Promise<Response> {
  if (isCrossSite(req, o.publicOrigin)) {
    await req.body?.cancel();
    return Response.json({ error: 'cross-site request refused' }, { status: 403 });
  }
  const bounded = await boundedRequest(req, MAX_TRPC_BODY_BYTES);
  if (bounded === TOO_LARGE) {
    // The connection stays open: closing it with unread bytes in flight resets it, and the client may
    // lose this answer. Node discards the rest of the body without keeping it.
    return Response.json(
      { error: `request body over ${MAX_TRPC_BODY_BYTES} bytes refused` },
      { status: 413 },
    );
  }
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req: bounded,
    router: appRouter,
    createContext: () => o.createContext(),
    // Queries go as POST too (the editor's preview carries a whole config).
    allowMethodOverride: true,
    maxBatchSize: TRPC_MAX_BATCH,
    ...(o.onError && { onError: ({ error, path }) => o.onError?.({ error, path }) }),
  });
}

export const TOO_LARGE = Symbol('too large');

/** The same request with its body read (as text: tRPC bodies are JSON), or TOO_LARGE (see readBounded). */
async function boundedRequest(req: Request, limit: number): Promise<Request | typeof TOO_LARGE> {
  const body = await readBounded(req, limit);
  if (body === TOO_LARGE) return TOO_LARGE;
  return new Request(req.url, {
    method: req.method,
    headers: req.headers,
    signal: req.signal,
    ...(body !== null && { body: body.toString('utf8') }),
  });
}

/** The body, or TOO_LARGE having read no more than `limit` + one chunk of it. */
async function readBounded(req: Request, limit: number): Promise<Buffer | null | typeof TOO_LARGE> {
  const declared = req.headers.get('content-length');
  if (declared !== null && !(Number(declared) <= limit)) {
    await req.body?.cancel();
    return TOO_LARGE;
  }
  if (!req.body) return null;
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return TOO_LARGE;
    }
    chunks.push(value);
  }
  const body = Buffer.concat(chunks, size);
  return body;
}
