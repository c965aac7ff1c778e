import type { AttemptRecord, ClaimedDelivery, OutboxStore } from '../stores/outbox.js';
import { type WebhookResponse, WebhookSender } from './deliver.js';
import { DELIVERY_TIMEOUT_MS, DISABLE_AFTER_FAILING_MS, nextRetry } from './schedule.js';

const PRUNE_EVERY_MS = 10 * 60_000;
const PRUNE_BATCH = 5_000;

/** An endpoint as the worker needs it (the control plane keeps them: URL, secrets, event types). */
export interface WebhookEndpoint {
  id: string;
  tenant: string;
  url: string;
  /** Newest first; two during a rotation, and every delivery is signed with both. */
  secrets: readonly string[];
  /** Event types it receives; empty: every type. */
  eventTypes: readonly string[];
  /** Since when every attempt to it has failed (null: its last attempt succeeded, or none yet). */
  failingSince: Date | null;
}

/** Where the endpoints live, and what the worker tells their owner's records. */
export interface EndpointDirectory {
  /** The tenant's enabled endpoints. */
  enabled(tenant: string): Promise<WebhookEndpoint[]>;
  /** These endpoints if they are still enabled (a disabled or deleted one is missing). */
  byIds(ids: readonly string[]): Promise<Map<string, WebhookEndpoint>>;
  /** An attempt succeeded: the endpoint is failing no more. */
  succeeded(endpoint: WebhookEndpoint, at: Date): Promise<void>;
  /** An attempt failed: the endpoint is failing since `at` unless it was already. */
  failed(endpoint: WebhookEndpoint, at: Date): Promise<void>;
  /** Disable the endpoint and tell its owner why (410 Gone, or days of failure). */
  disable(endpoint: WebhookEndpoint, reason: string, at: Date): Promise<void>;
}

export interface WebhookWorkerOptions {
  store: OutboxStore;
  endpoints: EndpointDirectory;
  /** Development and tests: loopback addresses and http allowed. Never in production. */
  allowLoopback?: boolean;
  /** Rows claimed per round. */
  batchSize?: number;
  /** How long a claim lasts: a worker killed mid-delivery loses its rows to another after this. */
  leaseMs?: number;
  /** Idle wait between rounds that found nothing. */
  pollMs?: number;
  timeoutMs?: number;
  /** How long settled events, their deliveries and attempt log are kept (and can be replayed): default 30 days. */
  retentionMs?: number;
  now?: () => Date;
  /** Told about a round that threw (a store outage); the worker carries on. */
  onError?: (error: unknown) => void;
}

/**
 * Delivers the outbox at least once. A round: claim events not yet fanned out and create one delivery
 * per matching endpoint (one transaction with marking them done); then claim due deliveries, post them
 * concurrently, and record every attempt and its consequence in one statement. Claims are leases, so a
 * worker killed at any point (kill -9) loses nothing: unfinished rows come due again when the lease
 * lapses, and are sent again (receivers dedupe on `webhook-id`). Several workers may run at once.
 */
