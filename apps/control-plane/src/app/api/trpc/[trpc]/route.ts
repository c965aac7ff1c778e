import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from '../../../../server/api/root';
import { createContext } from '../../../../server/context';
import { isCrossSite } from '../../../../server/csrf';
import { runtime } from '../../../../server/runtime';

async function handler(req: Request) {
  const { settings } = await runtime();
  if (isCrossSite(req, settings.publicOrigin))
    return Response.json({ error: 'cross-site request refused' }, { status: 403 });
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext,
    // Queries go as POST too (the editor's preview carries a whole config).
    allowMethodOverride: true,
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        console.error(`tRPC ${path ?? '?'} failed:`, error.cause ?? error);
    },
  });
}

export { handler as GET, handler as POST };
