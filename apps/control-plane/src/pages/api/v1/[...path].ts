import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleApiRequest } from '../../../server/public-api/http';
import { runtime } from '../../../server/runtime';

/**
 * API v1 as JSON over HTTP (and its OpenAPI document): see server/public-api/http.ts. A Pages Router API
 * route, so it gets Node's request and response (server/public-api/node-io.ts says why).
 */
export default async function handler(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { services } = await runtime();
  await handleApiRequest(req, res, { services });
}

// The handler reads the body itself, bounded; it answers every request.
export const config = { api: { bodyParser: false, externalResolver: true } };
