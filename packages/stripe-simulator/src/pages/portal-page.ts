import { canAttach } from '../cards.js';
import {
  cancelSubscription,
  changePrice,
  type DunningSettings,
  type Invoice,
  payOpenInvoices,
  type Subscription,
  type SubscriptionChange,
} from '../resources/billing.js';
import type { Customer } from '../resources/customers.js';
import { createCardPaymentMethod } from '../resources/payments.js';
import type { PortalSession } from '../resources/portal.js';
import type { Price } from '../resources/prices.js';
import type { World } from '../world.js';
import { date, escapeHtml, layout, money, type PageAnswer } from './html.js';

export interface PortalOptions {
  dunning: DunningSettings;
  changes: SubscriptionChange[];
  /** Lookup keys of the prices a customer may switch to; default: every active recurring price. */
  lookupKeys: readonly string[] | null;
}

const name = (world: World, account: string | null, price: Price) =>
  (world.store.find(price.product, account)?.name as string | undefined) ??
  price.nickname ??
  price.lookup_key ??
  price.id;

function switchable(world: World, account: string | null, sub: Subscription, o: PortalOptions): Price[] {
  const current = sub.items.data[0]?.price as Price;
  return world.store
    .all<Price>('price', account)
    .filter(
      (p) =>
        p.active &&
        p.recurring !== null &&
        p.id !== current.id &&
        p.currency === current.currency &&
        (o.lookupKeys === null || (p.lookup_key !== null && o.lookupKeys.includes(p.lookup_key))),
    )
    .sort((a, b) => a.unit_amount - b.unit_amount);
}

function render(
  world: World,
  account: string | null,
  portal: PortalSession,
  o: PortalOptions,
  notice?: string,
  error?: string,
): string {
  const customer = world.store.get<Customer>('customer', portal.customer, account);
  const base = `/p/session/${escapeHtml(portal.id)}`;
  const subs = world.store
    .all<Subscription>('subscription', account)
    .filter((s) => s.customer === customer.id && s.status !== 'canceled');
  const subscriptions = subs
    .map((sub) => {
      const item = sub.items.data[0];
      if (!item) return '';
      const price = item.price;
      const state = sub.cancel_at_period_end
        ? `cancels on ${date(item.current_period_end)}`
        : `renews on ${date(item.current_period_end)}`;
      const options = switchable(world, account, sub, o)
        .map(
          (
            p,
          ) => `<form method="post" action="${base}/switch"><input type="hidden" name="subscription" value="${escapeHtml(sub.id)}"><input type="hidden" name="price" value="${escapeHtml(p.id)}">
<button type="submit" class="secondary">Switch to ${escapeHtml(name(world, account, p))} (${escapeHtml(money(p.unit_amount, p.currency))} per ${escapeHtml(p.recurring?.interval)})</button></form>`,
        )
        .join('');
      const cancel = sub.cancel_at_period_end
        ? `<form method="post" action="${base}/renew"><input type="hidden" name="subscription" value="${escapeHtml(sub.id)}"><button type="submit">Renew plan</button></form>`
        : `<form method="post" action="${base}/cancel"><input type="hidden" name="subscription" value="${escapeHtml(sub.id)}"><button type="submit" class="secondary">Cancel plan</button></form>`;
      return `<section aria-label="Subscription ${escapeHtml(name(world, account, price))}"><h2>${escapeHtml(name(world, account, price))}</h2>
<p><span data-testid="plan-price">${escapeHtml(money(price.unit_amount * item.quantity, price.currency))} per ${escapeHtml(price.recurring?.interval)}</span> · <span data-testid="plan-status">${escapeHtml(sub.status)}</span> · ${escapeHtml(state)}</p>
${options}${cancel}</section>`;
    })
    .join('');
  const method = customer.invoice_settings.default_payment_method;
  const card = method
    ? (world.store.find(method, account)?.card as { last4: string } | undefined)
    : undefined;
  const invoices = world.store
    .all<Invoice>('invoice', account)
    .filter((i) => i.customer === customer.id)
    .map(
      (i) =>
        `<tr><td>${escapeHtml(date(i.created as number))}</td><td>${escapeHtml(i.number)}</td><td class="amount">${escapeHtml(money(i.amount_due, i.currency as string))}</td><td>${escapeHtml(i.status)}</td><td><a href="/invoices/${escapeHtml(i.id)}">View</a></td></tr>`,
    )
    .join('');
  return layout(
    'Billing',
    `<h1>Billing for ${escapeHtml(customer.email ?? customer.id)}</h1>
${notice ? `<p class="notice" role="status">${escapeHtml(notice)}</p>` : ''}${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
${subscriptions || '<p>No active subscription.</p>'}
<h2>Payment method</h2>
<p data-testid="card">${card ? `Card •••• ${escapeHtml(card.last4)}` : 'No card on file'}</p>
<form method="post" action="${base}/card"><label for="card">New card number</label><input type="text" id="card" name="card" inputmode="numeric" placeholder="4242 4242 4242 4242"><button type="submit">Update card</button></form>
<h2>Invoices</h2>
<table><thead><tr><th>Date</th><th>Number</th><th class="amount">Amount</th><th>Status</th><th></th></tr></thead><tbody>${invoices}</tbody></table>
${portal.return_url ? `<p><a href="${escapeHtml(portal.return_url)}">Return to ${escapeHtml(new URL(portal.return_url).host)}</a></p>` : ''}`,
  );
}

