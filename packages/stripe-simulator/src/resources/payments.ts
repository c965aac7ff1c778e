import { cardDigits, chargeOutcome } from '../cards.js';
import { badState, invalidParam, SimulatorError, StripeApiError } from '../errors.js';
import { LIST_PARAMS, page } from '../http/list.js';
import type { Route } from '../http/route.js';
import type { StripeObject } from '../store.js';
import type { World } from '../world.js';

export interface PaymentIntent extends StripeObject {
  object: 'payment_intent';
  amount: number;
  currency: string;
  status: 'processing' | 'succeeded' | 'requires_payment_method' | 'canceled';
  latest_charge: string | null;
  metadata: Record<string, string>;
  customer: string | null;
  application_fee_amount: number | null;
}

export interface Charge extends StripeObject {
  object: 'charge';
  amount: number;
  amount_refunded: number;
  currency: string;
  refunded: boolean;
  disputed: boolean;
  payment_intent: string;
  status: 'succeeded' | 'failed';
  metadata: Record<string, string>;
}

export interface Dispute extends StripeObject {
  object: 'dispute';
  status: 'needs_response' | 'under_review' | 'won' | 'lost';
  charge: string;
  amount: number;
}

/** A saved test card: what a Checkout payment or a portal card update leaves on the customer. */
export function createCardPaymentMethod(
  world: World,
  account: string | null,
  card: string,
  customer: string | null,
): StripeObject {
  const digits = cardDigits(card);
  const pm = world.store.add(
    {
      id: world.ids.next('pm'),
      object: 'payment_method',
      billing_details: { address: null, email: null, name: null, phone: null },
      card: {
        brand: 'visa',
        country: 'US',
        exp_month: 12,
        exp_year: new Date(world.clock.now() * 1000).getUTCFullYear() + 3,
        funding: 'credit',
        last4: digits.slice(-4),
      },
      created: world.clock.now(),
      customer,
      livemode: false,
      metadata: {},
      type: 'card',
    },
    account,
  );
  world.hidden.cards.set(pm.id, digits);
  return pm;
}

/** A bank debit whose outcome is known only later (`sim.settleDelayedPayment`): SEPA Direct Debit here. */
export function createDelayedPaymentMethod(
  world: World,
  account: string | null,
  customer: string | null,
): StripeObject {
  return world.store.add(
    {
      id: world.ids.next('pm'),
      object: 'payment_method',
      billing_details: { address: null, email: null, name: null, phone: null },
      created: world.clock.now(),
      customer,
      livemode: false,
      metadata: {},
      sepa_debit: { bank_code: '37040044', country: 'DE', last4: '3000' },
      type: 'sepa_debit',
    },
    account,
  );
}

export interface PaymentRequest {
  amount: number;
  currency: string;
  customer: string | null;
  paymentMethod: string;
  description: string | null;
  metadata: Record<string, string>;
  /** On a connected account only: the platform's cut, recorded as an application fee. */
  applicationFeeAmount: number | null;
}

/**
 * Charges a saved payment method. A card's outcome is immediate: a succeeded intent with its charge, or a
 * `requires_payment_method` intent, a failed charge and a StripeApiError (402, card_error) thrown after the
 * failure is recorded. A bank debit leaves the intent `processing` until `settleDelayedPayment`.
 */
export function collectPayment(
  world: World,
  account: string | null,
  r: PaymentRequest,
): { intent: PaymentIntent; charge: Charge | null } {
  const method = world.store.get('payment_method', r.paymentMethod, account, 'payment_method');
  const intent = world.store.add<PaymentIntent>(
    {
      id: world.ids.next('pi'),
      object: 'payment_intent',
      amount: r.amount,
      amount_received: 0,
      application_fee_amount: r.applicationFeeAmount,
      canceled_at: null,
      capture_method: 'automatic',
      created: world.clock.now(),
      currency: r.currency,
      customer: r.customer,
      description: r.description,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: r.metadata,
      payment_method: method.id,
      payment_method_types: [method.type],
      status: 'processing',
    },
    account,
  );
  if (method.type !== 'card') {
    world.emit('payment_intent.processing', intent, { account });
    return { intent, charge: null };
  }
  const outcome = chargeOutcome(world.hidden.cards.get(method.id) ?? '');
  const charge = recordCharge(world, account, intent, outcome.ok ? null : outcome);
  if (!outcome.ok) {
    throw new StripeApiError(402, 'card_error', outcome.message, {
      code: 'card_declined',
      decline_code: outcome.declineCode,
    });
  }
  return { intent, charge };
}

/** The delayed payment's outcome arrives: the intent succeeds (with its charge) or fails. */
export function settleProcessingIntent(
  world: World,
  account: string | null,
  intent: PaymentIntent,
  succeeded: boolean,
): Charge {
  if (intent.status !== 'processing')
    throw new SimulatorError(`payment intent ${intent.id} is ${intent.status}, not processing`);
  return recordCharge(
    world,
    account,
    intent,
    succeeded
      ? null
      : { declineCode: 'generic_decline', message: 'The bank debit failed (insufficient funds).' },
  );
}

