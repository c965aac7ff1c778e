import type { IncomingMessage, ServerResponse } from 'node:http';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { TOO_LARGE } from '../api/http-handler';
import { MAX_API_BODY_BYTES } from './http';
import { clientGone, fetchRequest, header, readBody, send, sendResponse } from './node-io';
import { API_BASE } from './routes';
import { type PublicApiContext, publicApiRouter } from './trpc-router';

/** Calls per batch: a remote client batches what one tick asks for, not a whole job. */
export const PUBLIC_TRPC_MAX_BATCH = 20;

/**
 * `/api/v1/trpc` over HTTP: the body is bounded as on the JSON routes (413 past the limit, before any key
 * is looked at), batches are capped, and each call is admitted by the request's key.
 */
export async function handlePublicTrpcRequest(
  req: IncomingMessage,
  res: ServerResponse,
  o: Pick<PublicApiContext, 'services' | 'log'>,
): Promise<void> {
  let body: Awaited<ReturnType<typeof readBody>>;
  try {
    body = await readBody(req, MAX_API_BODY_BYTES);
  } catch (error) {
    if (clientGone(res, error)) return;
    throw error;
  }
  if (body === TOO_LARGE) {
    const error = {
      code: 'PAYLOAD_TOO_LARGE',
      message: `request body over ${MAX_API_BODY_BYTES} bytes refused`,
    };
    return send(req, res, 413, { 'Content-Type': 'application/json' }, JSON.stringify({ error }));
  }
  const response = await fetchRequestHandler({
    endpoint: `${API_BASE}/trpc`,
    req: fetchRequest(req, body),
    router: publicApiRouter,
    maxBatchSize: PUBLIC_TRPC_MAX_BATCH,
    createContext: ({ resHeaders }) => ({
      services: o.services,
      authorization: header(req, 'authorization'),
      resHeaders,
      ...(o.log && { log: o.log }),
    }),
  });
  await sendResponse(req, res, response);
}
