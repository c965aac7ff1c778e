import { canAttach, chargeOutcome } from '../cards.js';
import { badState, invalidParam, missingParam, SimulatorError, StripeApiError } from '../errors.js';
import { LIST_PARAMS, page } from '../http/list.js';
import type { ParamReader } from '../http/params.js';
import type { Route } from '../http/route.js';
import type { StripeObject } from '../store.js';
import { snapshot, type World } from '../world.js';
import type { Account } from './accounts.js';
import { type DunningSettings, startSubscription } from './billing.js';
import { type Customer, createCustomer } from './customers.js';
import {
  collectPayment,
  createCardPaymentMethod,
  createDelayedPaymentMethod,
  type PaymentIntent,
  settleProcessingIntent,
} from './payments.js';
import { createPrice, type Price } from './prices.js';

export interface CheckoutSession extends StripeObject {
  object: 'checkout.session';
  mode: 'payment' | 'subscription';
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid' | 'no_payment_required';
  amount_total: number;
  currency: string;
  customer: string | null;
  customer_email: string | null;
  success_url: string;
  cancel_url: string | null;
  url: string | null;
  payment_intent: string | null;
  subscription: string | null;
  payment_method_types: string[];
  expires_at: number;
}

/** How a test (or the hosted page) pays: a test card number, or the delayed bank debit. */
export type PaymentChoice =
  | { card: string; email?: string | undefined }
  | { delayed: true; email?: string | undefined };

export type PayResult =
  | { outcome: 'paid' | 'processing'; session: CheckoutSession }
  | { outcome: 'declined'; message: string; declineCode: string; session: CheckoutSession };

const DELAYED_METHODS = ['sepa_debit', 'us_bank_account'];
const METHODS = ['card', ...DELAYED_METHODS] as const;

/** Whether the page offers the delayed bank debit: payment mode, with a delayed method allowed. */
export const offersDelayed = (session: CheckoutSession): boolean =>
  session.mode === 'payment' && session.payment_method_types.some((m) => DELAYED_METHODS.includes(m));

function lineItems(world: World, account: string | null, p: ParamReader, mode: string): StripeObject[] {
  const items = p.list('line_items');
  if (items.length === 0) throw missingParam('line_items');
  return items.map((item, i) => {
    item.only(['price', 'price_data', 'quantity']);
    const priceId = item.string('price');
    const priceData = item.object('price_data');
    if ((priceId === undefined) === (priceData === undefined)) {
      throw invalidParam(
        `line_items[${i}]`,
        'You must specify either `price` or `price_data` for each line item.',
      );
    }
    const price = priceId
      ? world.store.get<Price>('price', priceId, account, `line_items[${i}][price]`)
      : createPrice(
          world,
          account,
          (priceData as ParamReader).only([
            'currency',
            'unit_amount',
            'product',
            'product_data',
            'recurring',
          ]),
          { inline: true },
        );
    if (priceId && !price.active)
      throw invalidParam(`line_items[${i}][price]`, `The price \`${price.id}\` is not active.`);
    if (mode === 'subscription' && !price.recurring) {
      throw invalidParam(
        `line_items[${i}]`,
        'You specified `subscription` mode but passed a one-time price. Use a recurring price.',
      );
    }
    if (mode === 'payment' && price.recurring) {
      throw invalidParam(
        `line_items[${i}]`,
        'You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.',
      );
    }
    const quantity = item.integer('quantity');
    if (quantity === undefined) throw missingParam(`line_items[${i}][quantity]`);
    if (quantity < 1) throw invalidParam(`line_items[${i}][quantity]`, 'Quantity must be at least 1.');
    const product = world.store.find(price.product, account);
    return {
      id: world.ids.next('li'),
      object: 'item',
      amount_discount: 0,
      amount_subtotal: price.unit_amount * quantity,
      amount_tax: 0,
      amount_total: price.unit_amount * quantity,
      currency: price.currency,
      description: (product?.name as string | undefined) ?? null,
      price: snapshot(price),
      quantity,
    };
  });
}

