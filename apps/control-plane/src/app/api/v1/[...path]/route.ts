import { handleApiRequest } from '../../../../server/public-api/http';
import { runtime } from '../../../../server/runtime';

/** API v1 as JSON over HTTP (and its OpenAPI document): see server/public-api/http.ts. */
async function handler(req: Request) {
  const { services } = await runtime();
  return handleApiRequest(req, { services });
}

export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE };
