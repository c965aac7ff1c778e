import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Billing } from '../../src/server/billing/billing';
import { handleStripeWebhookRequest } from '../../src/server/billing/webhook-route';

/**
 * `POST /api/webhooks/stripe`: the route's own handler behind a plain HTTP server on loopback (Next.js
 * adds nothing to the body), for the Stripe simulator to deliver signed webhooks to.
 */
export async function startStripeReceiver(
  billing: () => Billing | null,
): Promise<{ url: string; close(): Promise<void> }> {
  let url = '';
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === 'string') headers.set(name, value);
    const response = await handleStripeWebhookRequest(
      new Request(url, { method: 'POST', headers, body: Buffer.concat(chunks) }),
      billing(),
    );
    res.writeHead(response.status, { 'content-type': 'application/json' });
    res.end(await response.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/stripe`;
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