export function createSession(world: World, account: string | null, p: ParamReader): CheckoutSession {
  p.only([
    'mode',
    'line_items',
    'success_url',
    'cancel_url',
    'customer',
    'customer_email',
    'client_reference_id',
    'metadata',
    'payment_intent_data',
    'subscription_data',
    'expires_at',
    'payment_method_types',
    'allow_promotion_codes',
    'customer_creation',
    'locale',
    'billing_address_collection',
    'ui_mode',
  ]);
  const mode = p.oneOf('mode', ['payment', 'subscription'] as const);
  if (!mode) throw missingParam('mode');
  if (p.oneOf('ui_mode', ['hosted'] as const) === undefined && p.has('ui_mode'))
    throw invalidParam('ui_mode', 'Only the hosted page is simulated.');
  if (account !== null) {
    const connected = world.store.get<Account>('account', account, null);
    if (!connected.charges_enabled) {
      throw new StripeApiError(
        400,
        'invalid_request_error',
        `This account (${account}) cannot currently make charges: its onboarding is not complete (charges_enabled is false).`,
        {
          code: 'account_invalid',
        },
      );
    }
  }
  const successUrl = p.requiredString('success_url');
  const customer = p.string('customer') ?? null;
  const customerEmail = p.string('customer_email') ?? null;
  if (customer && customerEmail) {
    throw new StripeApiError(
      400,
      'invalid_request_error',
      'You may only specify one of these parameters: customer, customer_email.',
      {
        code: 'parameters_exclusive',
        param: 'customer_email',
      },
    );
  }
  if (customer) world.store.get<Customer>('customer', customer, account, 'customer');
  const items = lineItems(world, account, p, mode);
  const currencies = new Set(items.map((i) => i.currency));
  if (currencies.size > 1) throw invalidParam('line_items', 'All line items must use the same currency.');
  const total = items.reduce((sum, i) => sum + (i.amount_total as number), 0);
  const pid = p.object('payment_intent_data')?.only(['application_fee_amount', 'metadata', 'description']);
  if (pid && mode !== 'payment')
    throw invalidParam('payment_intent_data', '`payment_intent_data` can only be used in `payment` mode.');
  const fee = pid?.integer('application_fee_amount') ?? null;
  if (fee !== null && account === null) {
    throw invalidParam(
      'payment_intent_data[application_fee_amount]',
      'Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment (using an OAuth key or Stripe-Account header) or destination payment (using `transfer_data[destination]`).',
    );
  }
  if (fee !== null && fee > total)
    throw invalidParam(
      'payment_intent_data[application_fee_amount]',
      'The application fee cannot exceed the amount of the payment.',
    );
  const sd = p.object('subscription_data')?.only(['trial_period_days', 'metadata']);
  if (sd && mode !== 'subscription')
    throw invalidParam('subscription_data', '`subscription_data` can only be used in `subscription` mode.');
  const trial = sd?.integer('trial_period_days') ?? null;
  if (trial !== null && (trial < 1 || trial > 730))
    throw invalidParam('subscription_data[trial_period_days]', 'Trials must be between 1 and 730 days.');
  const now = world.clock.now();
  const expiresAt = p.integer('expires_at') ?? now + 24 * 3600;
  if (expiresAt < now + 30 * 60 || expiresAt > now + 24 * 3600) {
    throw invalidParam(
      'expires_at',
      'The `expires_at` timestamp must be between 30 minutes and 24 hours from now.',
    );
  }
  const methods = p.strings('payment_method_types');
  for (const [i, m] of methods.entries()) {
    if (!(METHODS as readonly string[]).includes(m))
      throw invalidParam(`payment_method_types[${i}]`, `The payment method type \`${m}\` is not simulated.`);
  }
  const id = world.ids.next('cs_test');
  const session: CheckoutSession = {
    id,
    object: 'checkout.session',
    after_expiration: null,
    allow_promotion_codes: p.boolean('allow_promotion_codes') ?? null,
    amount_subtotal: total,
    amount_total: total,
    cancel_url: p.string('cancel_url') ?? null,
    client_reference_id: p.string('client_reference_id') ?? null,
    created: now,
    currency: items[0]?.currency as string,
    customer,
    customer_creation: customer
      ? null
      : mode === 'subscription'
        ? 'always'
        : (p.oneOf('customer_creation', ['always', 'if_required'] as const) ?? 'if_required'),
    customer_details: null,
    customer_email: customerEmail,
    expires_at: expiresAt,
    invoice: null,
    livemode: false,
    locale: p.string('locale') ?? null,
    metadata: p.metadata(),
    mode,
    payment_intent: null,
    payment_method_types:
      methods.length > 0 ? methods : mode === 'payment' ? ['card', 'sepa_debit'] : ['card'],
    payment_status: 'unpaid',
    status: 'open',
    subscription: null,
    success_url: successUrl,
    ui_mode: 'hosted',
    url: `${world.baseUrl()}/c/pay/${id}`,
  };
  world.store.add(session, account);
  world.hidden.sessions.set(id, {
    lineItems: items,
    trialPeriodDays: trial,
    subscriptionMetadata: sd?.metadata() ?? {},
    paymentIntentData: {
      applicationFeeAmount: fee,
      metadata: pid?.metadata() ?? {},
      description: pid?.string('description') ?? null,
    },
  });
  return session;
}

