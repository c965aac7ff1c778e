import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimClock } from './clock.js';
import { SimulatorError } from './errors.js';
import { type ApiCall, StripeApi } from './http/api.js';
import { Faults } from './http/faults.js';
import type { Params } from './http/form.js';
import { IdempotencyCache } from './http/idempotency.js';
import { ParamReader } from './http/params.js';
import { IdFactory } from './ids.js';
import { checkoutPage } from './pages/checkout-page.js';
import type { PageAnswer } from './pages/html.js';
import { invoicePage } from './pages/invoice-page.js';
import { onboardingPage } from './pages/onboarding-page.js';
import { portalPage } from './pages/portal-page.js';
import { SeededRandom } from './random.js';
import { type Account, type AccountState, accountRoutes, setAccountState } from './resources/accounts.js';
import {
  billingRoutes,
  type DunningSettings,
  type Invoice,
  periodOf,
  renewSubscription,
  retryInvoice,
  type Subscription,
  type SubscriptionChange,
} from './resources/billing.js';
import {
  type CheckoutSession,
  checkoutRoutes,
  expireSession,
  type PaymentChoice,
  type PayResult,
  paySession,
  settleDelayed,
} from './resources/checkout.js';
import { type Customer, customerRoutes } from './resources/customers.js';
import { eventRoutes } from './resources/events.js';
import {
  type Charge,
  closeDispute,
  createCardPaymentMethod,
  type Dispute,
  findCharge,
  openDispute,
  paymentRoutes,
  refundCharge,
} from './resources/payments.js';
import { portalRoutes } from './resources/portal.js';
import { createPrice, type Price, priceRoutes } from './resources/prices.js';
import { productRoutes } from './resources/products.js';
import { ObjectStore, type StripeObject } from './store.js';
import { Deliveries, type Delivery, type WebhookEndpoint } from './webhooks/deliveries.js';
import { type RequestInfo, snapshot, type World } from './world.js';

/** The API version the simulator speaks: the one stripe 23.x pins (objects follow its shapes). */
export const API_VERSION = '2026-11-18.endive';

/** The default seed: fixed, so two runs make the same ids; pass `seed` to vary it (and print it). */
export const DEFAULT_SEED = 0x5712_1be;

export interface StripeSimulatorOptions {
  /** Port on 127.0.0.1 (default: any free one). */
  port?: number;
  /** Seeds ids and secrets (default DEFAULT_SEED). */
  seed?: number;
  /** The secret key the API accepts (default: `sk_test_…` from the seed). */
  secretKey?: string;
  /** Stripe's clock at start, Unix seconds (default: now). */
  now?: number;
  /** Webhook endpoints to send events to (more with `addWebhookEndpoint`). */
  webhooks?: Array<{ url: string; connect?: boolean; secret?: string; enabledEvents?: string[] }>;
  /** Dunning: retries after a failed renewal, days after the previous try (default 3, 5, 7), then `canceled`. */
  dunning?: Partial<DunningSettings>;
  /** Seconds between failed webhook deliveries (default 5 min, 30 min, 2 h, 5 h, 10 h, 10 h; then given up). */
  webhookRetrySchedule?: number[];
  /** The webhook signature's timestamp source, Unix seconds (default: the wall clock). */
  signingNow?: () => number;
  /** How long an endpoint has to answer a delivery (default 10 s). */
  webhookTimeoutMs?: number;
  /** Lookup keys of the prices the portal offers to switch to (default: every active recurring price). */
  portalLookupKeys?: string[];
  /** The platform's name on its own Checkout pages. */
  platformName?: string;
}

/** The client options the real `stripe` SDK needs to talk to a simulator at `apiUrl` (`STRIPE_API_URL`). */
export function stripeClientOptions(apiUrl: string): {
  host: string;
  port: number;
  protocol: 'http' | 'https';
  maxNetworkRetries: 0;
} {
  const url = new URL(apiUrl);
  return {
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    maxNetworkRetries: 0,
  };
}

/** Runs `fn` once per object of `object` type across accounts whose `due` time has come. */
function dueTimes<T extends StripeObject>(
  store: ObjectStore,
  object: string,
  due: (obj: T) => number | null,
): Array<{ at: number; obj: T; account: string | null }> {
  return store.everywhere<T>(object).flatMap(({ obj, account }) => {
    const at = due(obj);
    return at === null ? [] : [{ at, obj, account }];
  });
}

/**
 * A loopback Stripe on 127.0.0.1 for the real `stripe` SDK (`new Stripe(sim.secretKey, sim.clientOptions)`),
 * with hosted Checkout, portal and onboarding pages, signed webhooks, and controls for tests.
 */
