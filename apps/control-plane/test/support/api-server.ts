import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleApiRequest } from '../../src/server/public-api/http';
import { handlePublicTrpcRequest } from '../../src/server/public-api/trpc-http';
import type { Services } from '../../src/server/services';

/**
 * API v1's two route handlers (the ones app/api/v1/ exports) behind a loopback HTTP server, so tests
 * speak to them with fetch and a real tRPC client exactly as curl would, without building Next.js.
 *
 * It calls them as Next's Node server does (next/dist/server: NextRequestAdapter.fromNodeNextRequest and
 * sendResponse), so bench:api pays what Next's node↔web adapters pay: a Request built from the URL, method,
 * a Headers copy of the incoming headers, `duplex: 'half'`, a signal aborted when the connection closes
 * first, and the IncomingMessage itself as the body (undici streams it) for methods other than GET and HEAD;
 * the answer's status and headers copied onto the ServerResponse, its body streamed to it chunk by chunk.
 * Cheaper than Next, and so flattering by that much: no NextRequest (NextURL, cookies), no routing, no
 * AsyncLocalStorage request and work stores, no middleware.
 */
export async function startApiServer(services: Services): Promise<{ url: string; close(): Promise<void> }> {
  const logged: unknown[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = `http://127.0.0.1${req.url ?? '/'}`;
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      for (const one of Array.isArray(value) ? value : [value ?? '']) headers.append(name, one);
    const aborted = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) aborted.abort();
    });
    const request = new Request(url, {
      method: req.method ?? 'GET',
      headers,
      duplex: 'half',
      signal: aborted.signal,
      ...(hasBody && { body: req as unknown as ReadableStream }),
    } as RequestInit);
    const log = (id: string, error: unknown) => logged.push({ id, error });
    const handled = new URL(url).pathname.startsWith('/api/v1/trpc/')
      ? handlePublicTrpcRequest(request, { services, log })
      : handleApiRequest(request, { services, log });
    handled
      .then(async (response) => {
        res.statusCode = response.status;
        for (const [name, value] of response.headers) res.appendHeader(name, value);
        // A body refused unread (413) leaves the connection unusable: say so, so the client does not reuse it.
        if (!req.complete) res.setHeader('connection', 'close');
        if (response.body)
          for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
        res.end();
      })
      .catch((error: unknown) => {
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