/** Where a paid session sends the browser: `success_url` with `{CHECKOUT_SESSION_ID}` filled in. */
export const successUrlOf = (session: CheckoutSession): string =>
  session.success_url.replaceAll('{CHECKOUT_SESSION_ID}', session.id);

/**
 * Pays an open session the way the hosted page does. A declined card changes nothing (the page says why);
 * otherwise the session completes (`checkout.session.completed`): paid, or `unpaid` while a delayed debit
 * is processing; in subscription mode with its customer, subscription and first invoice.
 */
export function paySession(
  world: World,
  account: string | null,
  session: CheckoutSession,
  choice: PaymentChoice,
  dunning: DunningSettings,
): PayResult {
  if (session.status !== 'open')
    throw new SimulatorError(`checkout session ${session.id} is ${session.status}, not open`);
  const plan = world.hidden.sessions.get(session.id);
  if (!plan) throw new SimulatorError(`checkout session ${session.id} has no plan`);
  const email =
    choice.email ??
    session.customer_email ??
    (session.customer
      ? (world.store.get<Customer>('customer', session.customer, account).email ?? null)
      : null) ??
    'customer@example.test';
  if ('delayed' in choice && !offersDelayed(session))
    throw new SimulatorError(`checkout session ${session.id} does not offer a delayed payment method`);
  if ('card' in choice) {
    const trialOnly = session.mode === 'subscription' && plan.trialPeriodDays !== null;
    const outcome = chargeOutcome(choice.card);
    if (!outcome.ok && !(trialOnly && canAttach(choice.card))) {
      return { outcome: 'declined', message: outcome.message, declineCode: outcome.declineCode, session };
    }
  }
  let customer = session.customer;
  if (!customer && session.customer_creation === 'always') {
    customer = createCustomer(world, account, { email }).id;
  }
  const method =
    'card' in choice
      ? createCardPaymentMethod(world, account, choice.card, customer)
      : createDelayedPaymentMethod(world, account, customer);
  const previous = { status: session.status, payment_status: session.payment_status };
  session.customer = customer;
  session.customer_details = {
    address: null,
    email,
    name: null,
    phone: null,
    tax_exempt: 'none',
    tax_ids: [],
  };
  if (session.mode === 'subscription') {
    const customerObj = world.store.get<Customer>('customer', customer as string, account);
    customerObj.invoice_settings.default_payment_method = method.id;
    const sub = startSubscription(world, account, {
      customer: customer as string,
      items: plan.lineItems.map((i) => ({ price: i.price as Price, quantity: i.quantity as number })),
      trialPeriodDays: plan.trialPeriodDays,
      metadata: plan.subscriptionMetadata,
      paymentMethod: method.id,
      dunning,
    });
    session.subscription = sub.id;
    session.invoice = sub.latest_invoice;
    session.payment_status = plan.trialPeriodDays !== null ? 'no_payment_required' : 'paid';
  } else {
    const { intent } = collectPayment(world, account, {
      amount: session.amount_total,
      currency: session.currency,
      customer,
      paymentMethod: method.id,
      description: plan.paymentIntentData.description,
      metadata: plan.paymentIntentData.metadata,
      applicationFeeAmount: plan.paymentIntentData.applicationFeeAmount,
    });
    session.payment_intent = intent.id;
    session.payment_status = intent.status === 'succeeded' ? 'paid' : 'unpaid';
  }
  session.status = 'complete';
  session.url = null;
  world.emit('checkout.session.completed', session, { account, previous });
  return { outcome: session.payment_status === 'unpaid' ? 'processing' : 'paid', session };
}

