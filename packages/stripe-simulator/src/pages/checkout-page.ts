import type { Account } from '../resources/accounts.js';
import type { DunningSettings } from '../resources/billing.js';
import {
  type CheckoutSession,
  offersDelayed,
  type PaymentChoice,
  paySession,
  successUrlOf,
} from '../resources/checkout.js';
import type { Price } from '../resources/prices.js';
import type { StripeObject } from '../store.js';
import type { World } from '../world.js';
import { escapeHtml, layout, money, type PageAnswer } from './html.js';

/** Who the buyer pays: the connected account's business name or e-mail, or the platform. */
function merchantName(world: World, account: string | null, platformName: string): string {
  if (account === null) return platformName;
  const found = world.store.find<Account>(account, null);
  const profile = found?.business_profile as { name?: string | null } | undefined;
  return profile?.name ?? found?.email ?? account;
}

function form(
  world: World,
  session: CheckoutSession,
  account: string | null,
  o: { platformName: string; error?: string; email?: string },
): string {
  const plan = world.hidden.sessions.get(session.id);
  const items = plan?.lineItems ?? [];
  const trial = plan?.trialPeriodDays ?? null;
  const rows = items
    .map((item: StripeObject) => {
      const price = item.price as Price;
      const per = price.recurring
        ? ` per ${price.recurring.interval_count > 1 ? `${price.recurring.interval_count} ` : ''}${price.recurring.interval}`
        : '';
      return `<tr><td>${escapeHtml(item.description ?? price.lookup_key ?? price.id)} × ${escapeHtml(item.quantity)}</td><td class="amount">${escapeHtml(money(item.amount_total as number, price.currency))}${escapeHtml(per)}</td></tr>`;
    })
    .join('');
  const action = session.mode === 'subscription' ? (trial ? `Start ${trial}-day trial` : 'Subscribe') : 'Pay';
  const email = session.customer
    ? ''
    : `<label for="email">Email</label><input type="email" id="email" name="email" value="${escapeHtml(o.email ?? session.customer_email ?? '')}" required>`;
  const delayed = offersDelayed(session)
    ? `<label><input type="radio" name="method" value="delayed"> Bank debit (SEPA Direct Debit: confirmed in a few days)</label>`
    : '';
  return layout(
    `Pay ${merchantName(world, account, o.platformName)}`,
    `<h1>Pay ${escapeHtml(merchantName(world, account, o.platformName))}</h1>
<table><tbody>${rows}</tbody><tfoot><tr><th>Total${trial ? ` after a ${trial}-day trial` : ''}</th><th class="amount" data-testid="total">${escapeHtml(money(session.amount_total, session.currency))}</th></tr></tfoot></table>
${o.error ? `<p class="error" role="alert">${escapeHtml(o.error)}</p>` : ''}
<form method="post" action="/c/pay/${escapeHtml(session.id)}">
${email}
<fieldset><legend>Payment method</legend>
<label><input type="radio" name="method" value="card" checked> Card</label>
${delayed}
<label for="card">Card number</label><input type="text" id="card" name="card" inputmode="numeric" autocomplete="cc-number" placeholder="4242 4242 4242 4242">
<p class="muted">4242 4242 4242 4242 succeeds · 4000 0000 0000 0002 is declined · 4000 0000 0000 0341 pays a trial, then fails</p>
</fieldset>
<button type="submit">${escapeHtml(action)}</button>
</form>
${session.cancel_url ? `<p><a href="${escapeHtml(session.cancel_url)}">Cancel and go back</a></p>` : ''}`,
  );
}

function closed(session: CheckoutSession): PageAnswer {
  const why =
    session.status === 'complete' ? 'This checkout is already complete.' : 'This checkout has expired.';
  return {
    status: 410,
    html: layout(
      'Checkout unavailable',
      `<h1>Checkout unavailable</h1><p role="alert">${escapeHtml(why)}</p>`,
    ),
  };
}

export function checkoutPage(
  world: World,
  sessionId: string,
  method: string,
  form_: URLSearchParams,
  o: { platformName: string; dunning: DunningSettings },
): PageAnswer {
  const located = world.store.locate<CheckoutSession>(sessionId, 'checkout.session');
  if (!located) {
    return { status: 404, html: layout('Not found', '<h1>Not found</h1><p>No such checkout.</p>') };
  }
  const session = located.obj;
  const { account } = located;
  if (session.status !== 'open') return closed(session);
  if (method !== 'POST') return { status: 200, html: form(world, session, account, o) };
  const email = form_.get('email') ?? undefined;
  const choice: PaymentChoice =
    form_.get('method') === 'delayed' ? { delayed: true, email } : { card: form_.get('card') ?? '', email };
  if ('card' in choice && choice.card.trim() === '') {
    return {
      status: 200,
      html: form(world, session, account, {
        ...o,
        error: 'Enter a card number.',
        ...(email ? { email } : {}),
      }),
    };
  }
  const result = paySession(world, account, session, choice, o.dunning);
  if (result.outcome === 'declined') {
    return {
      status: 200,
      html: form(world, session, account, { ...o, error: result.message, ...(email ? { email } : {}) }),
    };
  }
  return { redirect: successUrlOf(result.session) };
}
