import { handlePublicTrpcRequest } from '../../../../../server/public-api/trpc-http';
import { runtime } from '../../../../../server/runtime';

/** API v1 as tRPC, for the SDK's remote client: see server/public-api/trpc-router.ts. */
async function handler(req: Request) {
  const { services } = await runtime();
  return handlePublicTrpcRequest(req, { services });
}

export { handler as GET, handler as POST };
