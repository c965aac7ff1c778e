import {
  type DunningSettings,
  type Invoice,
  periodOf,
  renewSubscription,
  retryInvoice,
  type Subscription,
} from './resources/billing.js';
import { type CheckoutSession, expireSession } from './resources/checkout.js';
import type { StripeObject } from './store.js';
import type { World } from './world.js';

/** Something Stripe does by itself at a time on its clock. */
export interface Duty {
  at: number;
  run(): void;
}

function dueTimes<T extends StripeObject>(
  world: World,
  object: string,
  due: (obj: T) => number | null,
): Array<{ at: number; obj: T; account: string | null }> {
  return world.store.everywhere<T>(object).flatMap(({ obj, account }) => {
    const at = due(obj);
    return at === null ? [] : [{ at, obj, account }];
  });
}

const LIVE = ['active', 'trialing', 'past_due'];

/**
 * What the clock will do, each at its time: renew (or end) live subscriptions at their period end, retry
 * open invoices at `next_payment_attempt`, expire open Checkout sessions at `expires_at`. (Webhook retries are
 * the deliveries' own.)
 */
export function duties(world: World, dunning: DunningSettings): Duty[] {
  return [
    ...dueTimes<Subscription>(world, 'subscription', (s) =>
      LIVE.includes(s.status) ? periodOf(s).end : null,
    ).map(({ at, obj, account }) => ({ at, run: () => renewSubscription(world, account, obj, dunning) })),
    ...dueTimes<Invoice>(world, 'invoice', (i) => (i.status === 'open' ? i.next_payment_attempt : null)).map(
      ({ at, obj, account }) => ({ at, run: () => retryInvoice(world, account, obj, dunning) }),
    ),
    ...dueTimes<CheckoutSession>(world, 'checkout.session', (s) =>
      s.status === 'open' ? s.expires_at : null,
    ).map(({ at, obj, account }) => ({ at, run: () => expireSession(world, account, obj) })),
  ];
}
