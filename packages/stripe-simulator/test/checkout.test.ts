import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { testCards } from '../src/index.js';
import { enabledAccount, harness, planPrices } from './support/fixture.js';

describe('Checkout sessions', () => {
  it('subscription mode: the paid session brings a customer, an active subscription and a paid invoice, in events', async () => {
    const h = await harness();
    const { pro } = await planPrices(h.stripe);
    const session = await h.stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: pro.id, quantity: 1 }],
      success_url: 'http://localhost:3000/t/g1/billing?session={CHECKOUT_SESSION_ID}',
      cancel_url: 'http://localhost:3000/t/g1/billing',
      customer_email: 'owner@guild.test',
      client_reference_id: 'tenant-g1',
      metadata: { tenant: 'g1', plan: 'pro' },
      subscription_data: { metadata: { tenant: 'g1' } },
    });
    expect(session).toMatchObject({
      status: 'open',
      payment_status: 'unpaid',
      mode: 'subscription',
      amount_total: 900,
      currency: 'usd',
      subscription: null,
    });
    expect(session.url).toBe(`${h.sim.url}/c/pay/${session.id}`);
    expect(session.id).toMatch(/^cs_test_/);

    const result = await h.sim.pay(session.id, { card: testCards.success });
    expect(result.outcome).toBe('paid');
    const paid = await h.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['subscription', 'line_items', 'customer'],
    });
    expect(paid).toMatchObject({
      status: 'complete',
      payment_status: 'paid',
      client_reference_id: 'tenant-g1',
      metadata: { tenant: 'g1', plan: 'pro' },
    });
    expect(paid.line_items?.data).toMatchObject([{ quantity: 1, amount_total: 900, price: { id: pro.id } }]);
    expect(paid.customer).toMatchObject({ object: 'customer', email: 'owner@guild.test' });
    const sub = paid.subscription as Stripe.Subscription;
    expect(sub).toMatchObject({ status: 'active', metadata: { tenant: 'g1' }, cancel_at_period_end: false });
    const item = sub.items.data[0] as Stripe.SubscriptionItem;
    expect(item.price.lookup_key).toBe('guildmint_pro_monthly');
    expect(item.current_period_end - item.current_period_start).toBeGreaterThanOrEqual(28 * 86_400);
    const invoice = await h.stripe.invoices.retrieve(sub.latest_invoice as string);
    expect(invoice).toMatchObject({
      status: 'paid',
      amount_paid: 900,
      billing_reason: 'subscription_create',
    });
    expect(invoice.parent?.subscription_details?.subscription).toBe(sub.id);
    expect(h.platform.types()).toEqual([
      'customer.created',
      'customer.subscription.created',
      'invoice.created',
      'invoice.finalized',
      'charge.succeeded',
      'payment_intent.succeeded',
      'invoice.paid',
      'invoice.payment_succeeded',
      'checkout.session.completed',
    ]);
    const completed = h.platform.events(
      'checkout.session.completed',
    )[0] as Stripe.CheckoutSessionCompletedEvent;
    expect(completed.data.object).toMatchObject({
      id: session.id,
      subscription: sub.id,
      customer: paid.customer && (paid.customer as Stripe.Customer).id,
    });
    expect(h.connect.received).toEqual([]);
  });

  it('a declined card changes nothing; the session stays open and a good card pays it', async () => {
    const h = await harness();
    const { pro } = await planPrices(h.stripe);
    const session = await h.stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: pro.id, quantity: 1 }],
      success_url: 'http://localhost/ok',
    });
    const declined = await h.sim.pay(session.id, { card: testCards.declined });
    expect(declined).toMatchObject({
      outcome: 'declined',
      declineCode: 'generic_decline',
      message: 'Your card was declined.',
    });
    expect(await h.stripe.checkout.sessions.retrieve(session.id)).toMatchObject({
      status: 'open',
      payment_status: 'unpaid',
    });
    expect((await h.stripe.subscriptions.list()).data).toEqual([]);
    expect((await h.stripe.customers.list()).data).toEqual([]);
    expect(h.sim.events()).toEqual([]);
    expect((await h.sim.pay(session.id, { card: testCards.success })).outcome).toBe('paid');
  });

  it('a trial: trialing, a $0 invoice, payment_status no_payment_required, and the trial ends into a paid period', async () => {
    const h = await harness();
    const { pro } = await planPrices(h.stripe);
    const session = await h.stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: pro.id, quantity: 1 }],
      success_url: 'http://localhost/ok',
      subscription_data: { trial_period_days: 14 },
    });
    await h.sim.pay(session.id, { card: testCards.success });
    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(done.payment_status).toBe('no_payment_required');
    const sub = await h.stripe.subscriptions.retrieve(done.subscription as string);
    expect(sub.status).toBe('trialing');
    expect((sub.trial_end as number) - (sub.trial_start as number)).toBe(14 * 86_400);
    expect(await h.stripe.invoices.retrieve(sub.latest_invoice as string)).toMatchObject({
      amount_due: 0,
      status: 'paid',
    });
    await h.sim.advanceClock(14 * 86_400);
    const after = await h.stripe.subscriptions.retrieve(sub.id, { expand: ['latest_invoice'] });
    expect(after.status).toBe('active');
    expect(after.latest_invoice).toMatchObject({ amount_paid: 900, billing_reason: 'subscription_cycle' });
  });

  it('payment mode on a connected account: price_data, metadata and the application fee on the payment intent', async () => {
    const h = await harness();
    const account = await enabledAccount(h);
    const session = await h.stripe.checkout.sessions.create(
      {
        mode: 'payment',
        line_items: [
          {
            price_data: { currency: 'eur', unit_amount: 499, product_data: { name: '1,000 coins' } },
            quantity: 2,
          },
        ],
        success_url: 'http://localhost/ok',
        client_reference_id: 'g1:300000000000000001:pack-small',
        metadata: { tenant: 'g1', member: '300000000000000001', pack: 'small' },
        payment_intent_data: { application_fee_amount: 50, metadata: { tenant: 'g1', pack: 'small' } },
      },
      { stripeAccount: account.id },
    );
    expect(session).toMatchObject({ amount_total: 998, currency: 'eur', payment_intent: null });
    await expect(h.stripe.checkout.sessions.retrieve(session.id)).rejects.toMatchObject({ statusCode: 404 });
    await h.sim.pay(session.id, { card: testCards.success });
    const done = await h.stripe.checkout.sessions.retrieve(
      session.id,
      { expand: ['payment_intent'] },
      { stripeAccount: account.id },
    );
    expect(done).toMatchObject({ status: 'complete', payment_status: 'paid' });
    const intent = done.payment_intent as Stripe.PaymentIntent;
    expect(intent).toMatchObject({
      status: 'succeeded',
      amount: 998,
      application_fee_amount: 50,
      metadata: { tenant: 'g1', pack: 'small' },
    });
    const charge = await h.stripe.charges.retrieve(
      intent.latest_charge as string,
      {},
      { stripeAccount: account.id },
    );
    expect(charge).toMatchObject({ paid: true, amount: 998, application_fee_amount: 50 });
    expect(await h.stripe.applicationFees.retrieve(charge.application_fee as string)).toMatchObject({
      amount: 50,
      account: account.id,
    });
    const connectTypes = h.connect.types();
    expect(connectTypes).toEqual(
      expect.arrayContaining(['charge.succeeded', 'payment_intent.succeeded', 'checkout.session.completed']),
    );
    expect(h.connect.events('checkout.session.completed')[0]?.account).toBe(account.id);
    expect(h.platform.types()).toEqual(['application_fee.created']);
  });

  it('refuses an application fee without a connected account, both customer and customer_email, and a recurring price in payment mode', async () => {
    const h = await harness();
    const { pro } = await planPrices(h.stripe);
    const base = {
      success_url: 'http://localhost/ok',
      line_items: [
        { price_data: { currency: 'usd', unit_amount: 100, product_data: { name: 'x' } }, quantity: 1 },
      ],
    };
    await expect(
      h.stripe.checkout.sessions.create({
        ...base,
        mode: 'payment',
        payment_intent_data: { application_fee_amount: 10 },
      }),
    ).rejects.toMatchObject({
      param: 'payment_intent_data[application_fee_amount]',
    });
    const customer = await h.stripe.customers.create({ email: 'a@guild.test' });
    await expect(
      h.stripe.checkout.sessions.create({
        ...base,
        mode: 'payment',
        customer: customer.id,
        customer_email: 'a@guild.test',
      }),
    ).rejects.toMatchObject({
      code: 'parameters_exclusive',
    });
    await expect(
      h.stripe.checkout.sessions.create({
        mode: 'payment',
        success_url: 'http://localhost/ok',
        line_items: [{ price: pro.id, quantity: 1 }],
      }),
    ).rejects.toMatchObject({ param: 'line_items[0]' });
    await expect(h.stripe.checkout.sessions.create({ ...base, mode: 'subscription' })).rejects.toMatchObject({
      param: 'line_items[0]',
    });
    expect((await h.stripe.checkout.sessions.list()).data).toEqual([]);
  });

  it('refuses Checkout on a connected account that cannot take charges yet', async () => {
    const h = await harness();
    const account = await h.stripe.accounts.create({ type: 'express' });
    await expect(
      h.stripe.checkout.sessions.create(
        {
          mode: 'payment',
          success_url: 'http://localhost/ok',
          line_items: [
            { price_data: { currency: 'usd', unit_amount: 100, product_data: { name: 'x' } }, quantity: 1 },
          ],
        },
        { stripeAccount: account.id },
      ),
    ).rejects.toMatchObject({ code: 'account_invalid' });
  });

  it('a delayed payment completes the session unpaid, then async_payment_succeeded or _failed', async () => {
    const h = await harness();
    const account = await enabledAccount(h);
    const make = () =>
      h.stripe.checkout.sessions.create(
        {
          mode: 'payment',
          success_url: 'http://localhost/ok',
          line_items: [
            {
              price_data: { currency: 'eur', unit_amount: 500, product_data: { name: 'coins' } },
              quantity: 1,
            },
          ],
        },
        { stripeAccount: account.id },
      );
    const good = await make();
    expect((await h.sim.pay(good.id, { delayed: true })).outcome).toBe('processing');
    const pending = await h.stripe.checkout.sessions.retrieve(
      good.id,
      { expand: ['payment_intent'] },
      { stripeAccount: account.id },
    );
    expect(pending).toMatchObject({
      status: 'complete',
      payment_status: 'unpaid',
      payment_intent: { status: 'processing' },
    });
    expect(h.connect.events('checkout.session.completed')[0]?.data.object).toMatchObject({
      payment_status: 'unpaid',
    });
    await h.sim.settleDelayedPayment(good.id, 'succeeded');
    expect(h.connect.events('checkout.session.async_payment_succeeded')[0]?.data.object).toMatchObject({
      id: good.id,
      payment_status: 'paid',
    });

    const bad = await make();
    await h.sim.pay(bad.id, { delayed: true });
    await h.sim.settleDelayedPayment(bad.id, 'failed');
    expect(h.connect.events('checkout.session.async_payment_failed')[0]?.data.object).toMatchObject({
      id: bad.id,
      payment_status: 'unpaid',
    });
    const failed = await h.stripe.checkout.sessions.retrieve(
      bad.id,
      { expand: ['payment_intent'] },
      { stripeAccount: account.id },
    );
    expect(failed.payment_intent).toMatchObject({ status: 'requires_payment_method' });
  });

  it('expires: by the API, and by the clock at expires_at (checkout.session.expired); an expired session cannot be paid', async () => {
    const h = await harness();
    const line = {
      price_data: { currency: 'usd', unit_amount: 100, product_data: { name: 'x' } },
      quantity: 1,
    };
    const a = await h.stripe.checkout.sessions.create({
      mode: 'payment',
      success_url: 'http://localhost/ok',
      line_items: [line],
    });
    expect((await h.stripe.checkout.sessions.expire(a.id)).status).toBe('expired');
    await expect(h.stripe.checkout.sessions.expire(a.id)).rejects.toMatchObject({ statusCode: 400 });
    const b = await h.stripe.checkout.sessions.create({
      mode: 'payment',
      success_url: 'http://localhost/ok',
      line_items: [line],
      expires_at: h.sim.now() + 3600,
    });
    await h.sim.advanceClock(3600);
    expect((await h.stripe.checkout.sessions.retrieve(b.id)).status).toBe('expired');
    expect(h.platform.types()).toEqual(['checkout.session.expired', 'checkout.session.expired']);
    await expect(h.sim.pay(b.id, { card: testCards.success })).rejects.toThrow(/expired, not open/);
    const items = await h.stripe.checkout.sessions.listLineItems(b.id);
    expect(items.data).toMatchObject([{ quantity: 1, amount_total: 100 }]);
  });
});
