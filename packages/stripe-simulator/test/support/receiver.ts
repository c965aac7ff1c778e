import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/** What a webhook receiver saw: the raw body, the verified event (or why verification failed). */
export interface Received {
  raw: string;
  signature: string | undefined;
  event: Stripe.Event | null;
  verifyError: string | null;
}

/**
 * A webhook receiver on 127.0.0.1, as the product's route is: it verifies each delivery on the raw bytes with
 * the real `stripe.webhooks.constructEvent` and answers `status()` (default 200; 400 when the signature fails).
 */
export class Receiver {
  readonly received: Received[] = [];
  secret = '';
  status: (event: Stripe.Event) => number = () => 200;
  private server: Server;
  private readonly stripe = new Stripe('sk_test_receiver');

  private constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const signature = request.headers['stripe-signature'] as string | undefined;
        try {
          const event = this.stripe.webhooks.constructEvent(raw, signature ?? '', this.secret);
          this.received.push({ raw, signature, event, verifyError: null });
          response.writeHead(this.status(event)).end();
        } catch (error) {
          this.received.push({ raw, signature, event: null, verifyError: (error as Error).message });
          response.writeHead(400).end();
        }
      });
    });
  }

  static async start(): Promise<Receiver> {
    const receiver = new Receiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/stripe`;
  }

  /** Verified events' types, in arrival order. */
  types(): string[] {
    return this.received.flatMap((r) => (r.event ? [r.event.type] : []));
  }

  events(type?: string): Stripe.Event[] {
    return this.received.flatMap((r) => (r.event && (!type || r.event.type === type) ? [r.event] : []));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
