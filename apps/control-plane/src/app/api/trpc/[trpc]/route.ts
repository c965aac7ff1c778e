import { handleTrpcRequest } from '../../../../server/api/http-handler';
import { createContext } from '../../../../server/context';
import { runtime } from '../../../../server/runtime';

async function handler(req: Request) {
  const { settings } = await runtime();
  return handleTrpcRequest(req, {
    publicOrigin: settings.publicOrigin,
    createContext,
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        console.error(`tRPC ${path ?? '?'} failed:`, error.cause ?? error);
    },
  });
}

export { handler as GET, handler as POST };