function recordCharge(
  world: World,
  account: string | null,
  intent: PaymentIntent,
  failure: { declineCode: string; message: string } | null,
): Charge {
  const charge = world.store.add<Charge>(
    {
      id: world.ids.next('ch'),
      object: 'charge',
      amount: intent.amount,
      amount_captured: failure ? 0 : intent.amount,
      amount_refunded: 0,
      application_fee: null,
      application_fee_amount: intent.application_fee_amount,
      balance_transaction: null,
      captured: !failure,
      created: world.clock.now(),
      currency: intent.currency,
      customer: intent.customer,
      description: intent.description,
      disputed: false,
      failure_code: failure ? 'card_declined' : null,
      failure_message: failure ? failure.message : null,
      livemode: false,
      metadata: intent.metadata,
      outcome: failure
        ? {
            network_status: 'declined_by_network',
            reason: failure.declineCode,
            seller_message: 'The bank did not return any further details with this decline.',
            type: 'issuer_declined',
          }
        : {
            network_status: 'approved_by_network',
            reason: null,
            seller_message: 'Payment complete.',
            type: 'authorized',
          },
      paid: !failure,
      payment_intent: intent.id,
      payment_method: intent.payment_method,
      receipt_url: `${world.baseUrl()}/receipts/${intent.id}`,
      refunded: false,
      status: failure ? 'failed' : 'succeeded',
    },
    account,
  );
  intent.latest_charge = charge.id;
  if (failure) {
    intent.status = 'requires_payment_method';
    intent.last_payment_error = {
      code: 'card_declined',
      decline_code: failure.declineCode,
      message: failure.message,
      type: 'card_error',
    };
    world.emit('charge.failed', charge, { account });
    world.emit('payment_intent.payment_failed', intent, { account });
    return charge;
  }
  intent.status = 'succeeded';
  intent.amount_received = intent.amount;
  if (account !== null && intent.application_fee_amount) {
    const fee = world.store.add(
      {
        id: world.ids.next('fee'),
        object: 'application_fee',
        account,
        amount: intent.application_fee_amount,
        amount_refunded: 0,
        charge: charge.id,
        created: world.clock.now(),
        currency: intent.currency,
        livemode: false,
        refunded: false,
      },
      null,
    );
    charge.application_fee = fee.id;
    world.emit('application_fee.created', fee, { account: null });
  }
  world.emit('charge.succeeded', charge, { account });
  world.emit('payment_intent.succeeded', intent, { account });
  return charge;
}

/** The charge a refund or dispute is about: by charge id or by payment intent id. */
export function findCharge(
  world: World,
  account: string | null,
  ref: { charge?: string; payment_intent?: string },
): Charge {
  if (ref.charge) return world.store.get<Charge>('charge', ref.charge, account, 'charge');
  if (ref.payment_intent) {
    const intent = world.store.get<PaymentIntent>(
      'payment_intent',
      ref.payment_intent,
      account,
      'payment_intent',
    );
    if (!intent.latest_charge || intent.status !== 'succeeded') {
      throw badState(
        `This PaymentIntent (${intent.id}) does not have a successful charge to refund.`,
        'payment_intent',
      );
    }
    return world.store.get<Charge>('charge', intent.latest_charge, account);
  }
  throw badState('One of `charge` or `payment_intent` is required.');
}

/** Refunds part or all of a charge: `refund.created` and `charge.refunded`. */
export function refundCharge(
  world: World,
  account: string | null,
  charge: Charge,
  o: {
    amount?: number | undefined;
    reason?: string | undefined;
    metadata?: Record<string, string> | undefined;
  },
): StripeObject {
  if (charge.status !== 'succeeded')
    throw badState(`Charge ${charge.id} has not succeeded; there is nothing to refund.`);
  const disputes = world.store.all<Dispute>('dispute', account).filter((d) => d.charge === charge.id);
  if (disputes.some((d) => d.status !== 'won')) {
    throw new StripeApiError(
      400,
      'invalid_request_error',
      `Charge ${charge.id} has been disputed; it cannot be refunded.`,
      {
        code: 'charge_disputed',
      },
    );
  }
  const left = charge.amount - charge.amount_refunded;
  const amount = o.amount ?? left;
  if (left === 0) {
    throw new StripeApiError(400, 'invalid_request_error', `Charge ${charge.id} has already been refunded.`, {
      code: 'charge_already_refunded',
    });
  }
  if (amount < 1 || amount > left) {
    throw invalidParam(
      'amount',
      `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`,
    );
  }
  const refund = world.store.add(
    {
      id: world.ids.next('re'),
      object: 'refund',
      amount,
      balance_transaction: null,
      charge: charge.id,
      created: world.clock.now(),
      currency: charge.currency,
      metadata: o.metadata ?? {},
      payment_intent: charge.payment_intent,
      reason: o.reason ?? null,
      status: 'succeeded',
    },
    account,
  );
  const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount;
  world.emit('refund.created', refund, { account });
  world.emit('charge.refunded', charge, { account, previous });
  return refund;
}

