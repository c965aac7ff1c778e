import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { type AddressPolicy, guardedLookup, parseWebhookUrl, refusedAddress } from './address-guard.js';
import { DELIVERY_TIMEOUT_MS } from './schedule.js';
import { webhookHeaders } from './signature.js';

/** One signed POST to one endpoint. */
export interface WebhookRequest {
  url: string;
  /** Newest first; two during a rotation. */
  secrets: readonly string[];
  id: string;
  body: string;
  at: Date;
}

/** What came back: the HTTP status (null when none came) and how long it took. */
export interface WebhookResponse {
  status: number | null;
  durationMs: number;
  error: string | null;
}

/**
 * Posts signed webhooks over keep-alive connections, each connection's address checked by the SSRF
 * guard when it is dialled. A 2xx within `timeoutMs` (15 s) is a delivery; anything else is reported,
 * never thrown.
 */
export class WebhookSender {
  private readonly agents: { http: http.Agent; https: https.Agent };

  constructor(
    private readonly policy: AddressPolicy,
    private readonly timeoutMs = DELIVERY_TIMEOUT_MS,
    maxSockets = 64,
  ) {
    const lookup = guardedLookup(policy) as never;
    this.agents = {
      http: new http.Agent({ keepAlive: true, maxSockets, lookup } as http.AgentOptions),
      https: new https.Agent({ keepAlive: true, maxSockets, lookup } as https.AgentOptions),
    };
  }

  async send(request: WebhookRequest): Promise<WebhookResponse> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let url: URL;
    try {
      url = parseWebhookUrl(request.url, this.policy);
    } catch (error) {
      return { status: null, durationMs: 0, error: (error as Error).message };
    }
    // A literal address is dialled without a lookup: check it here.
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const refused = isIP(host) ? refusedAddress(host, this.policy) : null;
    if (refused) return { status: null, durationMs: 0, error: `refused: ${refused}` };
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Guildmint-Webhooks/1',
      ...webhookHeaders(request.secrets, request.id, request.at, request.body),
    };
    const client = url.protocol === 'https:' ? https : http;
    const agent = url.protocol === 'https:' ? this.agents.https : this.agents.http;
    return new Promise<WebhookResponse>((resolve) => {
      let settled = false;
      const done = (status: number | null, error: string | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status, durationMs: elapsed(), error });
      };
      const req = client.request(url, { method: 'POST', headers, agent }, (res) => {
        // The body is not kept: drain it so the connection is reused.
        res.resume();
        res.on('end', () => done(res.statusCode ?? null, null));
        res.on('error', (error) => done(res.statusCode ?? null, error.message));
      });
      const timer = setTimeout(() => {
        req.destroy();
        done(null, `no answer within ${this.timeoutMs / 1000} s`);
      }, this.timeoutMs);
      req.on('error', (error) => done(null, error.message));
      req.end(request.body);
    });
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}