export class StripeSimulator {
  readonly seed: number;
  readonly secretKey: string;
  /** Every API call, in order, with the status it got. */
  readonly calls: ApiCall[] = [];
  /** Exceptions inside the simulator (answered 500). Empty unless the simulator has a bug. */
  readonly internalErrors: Error[] = [];
  /** Every subscription price change and its proration behaviour. */
  readonly subscriptionChanges: SubscriptionChange[] = [];

  private readonly world: World;
  private readonly store = new ObjectStore();
  private readonly clock: SimClock;
  private readonly deliveriesQueue: Deliveries;
  private readonly faults = new Faults();
  private readonly dunning: DunningSettings;
  private readonly api: StripeApi;
  private readonly server: Server;
  private readonly options: StripeSimulatorOptions;
  private request: RequestInfo | null = null;
  private port = 0;

  static async start(options: StripeSimulatorOptions = {}): Promise<StripeSimulator> {
    const sim = new StripeSimulator(options);
    await new Promise<void>((resolve, reject) => {
      sim.server.once('error', reject);
      sim.server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    sim.port = (sim.server.address() as AddressInfo).port;
    for (const endpoint of options.webhooks ?? []) sim.addWebhookEndpoint(endpoint);
    return sim;
  }

  private constructor(options: StripeSimulatorOptions) {
    this.options = options;
    this.seed = options.seed ?? DEFAULT_SEED;
    const random = new SeededRandom(this.seed);
    const ids = new IdFactory(random);
    this.secretKey = options.secretKey ?? `sk_test_${random.base62(40)}`;
    if (!/^sk_test_\w+$/.test(this.secretKey))
      throw new SimulatorError('secretKey must be a test key (sk_test_…)');
    this.clock = new SimClock(options.now);
    this.dunning = {
      retryAfterDays: options.dunning?.retryAfterDays ?? [3, 5, 7],
      finally: options.dunning?.finally ?? 'canceled',
    };
    this.deliveriesQueue = new Deliveries({
      ids,
      random,
      now: () => this.clock.now(),
      signingNow: options.signingNow ?? (() => Math.floor(Date.now() / 1000)),
      retrySchedule: options.webhookRetrySchedule ?? [300, 1_800, 7_200, 18_000, 36_000, 36_000],
      timeoutMs: options.webhookTimeoutMs ?? 10_000,
    });
    this.world = {
      store: this.store,
      ids,
      clock: this.clock,
      random,
      hidden: {
        cards: new Map(),
        sessions: new Map(),
        accountLinks: new Map(),
        pendingProrations: new Map(),
      },
      baseUrl: () => this.url,
      emit: (type, obj, o) => this.emit(type, obj, o),
    };
    this.api = new StripeApi({
      world: this.world,
      routes: [
        ...productRoutes,
        ...priceRoutes,
        ...customerRoutes,
        ...checkoutRoutes,
        ...billingRoutes({ dunning: this.dunning, changes: this.subscriptionChanges }),
        ...portalRoutes,
        ...accountRoutes,
        ...paymentRoutes,
        ...eventRoutes,
      ],
      secretKey: this.secretKey,
      apiVersion: API_VERSION,
      faults: this.faults,
      idempotency: new IdempotencyCache(() => this.clock.now()),
      virtuals: {
        'checkout.session': {
          line_items: (s) => ({
            object: 'list',
            data: this.world.hidden.sessions.get(s.id)?.lineItems ?? [],
            has_more: false,
            url: `/v1/checkout/sessions/${s.id}/line_items`,
          }),
        },
      },
      calls: this.calls,
      internalErrors: this.internalErrors,
      setRequest: (info) => {
        this.request = info;
      },
    });
    this.server = createServer((request, response) => void this.serve(request, response));
    this.server.on('clientError', (_error, socket) => socket.destroy());
  }

  /** `http://127.0.0.1:PORT`: `STRIPE_API_URL`, and where the pages are. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What `new Stripe(sim.secretKey, sim.clientOptions)` needs. */
  get clientOptions(): ReturnType<typeof stripeClientOptions> {
    return stripeClientOptions(this.url);
  }

  /** Stripe's clock, Unix seconds. */
  now(): number {
    return this.clock.now();
  }

  // ── Webhooks ───────────────────────────────────────────────────────────────────────────────────

  /** Sends events to `url` (loopback only): the platform's (default) or, with `connect`, connected accounts'. */
  addWebhookEndpoint(e: {
    url: string;
    connect?: boolean;
    secret?: string;
    enabledEvents?: string[];
  }): WebhookEndpoint {
    return this.deliveriesQueue.addEndpoint(e);
  }

  removeWebhookEndpoint(id: string): void {
    this.deliveriesQueue.removeEndpoint(id);
  }

  get webhookEndpoints(): readonly WebhookEndpoint[] {
    return this.deliveriesQueue.endpoints;
  }

  /** Every webhook delivery so far, in the order they were sent. */
  deliveries(filter: { eventId?: string; type?: string } = {}): Delivery[] {
    return this.deliveriesQueue.log.filter(
      (d) =>
        (!filter.eventId || d.eventId === filter.eventId) && (!filter.type || d.eventType === filter.type),
    );
  }

  /** Waits until no delivery is in flight. Call it before asserting on what an endpoint received. */
  settle(): Promise<void> {
    return this.deliveriesQueue.settle();
  }

  /** Sends the event again (the dashboard's "Resend"). */
  async redeliver(eventId: string, o: { endpointId?: string } = {}): Promise<Delivery[]> {
    await this.settle();
    return this.deliveriesQueue.redeliver(eventId, o.endpointId);
  }

  /** Sends `copies` identical deliveries of the event at the same moment. */
  async deliverConcurrently(
    eventId: string,
    copies = 2,
    o: { endpointId?: string } = {},
  ): Promise<Delivery[]> {
    await this.settle();
    return this.deliveriesQueue.deliverConcurrently(eventId, copies, o.endpointId);
  }

  /** Holds new events' deliveries until `releaseDeliveries` (to send them out of order). */
  holdDeliveries(): void {
    this.deliveriesQueue.hold();
  }

  /** Sends held deliveries one by one: as they happened, reversed, shuffled (seeded), or in the order of the ids given. */
  async releaseDeliveries(
    order: 'as-happened' | 'reverse' | 'shuffle' | string[] = 'as-happened',
  ): Promise<Delivery[]> {
    await this.settle();
    return this.deliveriesQueue.release(order);
  }

  /** Events, newest first, across the platform and every connected account. */
  events(filter: { type?: string; account?: string | null } = {}): StripeObject[] {
    return this.store
      .everywhere('event')
      .filter(
        ({ obj, account }) =>
          (!filter.type || obj.type === filter.type) &&
          (filter.account === undefined || filter.account === account),
      )
      .map(({ obj }) => obj)
      .sort((a, b) => (b.created as number) - (a.created as number) || this.seqCompare(b, a));
  }

  private seqCompare(a: StripeObject, b: StripeObject): number {
    const all = this.store.everywhere('event').map((e) => e.obj.id);
    return all.indexOf(a.id) - all.indexOf(b.id);
  }

  // ── Faults ─────────────────────────────────────────────────────────────────────────────────────

  /** The API answers 503 to the next `requests` calls (default: until `endOutage`). Pages keep working. */
  startOutage(o: { requests?: number } = {}): void {
    this.faults.setOutage(o);
  }

  endOutage(): void {
    this.faults.clearOutage();
  }

  /** The API answers each of the next `requests` calls (default: every one, until set to 0) `ms` late. */
  setLatency(ms: number, o: { requests?: number } = {}): void {
    this.faults.setLatency(ms, o);
  }

  // ── Payments ───────────────────────────────────────────────────────────────────────────────────

  /** Pays a Checkout session as its hosted page would: `{ card: testCards.success }` or `{ delayed: true }`. */
  async pay(sessionId: string, choice: PaymentChoice): Promise<PayResult> {
    const { obj, account } = this.locate<CheckoutSession>(sessionId, 'checkout.session');
    const result = paySession(this.world, account, obj, choice, this.dunning);
    await this.settle();
    return { ...result, session: snapshot(result.session) };
  }

  /** The delayed payment of a completed session succeeds or fails (`checkout.session.async_payment_*`). */
  async settleDelayedPayment(sessionId: string, outcome: 'succeeded' | 'failed'): Promise<CheckoutSession> {
    const { obj, account } = this.locate<CheckoutSession>(sessionId, 'checkout.session');
    const session = settleDelayed(this.world, account, obj, outcome === 'succeeded');
    await this.settle();
    return snapshot(session);
  }

  async expireSession(sessionId: string): Promise<CheckoutSession> {
    const { obj, account } = this.locate<CheckoutSession>(sessionId, 'checkout.session');
    const session = expireSession(this.world, account, obj);
    await this.settle();
    return snapshot(session);
  }

  /** Refunds a payment (by payment intent or charge id), all of it unless `amount`: `charge.refunded`. */
  async refund(paymentId: string, o: { amount?: number; reason?: string } = {}): Promise<StripeObject> {
    const { charge, account } = this.chargeOf(paymentId);
    const refund = refundCharge(this.world, account, charge, o);
    await this.settle();
    return snapshot(refund);
  }

  /** The buyer's bank disputes a payment: `charge.dispute.created`. */
  async dispute(paymentId: string, o: { reason?: string } = {}): Promise<Dispute> {
    const { charge, account } = this.chargeOf(paymentId);
    const dispute = openDispute(this.world, account, charge, o.reason ?? 'fraudulent');
    await this.settle();
    return snapshot(dispute);
  }

  /** The dispute is decided: `charge.dispute.closed` with status `won` or `lost`. */
  async closeDispute(disputeId: string, outcome: 'won' | 'lost'): Promise<Dispute> {
    const { obj, account } = this.locate<Dispute>(disputeId, 'dispute');
    const dispute = closeDispute(this.world, account, obj, outcome);
    await this.settle();
    return snapshot(dispute);
  }

  /** Replaces the customer's card (and their subscriptions'): e.g. `testCards.chargeFails` before a renewal. */
  setCard(customerId: string, card: string): void {
    const { obj, account } = this.locate<Customer>(customerId, 'customer');
    const pm = createCardPaymentMethod(this.world, account, card, obj.id);
    obj.invoice_settings.default_payment_method = pm.id;
    for (const sub of this.store.all<Subscription>('subscription', account))
      if (sub.customer === obj.id) sub.default_payment_method = pm.id;
  }

  // ── Time ───────────────────────────────────────────────────────────────────────────────────────

  /**
   * Moves Stripe's clock forward, doing on the way, in time order, what falls due: renewals and trial ends,
   * cancellations at period end, dunning retries, expired Checkout sessions, webhook retries.
   */
  async advanceClock(seconds: number): Promise<void> {
    if (!Number.isInteger(seconds) || seconds < 0)
      throw new SimulatorError('advanceClock takes a whole, non-negative number of seconds');
    await this.settle();
    const target = this.clock.now() + seconds;
    for (;;) {
      const next = this.nextDue();
      if (next === undefined || next > target) break;
      this.clock.moveTo(next);
      this.runDue(next);
      await this.settle();
    }
    this.clock.moveTo(target);
  }

  /** Renews a subscription now: the clock moves to the end of its period (and does whatever else is due by then). */
  async renew(subscriptionId: string): Promise<Subscription> {
    const { obj } = this.locate<Subscription>(subscriptionId, 'subscription');
    if (obj.status === 'canceled') throw new SimulatorError(`subscription ${subscriptionId} is canceled`);
    await this.advanceClock(Math.max(0, periodOf(obj).end - this.clock.now()));
    return snapshot(obj);
  }

  private dueWork(): Array<{ at: number; run: () => void }> {
    const active = ['active', 'trialing', 'past_due'];
    return [
      ...dueTimes<Subscription>(this.store, 'subscription', (s) =>
        active.includes(s.status) ? periodOf(s).end : null,
      ).map(({ at, obj, account }) => ({
        at,
        run: () => renewSubscription(this.world, account, obj, this.dunning),
      })),
      ...dueTimes<Invoice>(this.store, 'invoice', (i) =>
        i.status === 'open' ? i.next_payment_attempt : null,
      ).map(({ at, obj, account }) => ({
        at,
        run: () => retryInvoice(this.world, account, obj, this.dunning),
      })),
      ...dueTimes<CheckoutSession>(this.store, 'checkout.session', (s) =>
        s.status === 'open' ? s.expires_at : null,
      ).map(({ at, obj, account }) => ({
        at,
        run: () => expireSession(this.world, account, obj),
      })),
    ];
  }

  private nextDue(): number | undefined {
    const times = this.dueWork().map((w) => w.at);
    const retry = this.deliveriesQueue.nextRetryAt();
    if (retry !== undefined) times.push(retry);
    return times.length === 0 ? undefined : Math.min(...times);
  }

  private runDue(now: number): void {
    for (const work of this.dueWork()) if (work.at <= now) work.run();
    this.deliveriesQueue.retryDue();
  }

  // ── Catalog and Connect ────────────────────────────────────────────────────────────────────────

  /**
   * Creates a product and its price (what `pnpm dev` seeds): `{ lookupKey: 'guildmint_pro_monthly', name: 'Pro',
   * unitAmount: 900, currency: 'usd', interval: 'month' }`. An existing lookup key is left as it is.
   */
  ensurePrice(p: {
    lookupKey: string;
    name: string;
    unitAmount: number;
    currency: string;
    interval?: 'day' | 'week' | 'month' | 'year';
    account?: string;
  }): Price {
    const account = p.account ?? null;
    const existing = this.store.all<Price>('price', account).find((x) => x.lookup_key === p.lookupKey);
    if (existing) return snapshot(existing);
    const params: Params = {
      currency: p.currency,
      unit_amount: String(p.unitAmount),
      lookup_key: p.lookupKey,
      product_data: { name: p.name },
      ...(p.interval ? { recurring: { interval: p.interval } } : {}),
    };
    return snapshot(createPrice(this.world, account, new ParamReader(params)));
  }

  /** Moves a connected account to `pending`, `enabled` (charges and payouts) or `restricted` (`account.updated`). */
  async setAccountState(accountId: string, state: AccountState): Promise<Account> {
    const account = this.store.get<Account>('account', accountId, null);
    setAccountState(this.world, account, state);
    await this.settle();
    return snapshot(account);
  }

  /** Any object by id, wherever it lives (a copy): for assertions. */
  object<T extends StripeObject = StripeObject>(id: string): (T & { account: string | null }) | undefined {
    const found = this.store.locate(id);
    return found ? { ...(snapshot(found.obj) as T), account: found.account } : undefined;
  }

  async close(): Promise<void> {
    await this.settle();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ── Inside ─────────────────────────────────────────────────────────────────────────────────────

  private locate<T extends StripeObject>(id: string, object: string): { obj: T; account: string | null } {
    const found = this.store.locate<T>(id, object);
    if (!found) throw new SimulatorError(`no ${object} ${id}`);
    return found;
  }

  private chargeOf(paymentId: string): { charge: Charge; account: string | null } {
    const found = this.store.locate(paymentId);
    if (!found || (found.obj.object !== 'charge' && found.obj.object !== 'payment_intent')) {
      throw new SimulatorError(`no payment intent or charge ${paymentId}`);
    }
    const ref = found.obj.object === 'charge' ? { charge: paymentId } : { payment_intent: paymentId };
    return { charge: findCharge(this.world, found.account, ref), account: found.account };
  }

  private emit(
    type: string,
    obj: StripeObject,
    o: { account: string | null; previous?: Record<string, unknown> },
  ): void {
    const endpoints = this.deliveriesQueue.endpoints.filter(
      (e) =>
        e.connect === (o.account !== null) &&
        (e.enabledEvents.includes('*') || e.enabledEvents.includes(type)),
    );
    const event: StripeObject = {
      id: this.world.ids.next('evt'),
      object: 'event',
      ...(o.account !== null ? { account: o.account } : {}),
      api_version: API_VERSION,
      created: this.clock.now(),
      data: { object: snapshot(obj), ...(o.previous ? { previous_attributes: snapshot(o.previous) } : {}) },
      livemode: false,
      pending_webhooks: endpoints.length,
      request: { id: this.request?.id ?? null, idempotency_key: this.request?.idempotencyKey ?? null },
      type,
    };
    this.store.add(event, o.account);
    this.deliveriesQueue.enqueue({ id: event.id, type }, o.account, JSON.stringify(event, null, 2));
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(request.url ?? '/', this.url);
      if (url.pathname.startsWith('/v1/')) {
        await this.api.handle(request, response, body);
        return;
      }
      this.answerPage(response, this.page(request.method ?? 'GET', url, new URLSearchParams(body)));
      await this.settle();
    } catch (error) {
      this.internalErrors.push(error instanceof Error ? error : new Error(String(error)));
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('simulator error');
    }
  }

  private page(method: string, url: URL, form: URLSearchParams): PageAnswer {
    const [, area, kind, id, action] = url.pathname.split('/');
    const query = url.searchParams;
    if (area === 'c' && kind === 'pay' && id) {
      return checkoutPage(this.world, id, method, form, {
        platformName: this.options.platformName ?? 'Guildmint',
        dunning: this.dunning,
      });
    }
    if (area === 'p' && kind === 'session' && id) {
      return portalPage(this.world, id, action, method, method === 'POST' ? form : query, {
        dunning: this.dunning,
        changes: this.subscriptionChanges,
        lookupKeys: this.options.portalLookupKeys ?? null,
      });
    }
    if (area === 'connect' && kind === 'onboarding' && id)
      return onboardingPage(this.world, id, method, form);
    if (area === 'invoices' && kind) return invoicePage(this.world, kind);
    return { status: 404, html: 'Not found' };
  }

  private answerPage(response: ServerResponse, answer: PageAnswer): void {
    if ('redirect' in answer) {
      response.writeHead(303, { location: answer.redirect });
      response.end();
      return;
    }
    response.writeHead(answer.status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    });
    response.end(answer.html);
  }
}
