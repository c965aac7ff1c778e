import type { IncomingMessage, ServerResponse } from 'node:http';
import { securityHeaders } from '../../lib/security-headers';
import { errorAnswer } from './errors';
import { type ApiHttpOptions, handleApiRequest } from './http';
import { send } from './node-io';
import { API_BASE } from './routes';
import { handlePublicTrpcRequest } from './trpc-http';

/** A Node request handler (what node:http's server calls). */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** API v1's two handlers behind one: tRPC under /api/v1/trpc/, the JSON routes for the rest. */
export function apiV1(o: ApiHttpOptions): NodeHandler {
  return (req, res) =>
    req.url?.startsWith(`${API_BASE}/trpc/`)
      ? handlePublicTrpcRequest(req, res, o)
      : handleApiRequest(req, res, o);
}

/**
 * API v1 as the production server answers it before Next's router: with the headers next.config.ts puts on
 * every other response, and the process's services. Those are opened at the first request, as Next's own
 * routes open them (the settings are read then, so a misconfigured server still starts and says why). It
 * never rejects: whatever escapes the handlers (services failing to open, a connection lost mid-body) is
 * answered 500 INTERNAL when an answer can still be sent, and logged.
 */
export function productionApiV1(): NodeHandler {
  const headers = securityHeaders({ dev: false });
  const log = (id: string, error: unknown) => console.error(`API v1 INTERNAL ${id}:`, error);
  // Built once the services are open (runtime() keeps them, and a failed start is tried again).
  let handler: NodeHandler | undefined;
  return async (req, res) => {
    for (const { key, value } of headers) res.setHeader(key, value);
    try {
      if (handler === undefined) {
        const { runtime } = await import('../runtime');
        handler = apiV1({ services: (await runtime()).services, log });
      }
      await handler(req, res);
    } catch (error) {
      const answer = errorAnswer(error, log);
      if (res.headersSent) res.destroy();
      else send(req, res, answer.status, { 'Content-Type': 'application/json' }, JSON.stringify(answer.body));
    }
  };
}
