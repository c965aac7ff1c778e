import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { testCards } from '../src/index.js';
import { type Harness, harness, planPrices } from './support/fixture.js';

const DAY = 86_400;

/** A Pro subscription bought through Checkout, as the control plane would start one. */
async function subscribe(h: Harness, o: { card?: string; trialDays?: number } = {}) {
  const prices = await planPrices(h.stripe);
  const session = await h.stripe.checkout.sessions.create({
    mode: 'subscription',
    line_items: [{ price: prices.pro.id, quantity: 1 }],
    success_url: 'http://localhost/ok',
    customer_email: 'owner@guild.test',
    ...(o.trialDays ? { subscription_data: { trial_period_days: o.trialDays } } : {}),
  });
  await h.sim.pay(session.id, { card: o.card ?? testCards.success });
  const done = await h.stripe.checkout.sessions.retrieve(session.id);
  const sub = await h.stripe.subscriptions.retrieve(done.subscription as string);
  return { ...prices, sub, customer: done.customer as string };
}

const period = (sub: Stripe.Subscription) => sub.items.data[0] as Stripe.SubscriptionItem;

describe('Subscriptions and their lifecycle', () => {
  it('renews: the clock passes the period end, a new period is invoiced and paid', async () => {
    const h = await harness();
    const { sub } = await subscribe(h);
    const end = period(sub).current_period_end;
    const renewed = await h.sim.renew(sub.id);
    expect(h.sim.now()).toBe(end);
    const now = await h.stripe.subscriptions.retrieve(sub.id, { expand: ['latest_invoice'] });
    expect(now.status).toBe('active');
    expect(period(now).current_period_start).toBe(end);
    expect(renewed.id).toBe(sub.id);
    expect(now.latest_invoice).toMatchObject({
      status: 'paid',
      amount_paid: 900,
      billing_reason: 'subscription_cycle',
    });
    const invoices = await h.stripe.invoices.list({ subscription: sub.id });
    const page = await fetch((now.latest_invoice as Stripe.Invoice).hosted_invoice_url as string);
    expect(await page.text()).toMatch(/paid.*USD 9\.00/s);
    expect(invoices.data.map((i) => i.billing_reason)).toEqual(['subscription_cycle', 'subscription_create']);
    const updated = h.platform
      .events('customer.subscription.updated')
      .at(-1) as Stripe.CustomerSubscriptionUpdatedEvent;
    expect(updated.data.previous_attributes).toHaveProperty('latest_invoice');
  });

  it('dunning: a failing card makes the renewal past_due, retries at +3, +5, +7 days, then cancels', async () => {
    const h = await harness();
    const { sub, customer } = await subscribe(h);
    h.sim.setCard(customer, testCards.chargeFails);
    await h.sim.renew(sub.id);
    let now = await h.stripe.subscriptions.retrieve(sub.id, { expand: ['latest_invoice'] });
    expect(now.status).toBe('past_due');
    const invoice = now.latest_invoice as Stripe.Invoice;
    expect(invoice).toMatchObject({
      status: 'open',
      attempt_count: 1,
      next_payment_attempt: h.sim.now() + 3 * DAY,
    });
    expect(h.platform.types().filter((t) => t === 'invoice.payment_failed')).toHaveLength(1);
    await h.sim.advanceClock(3 * DAY);
    expect(await h.stripe.invoices.retrieve(invoice.id)).toMatchObject({
      attempt_count: 2,
      next_payment_attempt: h.sim.now() + 5 * DAY,
    });
    await h.sim.advanceClock(5 * DAY + 7 * DAY);
    now = await h.stripe.subscriptions.retrieve(sub.id);
    expect(now).toMatchObject({ status: 'canceled', ended_at: h.sim.now() });
    expect(await h.stripe.invoices.retrieve(invoice.id)).toMatchObject({
      status: 'open',
      attempt_count: 4,
      next_payment_attempt: null,
    });
    expect(h.platform.types().filter((t) => t === 'invoice.payment_failed')).toHaveLength(4);
    expect(h.platform.types().at(-1)).toBe('customer.subscription.deleted');
    // Stripe's default list hides canceled subscriptions.
    expect((await h.stripe.subscriptions.list({ customer })).data).toEqual([]);
    expect((await h.stripe.subscriptions.list({ customer, status: 'all' })).data.map((s) => s.id)).toEqual([
      sub.id,
    ]);
  });

  it('dunning can end in unpaid instead; a retry that succeeds makes it active again', async () => {
    const h = await harness({ dunning: { finally: 'unpaid', retryAfterDays: [1] } });
    const { sub, customer } = await subscribe(h);
    h.sim.setCard(customer, testCards.chargeFails);
    await h.sim.renew(sub.id);
    await h.sim.advanceClock(DAY);
    expect((await h.stripe.subscriptions.retrieve(sub.id)).status).toBe('unpaid');

    const second = await harness({ dunning: { retryAfterDays: [2, 2] } });
    const other = await subscribe(second);
    second.sim.setCard(other.customer, testCards.chargeFails);
    await second.sim.renew(other.sub.id);
    second.sim.setCard(other.customer, testCards.success);
    await second.sim.advanceClock(2 * DAY);
    expect((await second.stripe.subscriptions.retrieve(other.sub.id)).status).toBe('active');
    const statuses = second.platform
      .events('customer.subscription.updated')
      .map((e) => (e.data.object as Stripe.Subscription).status);
    expect(statuses.slice(-2)).toEqual(['past_due', 'active']);
  });

  it('stops retrying when the past_due subscription is canceled meanwhile', async () => {
    const h = await harness();
    const { sub, customer } = await subscribe(h);
    h.sim.setCard(customer, testCards.chargeFails);
    await h.sim.renew(sub.id);
    await h.stripe.subscriptions.cancel(sub.id);
    await h.sim.advanceClock(30 * DAY);
    const invoice = (await h.stripe.invoices.list({ subscription: sub.id })).data[0] as Stripe.Invoice;
    expect(invoice).toMatchObject({ attempt_count: 1, next_payment_attempt: null, status: 'open' });
    expect(h.platform.types().filter((t) => t === 'invoice.payment_failed')).toHaveLength(1);
  });

  it('a trial on a card that fails: trialing, then past_due when the trial ends', async () => {
    const h = await harness();
    const { sub } = await subscribe(h, { card: testCards.chargeFails, trialDays: 7 });
    expect(sub.status).toBe('trialing');
    await h.sim.advanceClock(7 * DAY);
    expect((await h.stripe.subscriptions.retrieve(sub.id)).status).toBe('past_due');
  });

  it('changes price with each proration behaviour, and records it', async () => {
    const h = await harness();
    const { sub, scale, pro } = await subscribe(h);
    const start = period(sub).current_period_start;
    const end = period(sub).current_period_end;
    await h.sim.advanceClock(Math.floor((end - start) / 2));
    const item = period(sub).id;
    // none: the price changes, nothing is billed.
    const none = await h.stripe.subscriptions.update(sub.id, {
      items: [{ id: item, price: scale.id }],
      proration_behavior: 'none',
    });
    expect(period(none).price.id).toBe(scale.id);
    // always_invoice: back to Pro, the difference (a credit here) goes to the customer's balance at once.
    await h.stripe.subscriptions.update(sub.id, {
      items: [{ id: item, price: pro.id }],
      proration_behavior: 'always_invoice',
    });
    const upgrade = await h.stripe.subscriptions.update(sub.id, {
      items: [{ id: item, price: scale.id }],
      proration_behavior: 'create_prorations',
    });
    expect(period(upgrade).price.lookup_key).toBe('guildmint_scale_monthly');
    const unused = end - h.sim.now();
    const expected = Math.trunc((2900 * unused) / (end - start)) - Math.trunc((900 * unused) / (end - start));
    expect(h.sim.subscriptionChanges.map((c) => [c.prorationBehavior, c.prorationAmount])).toEqual([
      ['none', 0],
      ['always_invoice', -expected],
      ['create_prorations', expected],
    ]);
    const credit = (await h.stripe.invoices.list({ subscription: sub.id })).data[0] as Stripe.Invoice;
    expect(credit).toMatchObject({ billing_reason: 'subscription_update', amount_due: 0, total: -expected });
    // create_prorations: the lines wait for the next renewal's invoice (which the earlier credit pays from).
    await h.sim.renew(sub.id);
    const next = (await h.stripe.invoices.list({ subscription: sub.id })).data[0] as Stripe.Invoice;
    expect(next.lines.data).toHaveLength(3);
    expect(next.total).toBe(2900 + expected);
    expect(next).toMatchObject({ amount_due: 2900, starting_balance: -expected, status: 'paid' });
  });

  it('changes the quantity alone (the price stays) with prorations on the next invoice', async () => {
    const h = await harness();
    const { sub, pro } = await subscribe(h);
    const updated = await h.stripe.subscriptions.update(sub.id, {
      items: [{ id: period(sub).id, quantity: 2 }],
    });
    expect(period(updated)).toMatchObject({ quantity: 2, price: { id: pro.id } });
    expect(h.sim.subscriptionChanges).toMatchObject([
      { fromPrice: pro.id, toPrice: pro.id, prorationBehavior: 'create_prorations' },
    ]);
    await h.sim.renew(sub.id);
    const next = (await h.stripe.invoices.list({ subscription: sub.id })).data[0] as Stripe.Invoice;
    expect(next.lines.data.at(-1)).toMatchObject({ amount: 1800, quantity: 2 });
  });

  it('cancels at period end (and can resume), or now', async () => {
    const h = await harness();
    const { sub } = await subscribe(h);
    const end = period(sub).current_period_end;
    const scheduled = await h.stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
    expect(scheduled).toMatchObject({ status: 'active', cancel_at_period_end: true, cancel_at: end });
    const resumed = await h.stripe.subscriptions.update(sub.id, { cancel_at_period_end: false });
    expect(resumed).toMatchObject({ cancel_at_period_end: false, cancel_at: null });
    await h.stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
    await h.sim.renew(sub.id);
    expect(await h.stripe.subscriptions.retrieve(sub.id)).toMatchObject({
      status: 'canceled',
      ended_at: end,
    });
    expect((await h.stripe.invoices.list({ subscription: sub.id })).data).toHaveLength(1); // no renewal invoice

    const other = await harness();
    const second = await subscribe(other);
    const canceled = await other.stripe.subscriptions.cancel(second.sub.id);
    expect(canceled).toMatchObject({ status: 'canceled', canceled_at: other.sim.now() });
    await other.sim.settle(); // an API call's webhooks are sent after it answers
    expect(other.platform.types().at(-1)).toBe('customer.subscription.deleted');
    await expect(other.stripe.subscriptions.cancel(second.sub.id)).rejects.toMatchObject({ statusCode: 400 });
    await expect(
      other.stripe.subscriptions.update(second.sub.id, { items: [{ price: second.scale.id }] }),
    ).rejects.toMatchObject({ statusCode: 400 });
  });

  it('creates billing portal sessions for a customer, with a URL and the return URL', async () => {
    const h = await harness();
    const { customer } = await subscribe(h);
    const portal = await h.stripe.billingPortal.sessions.create({
      customer,
      return_url: 'http://localhost:3000/t/g1/billing',
    });
    expect(portal).toMatchObject({
      object: 'billing_portal.session',
      customer,
      return_url: 'http://localhost:3000/t/g1/billing',
    });
    expect(portal.url).toBe(`${h.sim.url}/p/session/${portal.id}`);
    expect((await fetch(portal.url)).status).toBe(200);
    await expect(h.stripe.billingPortal.sessions.create({ customer: 'cus_missing' })).rejects.toMatchObject({
      param: 'customer',
    });
  });
});