export function portalPage(
  world: World,
  sessionId: string,
  action: string | undefined,
  method: string,
  form: URLSearchParams,
  o: PortalOptions,
): PageAnswer {
  const located = world.store.locate<PortalSession>(sessionId, 'billing_portal.session');
  if (!located) {
    return { status: 404, html: layout('Not found', '<h1>Not found</h1><p>No such billing session.</p>') };
  }
  const portal = located.obj;
  const { account } = located;
  const back = (notice: string) => ({
    redirect: `/p/session/${portal.id}?notice=${encodeURIComponent(notice)}`,
  });
  if (method !== 'POST' || action === undefined) {
    return { status: 200, html: render(world, account, portal, o, form.get('notice') ?? undefined) };
  }
  const customer = world.store.get<Customer>('customer', portal.customer, account);
  if (action === 'card') {
    const number = form.get('card') ?? '';
    if (!canAttach(number))
      return { status: 200, html: render(world, account, portal, o, undefined, 'Your card was declined.') };
    const pm = createCardPaymentMethod(world, account, number, customer.id);
    world.emit('payment_method.attached', pm, { account });
    const previous = { invoice_settings: { ...customer.invoice_settings } };
    customer.invoice_settings.default_payment_method = pm.id;
    world.emit('customer.updated', customer, { account, previous });
    for (const sub of world.store
      .all<Subscription>('subscription', account)
      .filter((s) => s.customer === customer.id && s.status !== 'canceled')) {
      sub.default_payment_method = pm.id;
      payOpenInvoices(world, account, sub, o.dunning);
    }
    return back('Card updated.');
  }
  const sub = world.store.find<Subscription>(form.get('subscription') ?? '', account);
  if (sub?.object !== 'subscription' || sub.customer !== customer.id) {
    return {
      status: 400,
      html: layout('Billing', '<h1>Billing</h1><p role="alert">No such subscription for this customer.</p>'),
    };
  }
  if (action === 'switch') {
    const price = world.store.find<Price>(form.get('price') ?? '', account);
    if (!price || !switchable(world, account, sub, o).includes(price)) {
      return {
        status: 400,
        html: layout('Billing', '<h1>Billing</h1><p role="alert">That plan is not offered.</p>'),
      };
    }
    changePrice(
      world,
      account,
      sub,
      { price, prorationBehavior: 'create_prorations', dunning: o.dunning },
      o.changes,
    );
    return back(`Switched to ${name(world, account, price)}.`);
  }
  if (action === 'cancel') {
    cancelSubscription(world, account, sub, true);
    return back('Your plan will be canceled at the end of the period.');
  }
  if (action === 'renew') {
    cancelSubscription(world, account, sub, 'resume');
    return back('Your plan will renew.');
  }
  return { status: 404, html: layout('Not found', '<h1>Not found</h1>') };
}
