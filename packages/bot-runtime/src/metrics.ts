import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The runtime's Prometheus metrics, on a registry of its own (several runtimes may share a process,
 * as they do in tests).
 */
export class RuntimeMetrics {
  readonly registry = new Registry();
  /** Seconds from receiving an interaction to its final answer. */
  readonly commandDuration = new Histogram({
    name: 'guildmint_command_duration_seconds',
    help: 'Time from receiving an interaction to its final answer',
    labelNames: ['command', 'outcome'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2.5, 5, 10],
    registers: [this.registry],
  });
  /** Money-moving SDK calls that succeeded, by operation; `replayed` ones changed nothing. */
  readonly moneyOperations = new Counter({
    name: 'guildmint_money_operations_total',
    help: 'Money-moving operations completed, by operation and whether they were replays',
    labelNames: ['operation', 'replayed'] as const,
    registers: [this.registry],
  });
  /** Ledger transfers written by those operations. */
  readonly transfers = new Counter({
    name: 'guildmint_transfers_total',
    help: 'Ledger transfers written through the runtime, by operation',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'guildmint_command_errors_total',
    help: 'Interactions answered with an error, by error code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly tenantsLoaded = new Gauge({
    name: 'guildmint_tenants_loaded',
    help: 'Tenants (guilds) currently loaded in this process',
    registers: [this.registry],
  });
  readonly inFlight = new Gauge({
    name: 'guildmint_interactions_in_flight',
    help: 'Interactions being answered right now',
    registers: [this.registry],
  });
  readonly deferred = new Counter({
    name: 'guildmint_interactions_deferred_total',
    help: 'Interactions deferred because the answer took longer than the defer threshold',
    registers: [this.registry],
  });
  /** Activity events (messages, voice periods) by outcome: rewarded, window, ignored, off, error. */
  readonly activity = new Counter({
    name: 'guildmint_activity_events_total',
    help: 'Messages and voice periods handled for activity income, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly rejected = new Counter({
    name: 'guildmint_gateway_payloads_rejected_total',
    help: 'Gateway payloads that were malformed or made discord.js throw',
    labelNames: ['event'] as const,
    registers: [this.registry],
  });

  constructor(o: { defaultMetrics?: boolean } = {}) {
    if (o.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }
}

export interface HealthReport {
  status: 'starting' | 'ready' | 'draining' | 'stopped';
  shards: number[];
  tenantsLoaded: number;
  inFlight: number;
}

export interface HttpEndpoint {
  /** The address it listens on, as the socket reports it. */
  readonly host: string;
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

export const DEFAULT_METRICS_HOST = '127.0.0.1';

/** `/metrics` (Prometheus text) and `/healthz` (200 when ready, 503 otherwise, JSON either way). */
export async function serveHttp(o: {
  port: number;
  host?: string;
  metrics: RuntimeMetrics;
  health: () => HealthReport;
}): Promise<HttpEndpoint> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      o.metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': o.metrics.registry.contentType }).end(text),
        (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error)),
      );
      return;
    }
    if (path === '/healthz') {
      const health = o.health();
      res
        .writeHead(health.status === 'ready' ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify(health));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics or /healthz\n');
  });
  // Loopback unless the operator says otherwise: metrics and health reveal load and guild counts.
  const host = o.host ?? DEFAULT_METRICS_HOST;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port, address } = server.address() as AddressInfo;
  return {
    host: address,
    port,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
