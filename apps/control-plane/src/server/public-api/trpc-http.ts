import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { boundedRequest, TOO_LARGE } from '../api/http-handler';
import { MAX_API_BODY_BYTES } from './http';
import { API_BASE } from './routes';
import { type PublicApiContext, publicApiRouter } from './trpc-router';

/** Calls per batch: a remote client batches what one tick asks for, not a whole job. */
export const PUBLIC_TRPC_MAX_BATCH = 20;

/**
 * `/api/v1/trpc` over HTTP: the body is bounded as on the JSON routes (413 past the limit, before any key
 * is looked at), batches are capped, and each call is admitted by the request's key.
 */
export async function handlePublicTrpcRequest(
  req: Request,
  o: Pick<PublicApiContext, 'services' | 'log'>,
): Promise<Response> {
  const bounded = await boundedRequest(req, MAX_API_BODY_BYTES);
  if (bounded === TOO_LARGE)
    return Response.json(
      {
        error: {
          code: 'PAYLOAD_TOO_LARGE',
          message: `request body over ${MAX_API_BODY_BYTES} bytes refused`,
        },
      },
      { status: 413 },
    );
  return fetchRequestHandler({
    endpoint: `${API_BASE}/trpc`,
    req: bounded,
    router: publicApiRouter,
    maxBatchSize: PUBLIC_TRPC_MAX_BATCH,
    createContext: ({ resHeaders }) => ({
      services: o.services,
      authorization: req.headers.get('authorization'),
      resHeaders,
      ...(o.log && { log: o.log }),
    }),
  });
}
