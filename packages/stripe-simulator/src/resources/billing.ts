import { badState, invalidParam } from '../errors.js';
import { LIST_PARAMS, page } from '../http/list.js';
import type { Route } from '../http/route.js';
import type { StripeObject } from '../store.js';
import { snapshot, type World } from '../world.js';
import type { Customer } from './customers.js';
import { collectPayment } from './payments.js';
import type { Price } from './prices.js';

export interface SubscriptionItem extends StripeObject {
  object: 'subscription_item';
  price: Price;
  quantity: number;
  current_period_start: number;
  current_period_end: number;
}

export interface Subscription extends StripeObject {
  object: 'subscription';
  status: 'trialing' | 'active' | 'past_due' | 'unpaid' | 'canceled' | 'incomplete';
  customer: string;
  items: { object: 'list'; data: SubscriptionItem[]; has_more: false; url: string };
  cancel_at_period_end: boolean;
  canceled_at: number | null;
  ended_at: number | null;
  default_payment_method: string | null;
  latest_invoice: string | null;
  metadata: Record<string, string>;
  trial_end: number | null;
}

export interface Invoice extends StripeObject {
  object: 'invoice';
  status: 'draft' | 'open' | 'paid' | 'uncollectible' | 'void';
  customer: string;
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  attempt_count: number;
  next_payment_attempt: number | null;
  parent: {
    type: 'subscription_details';
    quote_details: null;
    subscription_details: { subscription: string; metadata: Record<string, string> };
  };
  lines: { object: 'list'; data: StripeObject[]; has_more: false; url: string };
}

/** How dunning ends: retries after a failed renewal (days after the previous try), then the final status. */
export interface DunningSettings {
  retryAfterDays: readonly number[];
  finally: 'canceled' | 'unpaid';
}

/** One subscription change, as the simulator saw it (the proration behaviour asked for and what it cost). */
export interface SubscriptionChange {
  subscription: string;
  at: number;
  fromPrice: string;
  toPrice: string;
  prorationBehavior: 'create_prorations' | 'none' | 'always_invoice';
  /** Net proration in minor units: (new − old) × unused seconds ÷ period seconds, truncated toward zero. */
  prorationAmount: number;
}

const DAY = 86_400;

/** The end of a period that starts at `start`, by calendar (a month from Jan 31 is the last day of Feb). */
export function addInterval(start: number, interval: string, count: number): number {
  if (interval === 'day') return start + count * DAY;
  if (interval === 'week') return start + count * 7 * DAY;
  const d = new Date(start * 1000);
  const months = interval === 'year' ? 12 * count : count;
  const target = new Date(
    Date.UTC(
      d.getUTCFullYear(),
      d.getUTCMonth() + months,
      1,
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
    ),
  );
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return Math.floor(target.getTime() / 1000);
}

export const periodOf = (sub: Subscription): { start: number; end: number } => {
  const item = sub.items.data[0] as SubscriptionItem;
  return { start: item.current_period_start, end: item.current_period_end };
};

function line(
  world: World,
  sub: Subscription,
  item: SubscriptionItem,
  o: { amount: number; description: string; start: number; end: number; proration: boolean },
): StripeObject {
  return {
    id: world.ids.next('il'),
    object: 'line_item',
    amount: o.amount,
    currency: item.price.currency,
    description: o.description,
    livemode: false,
    metadata: {},
    parent: {
      type: 'subscription_item_details',
      subscription_item_details: { proration: o.proration, subscription: sub.id, subscription_item: item.id },
    },
    period: { end: o.end, start: o.start },
    pricing: {
      price_details: { price: item.price.id, product: item.price.product },
      type: 'price_details',
      unit_amount_decimal: String(item.price.unit_amount),
    },
    quantity: item.quantity,
  };
}

function periodLines(world: World, sub: Subscription, trial: boolean): StripeObject[] {
  return sub.items.data.map((item) =>
    line(world, sub, item, {
      amount: trial ? 0 : item.price.unit_amount * item.quantity,
      description: `${item.quantity} × ${item.price.nickname ?? item.price.lookup_key ?? item.price.id}${trial ? ' (trial)' : ''}`,
      start: item.current_period_start,
      end: item.current_period_end,
      proration: false,
    }),
  );
}

/**
 * Bills a subscription: an invoice (created, finalized) charged to its payment method at once. Paid:
 * `invoice.paid`; failed: `invoice.payment_failed`, a retry scheduled by the dunning settings.
 */
