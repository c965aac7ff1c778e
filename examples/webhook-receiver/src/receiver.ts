import { createServer, type Server } from 'node:http';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

/** The body of every Guildmint webhook (amounts are strings: they may exceed 2^53). */
export interface GuildmintEvent {
  type: string;
  timestamp: string;
  tenant: string;
  data: Record<string, unknown>;
}

/**
 * An HTTP server that accepts a Guildmint webhook only when the `standardwebhooks` library verifies it
 * with the endpoint's secret (`whsec_…`): a forged body or signature, or a timestamp more than five
 * minutes off (a stale or replayed request), gets 401. Deliveries are at least once: the same
 * `webhook-id` may come again, so each id is handled once.
 */
export function createReceiver(secret: string, onEvent: (event: GuildmintEvent, id: string) => void): Server {
  const webhook = new Webhook(secret);
  const seen = new Set<string>();
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let event: GuildmintEvent;
      try {
        event = webhook.verify(body, req.headers as Record<string, string>) as GuildmintEvent;
      } catch (error) {
        res.writeHead(error instanceof WebhookVerificationError ? 401 : 400).end();
        return;
      }
      const id = String(req.headers['webhook-id']);
      if (!seen.has(id)) {
        seen.add(id);
        onEvent(event, id);
      }
      // Answer quickly (within 15 s): a 2xx is a delivery; do slow work after answering.
      res.writeHead(204).end();
    });
  });
}
