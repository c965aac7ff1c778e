import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiV1 } from '../../src/server/public-api/serve';
import type { Services } from '../../src/server/services';

/**
 * API v1 behind a loopback HTTP server, so tests speak to it with fetch and a real tRPC client exactly as
 * curl would, without building Next.js: the handler the production server (server.mjs) answers /api/v1
 * with before Next's router, on this harness's services. It leaves out only the security headers that
 * handler sets first (five `setHeader`s; the e2e tests check them on the real server).
 */
export async function startApiServer(services: Services): Promise<{ url: string; close(): Promise<void> }> {
  const logged: unknown[] = [];
  const handler = apiV1({ services, log: (id, error) => logged.push({ id, error }) });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    handler(req, res).catch((error: unknown) => {
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