function invoiceAndCharge(
  world: World,
  account: string | null,
  sub: Subscription,
  lines: StripeObject[],
  reason: 'subscription_create' | 'subscription_cycle' | 'subscription_update',
  dunning: DunningSettings,
): Invoice {
  const now = world.clock.now();
  const customer = world.store.get<Customer>('customer', sub.customer, account);
  const total = lines.reduce((sum, l) => sum + (l.amount as number), 0);
  // A net credit (a downgrade billed at once) goes to the customer's balance, as on Stripe.
  const due = Math.max(0, total + (customer.balance as number));
  const previousBalance = customer.balance as number;
  customer.balance = Math.min(0, total + previousBalance);
  const invoice = world.store.add<Invoice>(
    {
      id: world.ids.next('in'),
      object: 'invoice',
      account_country: 'US',
      amount_due: due,
      amount_paid: 0,
      amount_remaining: due,
      attempt_count: 0,
      attempted: false,
      auto_advance: true,
      billing_reason: reason,
      collection_method: 'charge_automatically',
      created: now,
      currency: sub.currency,
      customer: sub.customer,
      customer_email: customer.email,
      description: null,
      effective_at: now,
      ending_balance: customer.balance,
      hosted_invoice_url: '',
      lines: { object: 'list', data: lines, has_more: false, url: '' },
      livemode: false,
      metadata: {},
      next_payment_attempt: null,
      number: `${customer.invoice_prefix}-${String(world.store.all('invoice', account).length + 1).padStart(4, '0')}`,
      parent: {
        type: 'subscription_details',
        quote_details: null,
        subscription_details: { metadata: { ...sub.metadata }, subscription: sub.id },
      },
      period_end: (lines[0]?.period as { end: number } | undefined)?.end ?? now,
      period_start: (lines[0]?.period as { start: number } | undefined)?.start ?? now,
      starting_balance: previousBalance,
      status: 'open',
      status_transitions: {
        finalized_at: now,
        marked_uncollectible_at: null,
        paid_at: null,
        voided_at: null,
      },
      subtotal: total,
      total,
    },
    account,
  );
  invoice.hosted_invoice_url = `${world.baseUrl()}/invoices/${invoice.id}`;
  invoice.lines.url = `/v1/invoices/${invoice.id}/lines`;
  sub.latest_invoice = invoice.id;
  world.emit('invoice.created', invoice, { account });
  world.emit('invoice.finalized', invoice, { account });
  attemptInvoice(world, account, sub, invoice, dunning);
  return invoice;
}

/** One payment attempt on an open invoice; true when it is paid. */
export function attemptInvoice(
  world: World,
  account: string | null,
  sub: Subscription,
  invoice: Invoice,
  dunning: DunningSettings,
): boolean {
  const now = world.clock.now();
  invoice.attempt_count += 1;
  invoice.attempted = true;
  invoice.next_payment_attempt = null;
  let paid = invoice.amount_due === 0;
  if (!paid) {
    const method =
      sub.default_payment_method ??
      world.store.get<Customer>('customer', sub.customer, account).invoice_settings.default_payment_method;
    if (method) {
      try {
        collectPayment(world, account, {
          amount: invoice.amount_due,
          currency: invoice.currency as string,
          customer: sub.customer,
          paymentMethod: method,
          description: `Invoice ${invoice.number as string}`,
          metadata: {},
          applicationFeeAmount: null,
        });
        paid = true;
      } catch (error) {
        if (!(error instanceof Error && 'type' in error && error.type === 'card_error')) throw error;
      }
    }
  }
  if (paid) {
    invoice.status = 'paid';
    invoice.amount_paid = invoice.amount_due;
    invoice.amount_remaining = 0;
    (invoice.status_transitions as Record<string, number | null>).paid_at = now;
    world.emit('invoice.paid', invoice, { account });
    world.emit('invoice.payment_succeeded', invoice, { account });
    return true;
  }
  const wait = dunning.retryAfterDays[invoice.attempt_count - 1];
  invoice.next_payment_attempt = wait === undefined ? null : now + wait * DAY;
  world.emit('invoice.payment_failed', invoice, { account });
  return false;
}

function setStatus(
  world: World,
  account: string | null,
  sub: Subscription,
  status: Subscription['status'],
  extra: Record<string, unknown> = {},
): void {
  const previous: Record<string, unknown> = { status: sub.status };
  for (const key of Object.keys(extra)) previous[key] = sub[key];
  sub.status = status;
  Object.assign(sub, extra);
  world.emit(status === 'canceled' ? 'customer.subscription.deleted' : 'customer.subscription.updated', sub, {
    account,
    previous,
  });
}

