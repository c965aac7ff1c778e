import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request the receiver got, and whether the official `standardwebhooks` library verified it. */
export interface Received {
  path: string;
  id: string;
  body: string;
  headers: IncomingHttpHeaders;
  verified: boolean;
}

/**
 * A loopback webhook receiver that verifies every request with the official `standardwebhooks`
 * library, one secret per path. Each path answers with the statuses queued for it (then 204).
 */
export class TestReceiver {
  readonly received: Received[] = [];
  private readonly secrets = new Map<string, string>();
  private readonly answers = new Map<string, number[]>();
  private readonly held = new Set<string>();
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '/';
        const body = Buffer.concat(chunks).toString('utf8');
        const secret = this.secrets.get(path);
        let verified = false;
        try {
          if (secret) new Webhook(secret).verify(body, req.headers as Record<string, string>);
          verified = secret !== undefined;
        } catch {
          verified = false;
        }
        this.received.push({
          path,
          id: String(req.headers['webhook-id']),
          body,
          headers: req.headers,
          verified,
        });
        // A held path never answers: the sender is killed (or times out) mid-delivery.
        if (this.held.has(path)) return;
        res.statusCode = verified ? (this.answers.get(path)?.shift() ?? 204) : 401;
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  endpoint(path: string, secret: string, answers: number[] = []): string {
    this.secrets.set(path, secret);
    this.answers.set(path, [...answers]);
    return `${this.url}${path}`;
  }

  hold(path: string, held: boolean): void {
    if (held) this.held.add(path);
    else this.held.delete(path);
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
