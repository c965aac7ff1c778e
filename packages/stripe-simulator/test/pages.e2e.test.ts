import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@guildmint/test-support';
import { type Browser, chromium, type Page } from 'playwright-core';
import type Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { enabledAccount, type Harness, harness, planPrices } from './support/fixture.js';

/** Debian's Chromium, as every browser test here runs it. */
const ARTIFACTS = join(import.meta.dirname, '..', '.test-artifacts', 'pages');

describe('hosted pages in Chromium: Checkout, the billing portal, Connect onboarding', () => {
  let browser: Browser;
  let app: Server;
  let appUrl: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    // The product's side: where success, cancel and return URLs lead.
    app = createServer((request, response) => {
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<h1>Back at the app</h1><p>${request.url}</p>`);
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => app?.close(resolve));
  });

  const pages: Page[] = [];
  afterEach(async () => {
    for (const page of pages.splice(0)) await page.close();
  });
  const open = async (url: string): Promise<Page> => {
    const page = await browser.newPage();
    pages.push(page);
    await page.goto(url);
    return page;
  };
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  const subscriptionSession = async (h: Harness) => {
    const { pro } = await planPrices(h.stripe);
    return h.stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: pro.id, quantity: 1 }],
      success_url: `${appUrl}/billing?session={CHECKOUT_SESSION_ID}`,
      cancel_url: `${appUrl}/billing`,
    });
  };

  it('Checkout: a card that succeeds subscribes and returns to success_url', async () => {
    const h = await harness();
    const session = await subscriptionSession(h);
    const page = await open(session.url as string);
    await expect(page.getByTestId('total').textContent()).resolves.toBe('USD 9.00');
    await page.getByLabel('Email').fill('owner@guild.test');
    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
    await shot(page, 'checkout-filled');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.waitForURL(`${appUrl}/billing?session=${session.id}`);
    await h.sim.settle();
    const done = await h.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['subscription', 'customer'],
    });
    expect(done).toMatchObject({
      status: 'complete',
      payment_status: 'paid',
      customer: { email: 'owner@guild.test' },
    });
    expect((done.subscription as Stripe.Subscription).status).toBe('active');
    expect(h.platform.types()).toContain('checkout.session.completed');
    const revisit = await open(`${h.sim.url}/c/pay/${session.id}`);
    await expect(revisit.getByRole('alert').textContent()).resolves.toMatch(/already complete/);
  });

  it('Checkout: a declined card says so on the page and nothing is paid', async () => {
    const h = await harness();
    const session = await subscriptionSession(h);
    const page = await open(session.url as string);
    await page.getByLabel('Email').fill('owner@guild.test');
    await page.getByLabel('Card number').fill('4000 0000 0000 0002');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Your card was declined.');
    await shot(page, 'checkout-declined');
    expect(page.url()).toBe(`${h.sim.url}/c/pay/${session.id}`);
    expect(await h.stripe.checkout.sessions.retrieve(session.id)).toMatchObject({
      status: 'open',
      payment_status: 'unpaid',
    });
    expect((await h.stripe.subscriptions.list()).data).toEqual([]);
    await h.sim.settle();
    expect(h.platform.received).toEqual([]);
    await expect(page.getByLabel('Email').inputValue()).resolves.toBe('owner@guild.test');
  });

  it('Checkout: a delayed bank debit completes the session unpaid; its outcome arrives later', async () => {
    const h = await harness();
    const account = await enabledAccount(h);
    const session = await h.stripe.checkout.sessions.create(
      {
        mode: 'payment',
        line_items: [
          {
            price_data: { currency: 'eur', unit_amount: 499, product_data: { name: '1,000 coins' } },
            quantity: 1,
          },
        ],
        success_url: `${appUrl}/bought`,
        customer_email: 'member@guild.test',
        payment_intent_data: { application_fee_amount: 25 },
      },
      { stripeAccount: account.id },
    );
    const page = await open(session.url as string);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Pay Casino Guild');
    await page.getByLabel(/Bank debit/).check();
    await page.getByRole('button', { name: 'Pay' }).click();
    await page.waitForURL(`${appUrl}/bought`);
    await h.sim.settle();
    expect(h.connect.events('checkout.session.completed')[0]?.data.object).toMatchObject({
      id: session.id,
      payment_status: 'unpaid',
    });
    await h.sim.settleDelayedPayment(session.id, 'succeeded');
    expect(h.connect.types().at(-1)).toBe('checkout.session.async_payment_succeeded');
  });

  it('the billing portal: switch plan, update the card, see invoices, cancel, and go back', async () => {
    const h = await harness();
    const session = await subscriptionSession(h);
    await h.sim.pay(session.id, { card: '4242424242424242', email: 'owner@guild.test' });
    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    const portal = await h.stripe.billingPortal.sessions.create({
      customer: done.customer as string,
      return_url: `${appUrl}/billing`,
    });
    const page = await open(portal.url);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Billing for owner@guild.test',
    );
    await expect(page.getByTestId('plan-status').textContent()).resolves.toBe('active');
    await page.getByRole('button', { name: /Switch to Scale/ }).click();
    await expect(page.getByRole('status').textContent()).resolves.toBe('Switched to Scale.');
    await expect(page.getByTestId('plan-price').textContent()).resolves.toBe('USD 29.00 per month');
    const sub = await h.stripe.subscriptions.retrieve(done.subscription as string);
    expect(sub.items.data[0]?.price.lookup_key).toBe('guildmint_scale_monthly');
    expect(h.sim.subscriptionChanges.at(-1)).toMatchObject({ prorationBehavior: 'create_prorations' });

    await page.getByLabel('New card number').fill('4000 0000 0000 0341');
    await page.getByRole('button', { name: 'Update card' }).click();
    await expect(page.getByTestId('card').textContent()).resolves.toBe('Card •••• 0341');
    await page.getByLabel('New card number').fill('4000 0000 0000 0002');
    await page.getByRole('button', { name: 'Update card' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Your card was declined.');

    expect(await page.getByRole('row').count()).toBe(2); // the header and the first invoice
    await page.getByRole('button', { name: 'Cancel plan' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toMatch(
      /canceled at the end of the period/,
    );
    await shot(page, 'portal');
    expect(await h.stripe.subscriptions.retrieve(sub.id)).toMatchObject({
      cancel_at_period_end: true,
      status: 'active',
    });
    await h.sim.settle();
    expect(h.platform.types()).toEqual(
      expect.arrayContaining([
        'customer.subscription.updated',
        'payment_method.attached',
        'customer.updated',
      ]),
    );
    await page.getByRole('link', { name: /Return to/ }).click();
    await page.waitForURL(`${appUrl}/billing`);
  });

  it('the portal pays a past_due invoice when the card is updated', async () => {
    const h = await harness();
    const session = await subscriptionSession(h);
    await h.sim.pay(session.id, { card: '4242424242424242' });
    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    h.sim.setCard(done.customer as string, '4000000000000341');
    await h.sim.renew(done.subscription as string);
    expect((await h.stripe.subscriptions.retrieve(done.subscription as string)).status).toBe('past_due');
    const portal = await h.stripe.billingPortal.sessions.create({ customer: done.customer as string });
    const page = await open(portal.url);
    await page.getByLabel('New card number').fill('4242424242424242');
    await page.getByRole('button', { name: 'Update card' }).click();
    await expect(page.getByTestId('plan-status').textContent()).resolves.toBe('active');
    const invoices = await h.stripe.invoices.list({ subscription: done.subscription as string });
    expect(invoices.data.map((i) => i.status)).toEqual(['paid', 'paid']);
  });

  it("the dashboard (pnpm dev's controls): refund a payment, then dispute another and lose it", async () => {
    const h = await harness();
    const account = await enabledAccount(h);
    const buy = async () => {
      const session = await h.stripe.checkout.sessions.create(
        {
          mode: 'payment',
          success_url: `${appUrl}/ok`,
          line_items: [
            {
              price_data: { currency: 'usd', unit_amount: 500, product_data: { name: 'coins' } },
              quantity: 1,
            },
          ],
        },
        { stripeAccount: account.id },
      );
      await h.sim.pay(session.id, { card: '4242424242424242' });
    };
    await buy();
    const page = await open(h.sim.url);
    await page.getByRole('button', { name: 'Refund' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toBe('Done: refund.');
    await h.sim.settle();
    expect(h.connect.events('charge.refunded')[0]?.data.object).toMatchObject({
      amount_refunded: 500,
      refunded: true,
    });
    await buy();
    await page.reload();
    await page.getByRole('button', { name: 'Dispute', exact: true }).click();
    await page.getByRole('button', { name: 'Dispute lost' }).click();
    await shot(page, 'dashboard');
    await h.sim.settle();
    expect(h.connect.events('charge.dispute.closed')[0]?.data.object).toMatchObject({ status: 'lost' });
  });

  it('Connect onboarding: completing it enables the account and returns to return_url', async () => {
    const h = await harness();
    const account = await h.stripe.accounts.create({ type: 'express', email: 'owner@guild.test' });
    const link = await h.stripe.accountLinks.create({
      account: account.id,
      refresh_url: `${appUrl}/refresh`,
      return_url: `${appUrl}/return`,
      type: 'account_onboarding',
    });
    const page = await open(link.url);
    await shot(page, 'onboarding');
    await page.getByRole('button', { name: 'Complete onboarding' }).click();
    await page.waitForURL(`${appUrl}/return`);
    expect((await h.stripe.accounts.retrieve(account.id)).charges_enabled).toBe(true);
  });
});