/** A subscription as Checkout creates it: trialing (a $0 invoice) or active with its first invoice paid. */
export function startSubscription(
  world: World,
  account: string | null,
  o: {
    customer: string;
    items: Array<{ price: Price; quantity: number }>;
    trialPeriodDays: number | null;
    metadata: Record<string, string>;
    paymentMethod: string;
    dunning: DunningSettings;
  },
): Subscription {
  const now = world.clock.now();
  const first = o.items[0] as { price: Price };
  const recurring = first.price.recurring as NonNullable<Price['recurring']>;
  const trialEnd = o.trialPeriodDays ? now + o.trialPeriodDays * DAY : null;
  const periodEnd = trialEnd ?? addInterval(now, recurring.interval, recurring.interval_count);
  const id = world.ids.next('sub');
  const sub: Subscription = {
    id,
    object: 'subscription',
    application_fee_percent: null,
    billing_cycle_anchor: periodEnd,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, reason: null },
    collection_method: 'charge_automatically',
    created: now,
    currency: first.price.currency,
    customer: o.customer,
    default_payment_method: o.paymentMethod,
    ended_at: null,
    items: {
      object: 'list',
      data: o.items.map((item) => ({
        id: world.ids.next('si'),
        object: 'subscription_item',
        created: now,
        current_period_end: periodEnd,
        current_period_start: now,
        metadata: {},
        price: snapshot(item.price),
        quantity: item.quantity,
        subscription: id,
      })),
      has_more: false,
      url: `/v1/subscription_items?subscription=${id}`,
    },
    latest_invoice: null,
    livemode: false,
    metadata: o.metadata,
    pending_update: null,
    start_date: now,
    status: trialEnd ? 'trialing' : 'active',
    trial_end: trialEnd,
    trial_start: trialEnd ? now : null,
  };
  world.store.add(sub, account);
  world.emit('customer.subscription.created', sub, { account });
  invoiceAndCharge(
    world,
    account,
    sub,
    periodLines(world, sub, trialEnd !== null),
    'subscription_create',
    o.dunning,
  );
  return sub;
}

/**
 * The subscription's period ends: cancelled if it was set to end then; otherwise the next period is billed
 * (a trial becomes active; a failed payment makes it past_due and starts dunning).
 */
export function renewSubscription(
  world: World,
  account: string | null,
  sub: Subscription,
  dunning: DunningSettings,
): void {
  const now = world.clock.now();
  if (sub.cancel_at_period_end) {
    setStatus(world, account, sub, 'canceled', { ended_at: now, canceled_at: sub.canceled_at ?? now });
    return;
  }
  const previousPeriod = periodOf(sub);
  for (const item of sub.items.data) {
    const recurring = item.price.recurring as NonNullable<Price['recurring']>;
    item.current_period_start = item.current_period_end;
    item.current_period_end = addInterval(
      item.current_period_start,
      recurring.interval,
      recurring.interval_count,
    );
  }
  const prorations = world.hidden.pendingProrations.get(sub.id) ?? [];
  world.hidden.pendingProrations.delete(sub.id);
  const invoice = invoiceAndCharge(
    world,
    account,
    sub,
    [...prorations, ...periodLines(world, sub, false)],
    'subscription_cycle',
    dunning,
  );
  const status = invoice.status === 'paid' ? 'active' : 'past_due';
  const previous: Record<string, unknown> = {
    items: { data: [{ current_period_start: previousPeriod.start, current_period_end: previousPeriod.end }] },
    latest_invoice: invoice.id,
  };
  if (status !== sub.status) previous.status = sub.status;
  sub.status = status;
  world.emit('customer.subscription.updated', sub, { account, previous });
}

/** A scheduled retry of an open invoice (dunning); the last failure ends the subscription as configured. */
export function retryInvoice(
  world: World,
  account: string | null,
  invoice: Invoice,
  dunning: DunningSettings,
): void {
  const sub = world.store.get<Subscription>(
    'subscription',
    invoice.parent.subscription_details.subscription,
    account,
  );
  if (attemptInvoice(world, account, sub, invoice, dunning)) {
    if (sub.status === 'past_due' || sub.status === 'unpaid') setStatus(world, account, sub, 'active');
    return;
  }
  if (invoice.next_payment_attempt === null && sub.status !== 'canceled') {
    if (dunning.finally === 'canceled')
      setStatus(world, account, sub, 'canceled', {
        ended_at: world.clock.now(),
        canceled_at: world.clock.now(),
      });
    else setStatus(world, account, sub, 'unpaid');
  }
}

