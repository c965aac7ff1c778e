import type { IncomingMessage, ServerResponse } from 'node:http';
import { handlePublicTrpcRequest } from '../../../../server/public-api/trpc-http';
import { runtime } from '../../../../server/runtime';

/**
 * API v1 as tRPC, for the SDK's remote client: see server/public-api/trpc-router.ts. A Pages Router API
 * route, as the JSON one beside it.
 */
export default async function handler(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { services } = await runtime();
  await handlePublicTrpcRequest(req, res, { services });
}

// The handler reads the body itself, bounded; it answers every request.
export const config = { api: { bodyParser: false, externalResolver: true } };
