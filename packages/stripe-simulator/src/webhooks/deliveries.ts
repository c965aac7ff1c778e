import { SimulatorError } from '../errors.js';
import type { IdFactory } from '../ids.js';
import type { SeededRandom } from '../random.js';
import { signatureHeader } from './signature.js';

export interface WebhookEndpoint {
  id: string;
  url: string;
  /** `whsec_…`: what the receiver verifies with (`STRIPE_WEBHOOK_SECRET` / `STRIPE_CONNECT_WEBHOOK_SECRET`). */
  secret: string;
  /** true: receives the events of connected accounts (which carry `account`); false: the platform's own. */
  connect: boolean;
  /** Event types sent, or `['*']`. */
  enabledEvents: string[];
}

/** One POST of one event to one endpoint. */
export interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  endpointId: string;
  /** 1 for the first try; retries and redeliveries count up. */
  attempt: number;
  /** Why it was sent: at once, a scheduled retry, or a test control. */
  reason: 'event' | 'retry' | 'redeliver' | 'release' | 'concurrent';
  /** Stripe's clock when sent (Unix seconds). */
  at: number;
  /** The endpoint's HTTP status, or null when no answer came (refused, timed out). */
  status: number | null;
  ok: boolean;
  error: string | null;
  /** The signature header sent (tests can replay the exact request). */
  signature: string;
  payload: string;
}

interface Tracking {
  eventId: string;
  endpoint: WebhookEndpoint;
  attempts: number;
  /** Stripe-clock time of the next automatic retry, or null (delivered, given up, or never failed). */
  nextRetryAt: number | null;
  succeeded: boolean;
}

export interface DeliveryOptions {
  ids: IdFactory;
  random: SeededRandom;
  /** Stripe's clock (Unix seconds): when retries fall due. */
  now: () => number;
  /** The signature's `t`: the wall clock, so `constructEvent`'s 300 s tolerance holds whatever the test clock says. */
  signingNow: () => number;
  /** Seconds after each failed try before the next; after the last, the event is given up. */
  retrySchedule: readonly number[];
  timeoutMs: number;
}

/** Loopback only: the simulator never sends traffic anywhere else. */
export function assertLoopbackUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SimulatorError(`webhook endpoint ${url} is not a URL`);
  }
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname) || parsed.protocol !== 'http:') {
    throw new SimulatorError(
      `webhook endpoint ${url} is not on loopback (http://127.0.0.1, localhost or [::1])`,
    );
  }
}

/**
 * Sends each event to every endpoint listening on its account, one at a time per endpoint in the order the
 * events happened; a non-2xx answer or no answer schedules a retry on Stripe's clock. Tests can hold
 * deliveries and release them in another order, redeliver, or send one event twice at once.
 */
export class Deliveries {
  readonly endpoints: WebhookEndpoint[] = [];
  readonly log: Delivery[] = [];
  private readonly payloads = new Map<string, { type: string; account: string | null; payload: string }>();
  private readonly tracking: Tracking[] = [];
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private held: Tracking[] | null = null;

  constructor(private readonly o: DeliveryOptions) {}

  addEndpoint(e: {
    url: string;
    connect?: boolean;
    secret?: string;
    enabledEvents?: string[];
  }): WebhookEndpoint {
    assertLoopbackUrl(e.url);
    const endpoint: WebhookEndpoint = {
      id: this.o.ids.next('we'),
      url: e.url,
      secret: e.secret ?? this.o.ids.secret('whsec'),
      connect: e.connect ?? false,
      enabledEvents: e.enabledEvents ?? ['*'],
    };
    this.endpoints.push(endpoint);
    return endpoint;
  }

  removeEndpoint(id: string): void {
    const index = this.endpoints.findIndex((e) => e.id === id);
    if (index < 0) throw new SimulatorError(`no webhook endpoint ${id}`);
    this.endpoints.splice(index, 1);
  }

  /** A new event: sent to each endpoint it concerns (or held, while deliveries are held). */
  enqueue(event: { id: string; type: string }, account: string | null, payload: string): void {
    this.payloads.set(event.id, { type: event.type, account, payload });
    for (const endpoint of this.endpoints) {
      if (endpoint.connect !== (account !== null)) continue;
      if (!endpoint.enabledEvents.includes('*') && !endpoint.enabledEvents.includes(event.type)) continue;
      const tracking: Tracking = {
        eventId: event.id,
        endpoint,
        attempts: 0,
        nextRetryAt: null,
        succeeded: false,
      };
      this.tracking.push(tracking);
      if (this.held) this.held.push(tracking);
      else this.queue(tracking, 'event');
    }
  }

  /** From now on, new events wait (for `release`) instead of being sent. */
  hold(): void {
    this.held ??= [];
  }

