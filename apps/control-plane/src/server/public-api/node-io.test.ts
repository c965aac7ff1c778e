import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { ApiHttpOptions } from './http';
import { handleApiRequest } from './http';
import { handlePublicTrpcRequest } from './trpc-http';

type Handler = (req: IncomingMessage, res: ServerResponse, o: ApiHttpOptions) => Promise<void>;

/**
 * One request whose client sends half its body and hangs up, to a server running `handler`: what the
 * handler logged as INTERNAL, once it has finished with that request.
 */
async function hangUpMidBody(handler: Handler, path: string): Promise<unknown[]> {
  const logged: unknown[] = [];
  // Never used: the body is read before any key is looked at.
  const services = {} as ApiHttpOptions['services'];
  let handled: Promise<void> | undefined;
  const server = createServer((req, res) => {
    handled = handler(req, res, { services, log: (id, error) => logged.push({ id, error }) });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const arrived = new Promise<void>((resolve) => server.once('request', () => resolve()));
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    socket.write(`POST ${path} HTTP/1.1\r\nHost: api\r\nContent-Type: application/json\r\n`);
    socket.write('Content-Length: 1000\r\n\r\n{"amount":');
    await arrived;
    socket.destroy();
    await handled;
    return logged;
  } finally {
    server.close();
  }
}

describe("API v1 on Node's request and response", () => {
  it('answers no one and logs nothing when the client hangs up mid-body (JSON route)', async () => {
    expect(await hangUpMidBody(handleApiRequest, '/api/v1/tenants/1/payments')).toEqual([]);
  });

  it('answers no one and logs nothing when the client hangs up mid-body (tRPC route)', async () => {
    expect(await hangUpMidBody(handlePublicTrpcRequest, '/api/v1/trpc/pay')).toEqual([]);
  });
});
