import type { Account } from '../resources/accounts.js';
import type { Subscription } from '../resources/billing.js';
import type { CheckoutSession } from '../resources/checkout.js';
import type { Charge, Dispute } from '../resources/payments.js';
import type { StripeObject } from '../store.js';
import type { Delivery } from '../webhooks/deliveries.js';
import type { World } from '../world.js';
import { date, escapeHtml, layout, money } from './html.js';

/** What the dashboard's buttons do: the control API, by name (`pnpm dev` has no test to call it). */
export interface DashboardControls {
  settleDelayedPayment(sessionId: string, outcome: 'succeeded' | 'failed'): Promise<unknown>;
  refund(paymentId: string): Promise<unknown>;
  dispute(paymentId: string): Promise<unknown>;
  closeDispute(disputeId: string, outcome: 'won' | 'lost'): Promise<unknown>;
  renew(subscriptionId: string): Promise<unknown>;
  setCard(customerId: string, card: string): void;
  setAccountState(accountId: string, state: 'enabled' | 'restricted'): Promise<unknown>;
  redeliver(eventId: string): Promise<unknown>;
  advanceClock(seconds: number): Promise<void>;
}

/** Runs one dashboard button (`action`, `id`); false when the action is unknown. */
export async function dashboardAction(
  controls: DashboardControls,
  action: string,
  id: string,
): Promise<boolean> {
  const actions: Record<string, () => Promise<unknown>> = {
    'delayed-succeeds': () => controls.settleDelayedPayment(id, 'succeeded'),
    'delayed-fails': () => controls.settleDelayedPayment(id, 'failed'),
    refund: () => controls.refund(id),
    dispute: () => controls.dispute(id),
    'dispute-won': () => controls.closeDispute(id, 'won'),
    'dispute-lost': () => controls.closeDispute(id, 'lost'),
    renew: () => controls.renew(id),
    'card-fails': async () => controls.setCard(id, '4000000000000341'),
    enable: () => controls.setAccountState(id, 'enabled'),
    restrict: () => controls.setAccountState(id, 'restricted'),
    redeliver: () => controls.redeliver(id),
    'advance-day': () => controls.advanceClock(86_400),
  };
  const run = actions[action];
  if (!run) return false;
  await run();
  return true;
}

const button = (action: string, id: string, label: string) =>
  `<form method="post" action="/dashboard" style="display:inline"><input type="hidden" name="action" value="${escapeHtml(action)}"><input type="hidden" name="id" value="${escapeHtml(id)}"><button type="submit" class="secondary">${escapeHtml(label)}</button></form>`;

const rows = (items: string[]) => (items.length ? items.join('') : '<tr><td>none yet</td></tr>');

/**
 * `GET /`: what happened (sessions, payments, subscriptions, accounts, events and their deliveries) with the
 * buttons a test would press: settle a delayed payment, refund, dispute, renew, redeliver, advance the clock.
 */
export function dashboardPage(world: World, deliveries: readonly Delivery[], notice?: string): string {
  const every = <T extends StripeObject>(object: string) =>
    world.store.everywhere<T>(object).reverse().slice(0, 20);
  const where = (account: string | null) => escapeHtml(account ?? 'platform');
  const sessions = every<CheckoutSession>('checkout.session').map(({ obj, account }) => {
    const delayed = obj.status === 'complete' && obj.payment_status === 'unpaid' && obj.payment_intent;
    const actions = delayed
      ? button('delayed-succeeds', obj.id, 'Delayed payment succeeds') +
        button('delayed-fails', obj.id, 'fails')
      : '';
    return `<tr><td><code>${escapeHtml(obj.id.slice(0, 16))}…</code> ${escapeHtml(obj.mode)} · ${where(account)}</td><td>${escapeHtml(money(obj.amount_total, obj.currency))}</td><td>${escapeHtml(obj.status)} / ${escapeHtml(obj.payment_status)}</td><td>${actions}</td></tr>`;
  });
  const disputes = world.store.everywhere<Dispute>('dispute').map((d) => d.obj);
  const charges = every<Charge>('charge')
    .filter(({ obj }) => obj.status === 'succeeded')
    .map(({ obj, account }) => {
      const open = disputes.find(
        (d) => d.charge === obj.id && (d.status === 'needs_response' || d.status === 'under_review'),
      );
      const actions = open
        ? button('dispute-won', open.id, 'Dispute won') + button('dispute-lost', open.id, 'Dispute lost')
        : obj.refunded || obj.disputed
          ? ''
          : button('refund', obj.id, 'Refund') + button('dispute', obj.id, 'Dispute');
      return `<tr><td><code>${escapeHtml(obj.payment_intent)}</code> · ${where(account)}</td><td>${escapeHtml(money(obj.amount, obj.currency))}${obj.amount_refunded ? ` (refunded ${escapeHtml(money(obj.amount_refunded, obj.currency))})` : ''}</td><td>${obj.disputed ? 'disputed' : ''}</td><td>${actions}</td></tr>`;
    });
  const subscriptions = every<Subscription>('subscription').map(({ obj }) => {
    const item = obj.items.data[0];
    const live = obj.status !== 'canceled';
    return `<tr><td><code>${escapeHtml(obj.id)}</code> ${escapeHtml(item?.price.lookup_key ?? '')}</td><td>${escapeHtml(obj.status)}${obj.cancel_at_period_end ? ' (cancels at period end)' : ''}</td><td>${item ? `until ${escapeHtml(date(item.current_period_end))}` : ''}</td><td>${live ? button('renew', obj.id, 'Renew now') + button('card-fails', obj.customer, 'Make its card fail') : ''}</td></tr>`;
  });
  const accounts = every<Account>('account').map(({ obj }) => {
    const state = obj.charges_enabled ? 'enabled' : obj.details_submitted ? 'restricted' : 'pending';
    return `<tr><td><code>${escapeHtml(obj.id)}</code> ${escapeHtml(obj.email ?? '')}</td><td>${state}</td><td>${button('enable', obj.id, 'Enable')}${button('restrict', obj.id, 'Restrict')}</td></tr>`;
  });
  const events = every('event').map(({ obj, account }) => {
    const sent = deliveries.filter((d) => d.eventId === obj.id);
    const last = sent.at(-1);
    const status = last
      ? `${last.ok ? 'delivered' : 'failed'} (${last.status ?? last.error ?? ''}, ${sent.length} ${sent.length === 1 ? 'try' : 'tries'})`
      : 'no endpoint';
    return `<tr><td>${escapeHtml(obj.type)} · ${where(account)}</td><td>${escapeHtml(status)}</td><td>${sent.length ? button('redeliver', obj.id, 'Redeliver') : ''}</td></tr>`;
  });
  return layout(
    'Stripe simulator',
    `<h1>Stripe simulator</h1>
${notice ? `<p class="notice" role="status">${escapeHtml(notice)}</p>` : ''}
<p>Stripe's clock: ${escapeHtml(new Date(world.clock.now() * 1000).toISOString())} ${button('advance-day', '-', 'Advance one day')}</p>
<h2>Checkout sessions</h2><table>${rows(sessions)}</table>
<h2>Payments</h2><table>${rows(charges)}</table>
<h2>Subscriptions</h2><table>${rows(subscriptions)}</table>
<h2>Connected accounts</h2><table>${rows(accounts)}</table>
<h2>Events</h2><table>${rows(events)}</table>`,
    { wide: true },
  );
}
