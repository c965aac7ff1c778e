import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleApiRequest } from '../../src/server/public-api/http';
import { handlePublicTrpcRequest } from '../../src/server/public-api/trpc-http';
import type { Services } from '../../src/server/services';

/**
 * API v1's two handlers (the ones the Pages Router API routes in src/pages/api/v1/ call) behind a loopback
 * HTTP server, so tests speak to them with fetch and a real tRPC client exactly as curl would, without
 * building Next.js. Next's Pages Router hands an API route Node's request and response as they are (its
 * `apiResolver`, with the body parser off), and so does this server. It leaves out what Next adds on top
 * (routing, lazy `req.query`/`req.cookies`, the `res.json` helpers), so it is cheaper than Next by that much.
 */
export async function startApiServer(services: Services): Promise<{ url: string; close(): Promise<void> }> {
  const logged: unknown[] = [];
  const log = (id: string, error: unknown) => logged.push({ id, error });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const handled = (req.url ?? '/').startsWith('/api/v1/trpc/')
      ? handlePublicTrpcRequest(req, res, { services, log })
      : handleApiRequest(req, res, { services, log });
    handled.catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(599);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
        if (logged.length) reject(new Error(`INTERNAL answers during the test: ${JSON.stringify(logged)}`));
      }),
  };
}