/** Pays the subscription's open invoices with its (new) payment method now: a card updated in the portal. */
export function payOpenInvoices(
  world: World,
  account: string | null,
  sub: Subscription,
  dunning: DunningSettings,
): void {
  const open = world.store
    .all<Invoice>('invoice', account)
    .filter((i) => i.status === 'open' && i.parent.subscription_details.subscription === sub.id);
  for (const invoice of open) {
    const next = invoice.next_payment_attempt;
    if (attemptInvoice(world, account, sub, invoice, dunning)) {
      if (sub.status === 'past_due' || sub.status === 'unpaid') setStatus(world, account, sub, 'active');
    } else {
      invoice.next_payment_attempt = next; // a manual attempt does not move the retry schedule
    }
  }
}

/** Switches the subscription's (first) item to another price, with the proration behaviour asked for. */
export function changePrice(
  world: World,
  account: string | null,
  sub: Subscription,
  o: {
    itemId?: string | undefined;
    price: Price;
    quantity?: number | undefined;
    prorationBehavior: SubscriptionChange['prorationBehavior'];
    dunning: DunningSettings;
  },
  changes: SubscriptionChange[],
): void {
  if (sub.status === 'canceled')
    throw badState('A canceled subscription can only update its cancellation_details and metadata.');
  const item = (o.itemId ? sub.items.data.find((i) => i.id === o.itemId) : sub.items.data[0]) as
    | SubscriptionItem
    | undefined;
  if (!item) throw invalidParam('items[0][id]', `Invalid subscription_item: ${o.itemId}`);
  if (!o.price.recurring)
    throw invalidParam(
      'items[0][price]',
      'The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.',
    );
  if (o.price.currency !== item.price.currency)
    throw invalidParam(
      'items[0][price]',
      'The price specified has a different currency from the subscription.',
    );
  const now = world.clock.now();
  const oldPrice = item.price;
  const oldQuantity = item.quantity;
  const quantity = o.quantity ?? item.quantity;
  const { start, end } = { start: item.current_period_start, end: item.current_period_end };
  const unused = Math.max(0, end - now);
  const span = Math.max(1, end - start);
  // Integer minor units: each side truncated toward zero, as a stated rule (Stripe rounds per line too).
  const credit = -Math.trunc((oldPrice.unit_amount * oldQuantity * unused) / span);
  const charge = Math.trunc((o.price.unit_amount * quantity * unused) / span);
  const trialing = sub.status === 'trialing';
  const previous = { items: { data: [{ id: item.id, price: snapshot(oldPrice), quantity: oldQuantity }] } };
  item.price = snapshot(o.price);
  item.quantity = quantity;
  const prorate = o.prorationBehavior !== 'none' && !trialing && unused > 0;
  changes.push({
    subscription: sub.id,
    at: now,
    fromPrice: oldPrice.id,
    toPrice: o.price.id,
    prorationBehavior: o.prorationBehavior,
    prorationAmount: prorate ? credit + charge : 0,
  });
  world.emit('customer.subscription.updated', sub, { account, previous });
  if (!prorate) return;
  const lines = [
    line(
      world,
      sub,
      { ...item, price: oldPrice, quantity: oldQuantity },
      {
        amount: credit,
        description: `Unused time on ${oldPrice.lookup_key ?? oldPrice.id}`,
        start: now,
        end,
        proration: true,
      },
    ),
    line(world, sub, item, {
      amount: charge,
      description: `Remaining time on ${o.price.lookup_key ?? o.price.id}`,
      start: now,
      end,
      proration: true,
    }),
  ];
  if (o.prorationBehavior === 'always_invoice') {
    invoiceAndCharge(world, account, sub, lines, 'subscription_update', o.dunning);
  } else {
    world.hidden.pendingProrations.set(sub.id, [
      ...(world.hidden.pendingProrations.get(sub.id) ?? []),
      ...lines,
    ]);
  }
}