/** A delayed payment's outcome: `checkout.session.async_payment_succeeded` or `_failed`. */
export function settleDelayed(
  world: World,
  account: string | null,
  session: CheckoutSession,
  succeeded: boolean,
): CheckoutSession {
  if (session.status !== 'complete' || session.payment_status !== 'unpaid' || !session.payment_intent) {
    throw new SimulatorError(`checkout session ${session.id} has no delayed payment in progress`);
  }
  const intent = world.store.get<PaymentIntent>('payment_intent', session.payment_intent, account);
  settleProcessingIntent(world, account, intent, succeeded);
  const previous = { payment_status: session.payment_status };
  if (succeeded) session.payment_status = 'paid';
  world.emit(
    succeeded ? 'checkout.session.async_payment_succeeded' : 'checkout.session.async_payment_failed',
    session,
    { account, previous },
  );
  return session;
}

export function expireSession(
  world: World,
  account: string | null,
  session: CheckoutSession,
): CheckoutSession {
  if (session.status !== 'open')
    throw badState(
      `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
    );
  const previous = { status: session.status };
  session.status = 'expired';
  session.url = null;
  world.emit('checkout.session.expired', session, { account, previous });
  return session;
}

export const checkoutRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/checkout/sessions',
    handle: ({ world, account, params }) => createSession(world, account, params),
  },
  {
    method: 'GET',
    path: '/v1/checkout/sessions/:id',
    handle: ({ world, account, path, params }) => {
      params.only([]);
      return world.store.get('checkout.session', path.id as string, account);
    },
  },
  {
    method: 'GET',
    path: '/v1/checkout/sessions/:id/line_items',
    handle: ({ world, account, path, params, url }) => {
      params.only([...LIST_PARAMS]);
      const session = world.store.get('checkout.session', path.id as string, account);
      return page(world.hidden.sessions.get(session.id)?.lineItems ?? [], params, url);
    },
  },
  {
    method: 'POST',
    path: '/v1/checkout/sessions/:id/expire',
    handle: ({ world, account, path, params }) => {
      params.only([]);
      return expireSession(
        world,
        account,
        world.store.get<CheckoutSession>('checkout.session', path.id as string, account),
      );
    },
  },
  {
    method: 'GET',
    path: '/v1/checkout/sessions',
    handle: ({ world, account, params, url }) => {
      params.only([...LIST_PARAMS, 'customer', 'payment_intent', 'subscription', 'status']);
      const filters = ['customer', 'payment_intent', 'subscription', 'status'].map(
        (f) => [f, params.string(f)] as const,
      );
      const items = world.store
        .all('checkout.session', account)
        .filter((s) => filters.every(([f, v]) => v === undefined || s[f] === v));
      return page(items, params, url);
    },
  },
];
