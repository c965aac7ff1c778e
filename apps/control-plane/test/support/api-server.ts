import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { handleApiRequest } from '../../src/server/public-api/http';
import { handlePublicTrpcRequest } from '../../src/server/public-api/trpc-http';
import type { Services } from '../../src/server/services';

/**
 * API v1's two route handlers (the ones app/api/v1/ exports) behind a loopback HTTP server, so tests
 * speak to them with fetch and a real tRPC client exactly as curl would, without building Next.js.
 */
export async function startApiServer(services: Services): Promise<{ url: string; close(): Promise<void> }> {
  const logged: unknown[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = `http://127.0.0.1${req.url ?? '/'}`;
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(url, {
      method: req.method ?? 'GET',
      headers: req.headers as Record<string, string>,
      ...(hasBody && { body: Readable.toWeb(req) as ReadableStream, duplex: 'half' }),
    });
    const log = (id: string, error: unknown) => logged.push({ id, error });
    const handled = new URL(url).pathname.startsWith('/api/v1/trpc/')
      ? handlePublicTrpcRequest(request, { services, log })
      : handleApiRequest(request, { services, log });
    handled
      .then(async (response) => {
        // A body refused unread (413) leaves the connection unusable: say so, so the client does not reuse it.
        const headers = {
          ...Object.fromEntries(response.headers),
          ...(!req.complete && { connection: 'close' }),
        };
        res.writeHead(response.status, headers);
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch((error: unknown) => {
        res.writeHead(599);
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