/** Cancels now (`customer.subscription.deleted`) or sets/clears cancel at period end. */
export function cancelSubscription(
  world: World,
  account: string | null,
  sub: Subscription,
  atPeriodEnd: boolean | 'resume',
): void {
  if (sub.status === 'canceled') {
    throw badState(`No such subscription: '${sub.id}'; it has been canceled.`);
  }
  const now = world.clock.now();
  if (atPeriodEnd === true || atPeriodEnd === 'resume') {
    const value = atPeriodEnd === true;
    if (sub.cancel_at_period_end === value) return;
    const previous = {
      cancel_at_period_end: sub.cancel_at_period_end,
      cancel_at: sub.cancel_at,
      canceled_at: sub.canceled_at,
    };
    sub.cancel_at_period_end = value;
    sub.cancel_at = value ? periodOf(sub).end : null;
    sub.canceled_at = value ? now : null;
    world.emit('customer.subscription.updated', sub, { account, previous });
    return;
  }
  setStatus(world, account, sub, 'canceled', {
    ended_at: now,
    canceled_at: now,
    cancel_at_period_end: false,
  });
}

export function billingRoutes(o: { dunning: DunningSettings; changes: SubscriptionChange[] }): Route[] {
  return [
    {
      method: 'GET',
      path: '/v1/subscriptions/:id',
      handle: ({ world, account, path, params }) => {
        params.only([]);
        return world.store.get('subscription', path.id as string, account);
      },
    },
    {
      method: 'GET',
      path: '/v1/subscriptions',
      handle: ({ world, account, params, url }) => {
        params.only([...LIST_PARAMS, 'customer', 'status', 'price']);
        const customer = params.string('customer');
        const status = params.string('status');
        const price = params.string('price');
        const items = world.store.all<Subscription>('subscription', account).filter(
          (s) =>
            (customer === undefined || s.customer === customer) &&
            // Stripe's default hides canceled subscriptions; `all` shows every one.
            (status === 'all' || (status === undefined ? s.status !== 'canceled' : s.status === status)) &&
            (price === undefined || s.items.data.some((i) => i.price.id === price)),
        );
        return page(items, params, url);
      },
    },
    {
      method: 'POST',
      path: '/v1/subscriptions/:id',
      handle: ({ world, account, path, params }) => {
        params.only([
          'items',
          'proration_behavior',
          'cancel_at_period_end',
          'metadata',
          'cancellation_details',
        ]);
        const sub = world.store.get<Subscription>('subscription', path.id as string, account);
        const behavior =
          params.oneOf('proration_behavior', ['create_prorations', 'none', 'always_invoice'] as const) ??
          'create_prorations';
        const items = params.list('items');
        if (items.length > 1)
          throw invalidParam('items', 'The simulator changes one subscription item per update.');
        const metadata = params.metadata('metadata', sub.metadata);
        if (JSON.stringify(metadata) !== JSON.stringify(sub.metadata)) {
          const previous = { metadata: sub.metadata };
          sub.metadata = metadata;
          world.emit('customer.subscription.updated', sub, { account, previous });
        }
        const item = items[0]?.only(['id', 'price', 'quantity']);
        if (item?.has('price')) {
          const price = world.store.get<Price>(
            'price',
            item.requiredString('price'),
            account,
            'items[0][price]',
          );
          changePrice(
            world,
            account,
            sub,
            {
              itemId: item.string('id'),
              price,
              quantity: item.integer('quantity'),
              prorationBehavior: behavior,
              dunning: o.dunning,
            },
            o.changes,
          );
        }
        const atEnd = params.boolean('cancel_at_period_end');
        if (atEnd !== undefined) cancelSubscription(world, account, sub, atEnd ? true : 'resume');
        return sub;
      },
    },
    {
      method: 'DELETE',
      path: '/v1/subscriptions/:id',
      handle: ({ world, account, path, params }) => {
        params.only(['invoice_now', 'prorate', 'cancellation_details']);
        const sub = world.store.get<Subscription>('subscription', path.id as string, account);
        cancelSubscription(world, account, sub, false);
        return sub;
      },
    },
    {
      method: 'GET',
      path: '/v1/invoices/:id',
      handle: ({ world, account, path, params }) => {
        params.only([]);
        return world.store.get('invoice', path.id as string, account);
      },
    },
    {
      method: 'GET',
      path: '/v1/invoices',
      handle: ({ world, account, params, url }) => {
        params.only([...LIST_PARAMS, 'customer', 'subscription', 'status']);
        const customer = params.string('customer');
        const subscription = params.string('subscription');
        const status = params.string('status');
        const items = world.store
          .all<Invoice>('invoice', account)
          .filter(
            (i) =>
              (customer === undefined || i.customer === customer) &&
              (subscription === undefined || i.parent.subscription_details.subscription === subscription) &&
              (status === undefined || i.status === status),
          );
        return page(items, params, url);
      },
    },
  ];
}