/** A cardholder disputes a charge: `charge.dispute.created` (and the funds are withdrawn). */
export function openDispute(world: World, account: string | null, charge: Charge, reason: string): Dispute {
  if (charge.status !== 'succeeded')
    throw new SimulatorError(`charge ${charge.id} did not succeed; it cannot be disputed`);
  if (charge.disputed) throw new SimulatorError(`charge ${charge.id} is already disputed`);
  const now = world.clock.now();
  const dispute = world.store.add<Dispute>(
    {
      id: world.ids.next('dp'),
      object: 'dispute',
      amount: charge.amount - charge.amount_refunded,
      charge: charge.id,
      created: now,
      currency: charge.currency,
      evidence_details: {
        due_by: now + 7 * 86_400,
        has_evidence: false,
        past_due: false,
        submission_count: 0,
      },
      is_charge_refundable: false,
      livemode: false,
      metadata: {},
      payment_intent: charge.payment_intent,
      reason,
      status: 'needs_response',
    },
    account,
  );
  charge.disputed = true;
  world.emit('charge.dispute.created', dispute, { account });
  world.emit('charge.dispute.funds_withdrawn', dispute, { account });
  return dispute;
}

/** The bank decides: `charge.dispute.closed` with status won (funds reinstated) or lost. */
export function closeDispute(
  world: World,
  account: string | null,
  dispute: Dispute,
  outcome: 'won' | 'lost',
): Dispute {
  if (dispute.status === 'won' || dispute.status === 'lost')
    throw new SimulatorError(`dispute ${dispute.id} is already ${dispute.status}`);
  const previous = { status: dispute.status };
  dispute.status = outcome;
  world.emit('charge.dispute.closed', dispute, { account, previous });
  if (outcome === 'won') world.emit('charge.dispute.funds_reinstated', dispute, { account });
  return dispute;
}

const byField = (field: string, value: string | undefined) => (obj: StripeObject) =>
  value === undefined || obj[field] === value;

export const paymentRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/payment_intents/:id',
    handle: ({ world, account, path, params }) => {
      params.only(['client_secret']);
      return world.store.get('payment_intent', path.id as string, account);
    },
  },
  {
    method: 'GET',
    path: '/v1/payment_intents',
    handle: ({ world, account, params, url }) => {
      params.only([...LIST_PARAMS, 'customer']);
      return page(
        world.store.all('payment_intent', account).filter(byField('customer', params.string('customer'))),
        params,
        url,
      );
    },
  },
  {
    method: 'GET',
    path: '/v1/charges/:id',
    handle: ({ world, account, path, params }) => {
      params.only([]);
      return world.store.get('charge', path.id as string, account);
    },
  },
  {
    method: 'GET',
    path: '/v1/charges',
    handle: ({ world, account, params, url }) => {
      params.only([...LIST_PARAMS, 'customer', 'payment_intent']);
      const items = world.store
        .all('charge', account)
        .filter(byField('customer', params.string('customer')))
        .filter(byField('payment_intent', params.string('payment_intent')));
      return page(items, params, url);
    },
  },
  {
    method: 'POST',
    path: '/v1/refunds',
    handle: ({ world, account, params }) => {
      params.only([
        'charge',
        'payment_intent',
        'amount',
        'reason',
        'metadata',
        'refund_application_fee',
        'reverse_transfer',
      ]);
      const charge = findCharge(world, account, {
        ...(params.string('charge') ? { charge: params.string('charge') as string } : {}),
        ...(params.string('payment_intent')
          ? { payment_intent: params.string('payment_intent') as string }
          : {}),
      });
      return refundCharge(world, account, charge, {
        amount: params.integer('amount'),
        reason: params.oneOf('reason', ['duplicate', 'fraudulent', 'requested_by_customer'] as const),
        metadata: params.metadata(),
      });
    },
  },
  {
    method: 'GET',
    path: '/v1/refunds/:id',
    handle: ({ world, account, path, params }) => {
      params.only([]);
      return world.store.get('refund', path.id as string, account);
    },
  },
  {
    method: 'GET',
    path: '/v1/refunds',
    handle: ({ world, account, params, url }) => {
      params.only([...LIST_PARAMS, 'charge', 'payment_intent']);
      const items = world.store
        .all('refund', account)
        .filter(byField('charge', params.string('charge')))
        .filter(byField('payment_intent', params.string('payment_intent')));
      return page(items, params, url);
    },
  },
  {
    method: 'GET',
    path: '/v1/disputes/:id',
    handle: ({ world, account, path, params }) => {
      params.only([]);
      return world.store.get('dispute', path.id as string, account);
    },
  },
  {
    method: 'GET',
    path: '/v1/disputes',
    handle: ({ world, account, params, url }) => {
      params.only([...LIST_PARAMS, 'charge', 'payment_intent']);
      const items = world.store
        .all('dispute', account)
        .filter(byField('charge', params.string('charge')))
        .filter(byField('payment_intent', params.string('payment_intent')));
      return page(items, params, url);
    },
  },
  {
    method: 'GET',
    path: '/v1/application_fees/:id',
    handle: ({ world, account, path, params }) => {
      params.only([]);
      return world.store.get('application_fee', path.id as string, account);
    },
  },
];