  /**
   * Sends what was held, one after another, in `order`: as they happened, reversed, shuffled by the seeded
   * generator, or by event id (events not named stay held).
   */
  async release(
    order: 'as-happened' | 'reverse' | 'shuffle' | string[] = 'as-happened',
  ): Promise<Delivery[]> {
    const held = this.held ?? [];
    let chosen: Tracking[];
    if (Array.isArray(order)) {
      chosen = order.flatMap((id) => held.filter((t) => t.eventId === id));
      this.held = held.filter((t) => !chosen.includes(t));
    } else {
      chosen = [...held];
      if (order === 'reverse') chosen.reverse();
      if (order === 'shuffle') {
        for (let i = chosen.length - 1; i > 0; i--) {
          const j = this.o.random.nextUint32() % (i + 1);
          [chosen[i], chosen[j]] = [chosen[j] as Tracking, chosen[i] as Tracking];
        }
      }
      this.held = null;
    }
    const sent: Delivery[] = [];
    for (const tracking of chosen) sent.push(await this.track(this.attempt(tracking, 'release')));
    return sent;
  }

  /** Sends the event again to each of its endpoints (or one), whatever happened before; answers when done. */
  async redeliver(eventId: string, endpointId?: string): Promise<Delivery[]> {
    const targets = this.targets(eventId, endpointId);
    const sent: Delivery[] = [];
    for (const tracking of targets) sent.push(await this.track(this.attempt(tracking, 'redeliver')));
    return sent;
  }

  /** Sends `copies` identical requests (same body, same signature) at the same moment: a duplicate race. */
  async deliverConcurrently(eventId: string, copies = 2, endpointId?: string): Promise<Delivery[]> {
    const targets = this.targets(eventId, endpointId);
    const signedAt = this.o.signingNow();
    return this.track(
      Promise.all(
        targets.flatMap((t) => Array.from({ length: copies }, () => this.attempt(t, 'concurrent', signedAt))),
      ),
    );
  }

  /** Stripe-clock time of the earliest retry due, if any. */
  nextRetryAt(): number | undefined {
    let next: number | undefined;
    for (const t of this.tracking)
      if (t.nextRetryAt !== null && (next === undefined || t.nextRetryAt < next)) next = t.nextRetryAt;
    return next;
  }

  /** Retries everything due by now (the clock calls this as it passes their times). */
  retryDue(): void {
    const now = this.o.now();
    for (const t of this.tracking) {
      if (t.nextRetryAt !== null && t.nextRetryAt <= now) {
        t.nextRetryAt = null;
        this.queue(t, 'retry');
      }
    }
  }

  /** Resolves once nothing is being sent (deliveries caused by deliveries included). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private targets(eventId: string, endpointId?: string): Tracking[] {
    if (!this.payloads.has(eventId)) throw new SimulatorError(`no event ${eventId}`);
    const targets = this.tracking.filter(
      (t) => t.eventId === eventId && (!endpointId || t.endpoint.id === endpointId),
    );
    if (targets.length === 0)
      throw new SimulatorError(
        `event ${eventId} has no endpoint${endpointId ? ` ${endpointId}` : ''} to go to`,
      );
    return targets;
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise)).catch(() => undefined);
    return promise;
  }

  /** Sends after whatever this endpoint is already sending: one at a time, in order. */
  private queue(tracking: Tracking, reason: Delivery['reason']): void {
    const key = tracking.endpoint.id;
    const tail = (this.tails.get(key) ?? Promise.resolve()).then(() => this.attempt(tracking, reason));
    this.tails.set(key, tail);
    this.track(tail);
  }

  private async attempt(
    tracking: Tracking,
    reason: Delivery['reason'],
    signedAt = this.o.signingNow(),
  ): Promise<Delivery> {
    const { payload, type } = this.payloads.get(tracking.eventId) as { payload: string; type: string };
    tracking.attempts += 1;
    const signature = signatureHeader(payload, tracking.endpoint.secret, signedAt);
    const delivery: Delivery = {
      id: this.o.ids.next('whdel'),
      eventId: tracking.eventId,
      eventType: type,
      endpointId: tracking.endpoint.id,
      attempt: tracking.attempts,
      reason,
      at: this.o.now(),
      status: null,
      ok: false,
      error: null,
      signature,
      payload,
    };
    this.log.push(delivery);
    try {
      const response = await fetch(tracking.endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'stripe-signature': signature,
        },
        body: payload,
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
      await response.arrayBuffer();
      delivery.status = response.status;
      delivery.ok = response.status >= 200 && response.status < 300;
    } catch (error) {
      delivery.error =
        error instanceof Error
          ? error.cause instanceof Error
            ? error.cause.message
            : error.message
          : String(error);
    }
    if (delivery.ok) {
      tracking.succeeded = true;
      tracking.nextRetryAt = null;
    } else if (!tracking.succeeded && reason !== 'concurrent') {
      const failures = this.log.filter(
        (d) => d.eventId === tracking.eventId && d.endpointId === tracking.endpoint.id && !d.ok,
      ).length;
      const wait = this.o.retrySchedule[failures - 1];
      tracking.nextRetryAt = wait === undefined ? null : this.o.now() + wait;
    }
    return delivery;
  }
}