export class WebhookWorker {
  private readonly sender: WebhookSender;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly now: () => Date;
  private running: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;
  private readonly retentionMs: number;
  private prunedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: WebhookWorkerOptions) {
    const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
    this.sender = new WebhookSender({ allowLoopback: options.allowLoopback ?? false }, timeoutMs);
    this.batchSize = options.batchSize ?? 200;
    // A lease outlasts a round's slowest delivery, so a live worker never loses a row it is sending.
    this.leaseMs = Math.max(options.leaseMs ?? 60_000, timeoutMs * 2);
    this.pollMs = options.pollMs ?? 500;
    this.now = options.now ?? (() => new Date());
    this.retentionMs = options.retentionMs ?? 30 * 86_400_000;
  }

  /** One round; the number of events fanned out plus attempts made (0: nothing was due). */
  async runOnce(): Promise<number> {
    await this.pruneNow();
    const fannedOut = await this.fanOut();
    const attempted = await this.deliverDue();
    return fannedOut + attempted;
  }

  /** Run rounds until `stop()`; a round that finds work is followed at once by the next. */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = (async () => {
      while (!this.stopping) {
        let worked = 0;
        try {
          worked = await this.runOnce();
        } catch (error) {
          this.options.onError?.(error);
        }
        if (worked === 0 && !this.stopping) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, this.pollMs);
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.wake = null;
        }
      }
    })();
  }

  /** Finish the current round, then stop. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = null;
    this.sender.close();
  }

  /** At most every ten minutes: forget what is past its retention, a bounded batch at a time. */
  private async pruneNow(): Promise<void> {
    const now = this.now().getTime();
    if (now - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = now;
    await this.options.store.pruneOutbox(new Date(now - this.retentionMs), PRUNE_BATCH);
  }

  private async fanOut(): Promise<number> {
    const { store, endpoints } = this.options;
    const now = this.now();
    const events = await store.claimEvents(this.batchSize, now, new Date(now.getTime() + this.leaseMs));
    if (events.length === 0) return 0;
    const byTenant = new Map<string, WebhookEndpoint[]>();
    for (const tenant of new Set(events.map((e) => e.tenant)))
      byTenant.set(tenant, await endpoints.enabled(tenant));
    const deliveries = events.flatMap((event) =>
      byTenant
        .get(event.tenant)!
        .filter((endpoint) => endpoint.eventTypes.length === 0 || endpoint.eventTypes.includes(event.type))
        .map((endpoint) => ({ tenant: event.tenant, eventId: event.id, endpointId: endpoint.id })),
    );
    await store.dispatchEvents(events, deliveries, now);
    return events.length;
  }

  private async deliverDue(): Promise<number> {
    const { store, endpoints } = this.options;
    const now = this.now();
    const due = await store.claimDeliveries(this.batchSize, now, new Date(now.getTime() + this.leaseMs));
    if (due.length === 0) return 0;
    const live = await endpoints.byIds([...new Set(due.map((d) => d.endpointId))]);
    const records = await Promise.all(
      due.map((delivery) => this.attempt(delivery, live.get(delivery.endpointId))),
    );
    await store.recordAttempts(records);
    await this.tellDirectory(records, live);
    return due.length;
  }

  private async attempt(
    delivery: ClaimedDelivery,
    endpoint: WebhookEndpoint | undefined,
  ): Promise<AttemptRecord> {
    const at = this.now();
    // A tenant's event only ever goes to that tenant's endpoint.
    const response: WebhookResponse =
      !endpoint || endpoint.tenant !== delivery.tenant
        ? { status: null, durationMs: 0, error: 'endpoint disabled or deleted' }
        : await this.sender.send({
            url: endpoint.url,
            secrets: endpoint.secrets,
            id: delivery.eventId,
            body: delivery.payload,
            at,
          });
    const attempt = delivery.attempts + 1;
    const base = { ...delivery, attempt, at, ...response };
    if (!endpoint) return { ...base, outcome: 'cancelled', step: delivery.step, nextAttemptAt: at };
    if (response.status !== null && response.status >= 200 && response.status < 300) {
      return { ...base, outcome: 'delivered', step: delivery.step, nextAttemptAt: at };
    }
    if (response.status === 410)
      return { ...base, outcome: 'cancelled', step: delivery.step, nextAttemptAt: at };
    const next = nextRetry(delivery.step, at);
    return next
      ? { ...base, outcome: 'pending', step: next.step, nextAttemptAt: next.at }
      : { ...base, outcome: 'failed', step: delivery.step, nextAttemptAt: at };
  }

  /** Successes clear an endpoint's failing streak; 410 or days of failure disable it. */
  private async tellDirectory(
    records: readonly AttemptRecord[],
    live: Map<string, WebhookEndpoint>,
  ): Promise<void> {
    const { store, endpoints } = this.options;
    const seen = new Map<string, AttemptRecord>();
    // A 410 in this round disables; otherwise the endpoint's latest attempt of the round decides.
    for (const record of records) if (live.has(record.endpointId)) seen.set(record.endpointId, record);
    for (const [id, record] of seen) {
      const endpoint = live.get(id)!;
      const gone = records.some((r) => r.endpointId === id && r.status === 410);
      if (record.outcome === 'delivered' && !gone) {
        if (endpoint.failingSince) await endpoints.succeeded(endpoint, record.at);
        continue;
      }
      const failingFor = endpoint.failingSince ? record.at.getTime() - endpoint.failingSince.getTime() : 0;
      if (gone || failingFor >= DISABLE_AFTER_FAILING_MS) {
        const reason = gone
          ? 'the endpoint answered 410 Gone'
          : `every delivery has failed for ${Math.floor(failingFor / 86_400_000)} days`;
        await endpoints.disable(endpoint, reason, record.at);
        await store.cancelDeliveries(endpoint.tenant, endpoint.id);
      } else if (!endpoint.failingSince) {
        await endpoints.failed(endpoint, record.at);
      }
    }
  }
}
