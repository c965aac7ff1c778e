import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { testCards } from '../src/index.js';
import { enabledAccount, type Harness, harness } from './support/fixture.js';

/** A member's pack purchase on the guild's connected account, paid. */
async function purchase(h: Harness, account: string, amount = 500) {
  const session = await h.stripe.checkout.sessions.create(
    {
      mode: 'payment',
      line_items: [
        {
          price_data: { currency: 'usd', unit_amount: amount, product_data: { name: 'coins' } },
          quantity: 1,
        },
      ],
      success_url: 'http://localhost/ok',
      payment_intent_data: { application_fee_amount: 25, metadata: { pack: 'small' } },
    },
    { stripeAccount: account },
  );
  await h.sim.pay(session.id, { card: testCards.success });
  const done = await h.stripe.checkout.sessions.retrieve(session.id, {}, { stripeAccount: account });
  return done.payment_intent as string;
}

describe('Connect: accounts, onboarding, refunds, disputes', () => {
  it('onboarding by account link: pending → enabled, with account.updated to the Connect endpoint; the link is single-use', async () => {
    const h = await harness();
    const account = await h.stripe.accounts.create({
      type: 'express',
      email: 'owner@guild.test',
      metadata: { tenant: 'g1' },
    });
    expect(account).toMatchObject({
      charges_enabled: false,
      payouts_enabled: false,
      details_submitted: false,
      metadata: { tenant: 'g1' },
    });
    expect(account.requirements?.currently_due?.length).toBeGreaterThan(0);
    const link = await h.stripe.accountLinks.create({
      account: account.id,
      refresh_url: 'http://localhost:3000/t/g1/packs/connect/refresh',
      return_url: 'http://localhost:3000/t/g1/packs/connect/return',
      type: 'account_onboarding',
    });
    expect(link.url).toMatch(new RegExp(`^${h.sim.url}/connect/onboarding/`));
    const page = await fetch(link.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Complete onboarding');
    const done = await fetch(link.url, {
      method: 'POST',
      body: new URLSearchParams({ choice: 'complete' }),
      redirect: 'manual',
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('http://localhost:3000/t/g1/packs/connect/return');
    await h.sim.settle();
    expect(await h.stripe.accounts.retrieve(account.id)).toMatchObject({
      charges_enabled: true,
      payouts_enabled: true,
      details_submitted: true,
      requirements: { currently_due: [], disabled_reason: null },
    });
    const updated = h.connect.events('account.updated');
    expect(updated).toHaveLength(1);
    expect(updated[0]).toMatchObject({
      account: account.id,
      data: {
        object: { id: account.id, charges_enabled: true },
        previous_attributes: { charges_enabled: false },
      },
    });
    expect(h.platform.received).toEqual([]);
    const again = await fetch(link.url, { redirect: 'manual' });
    expect(again.headers.get('location')).toBe('http://localhost:3000/t/g1/packs/connect/refresh');
  });

  it('onboarding submitted without verification leaves the account restricted; leaving keeps it pending', async () => {
    const h = await harness();
    const link = async (account: string) =>
      (
        await h.stripe.accountLinks.create({
          account,
          refresh_url: 'http://localhost/r',
          return_url: 'http://localhost/back',
          type: 'account_onboarding',
        })
      ).url;
    const restricted = await h.stripe.accounts.create({ type: 'express' });
    const url = await link(restricted.id);
    await fetch(url);
    await fetch(url, {
      method: 'POST',
      body: new URLSearchParams({ choice: 'restricted' }),
      redirect: 'manual',
    });
    expect(await h.stripe.accounts.retrieve(restricted.id)).toMatchObject({
      details_submitted: true,
      charges_enabled: false,
      requirements: {
        disabled_reason: 'requirements.past_due',
        past_due: ['individual.verification.document'],
      },
    });
    const later = await h.stripe.accounts.create({ type: 'express' });
    const laterUrl = await link(later.id);
    await fetch(laterUrl);
    const left = await fetch(laterUrl, {
      method: 'POST',
      body: new URLSearchParams({ choice: 'later' }),
      redirect: 'manual',
    });
    expect(left.headers.get('location')).toBe('http://localhost/back');
    expect(await h.stripe.accounts.retrieve(later.id)).toMatchObject({
      details_submitted: false,
      charges_enabled: false,
    });
  });

  it('refunds through the API and from the simulator: refund.created and charge.refunded (Connect events)', async () => {
    const h = await harness();
    const account = await enabledAccount(h);
    const intent = await purchase(h, account.id);
    const partial = await h.stripe.refunds.create(
      { payment_intent: intent, amount: 200, metadata: { reason: 'member asked' } },
      { stripeAccount: account.id },
    );
    expect(partial).toMatchObject({ status: 'succeeded', amount: 200, payment_intent: intent });
    await expect(
      h.stripe.refunds.create({ payment_intent: intent, amount: 400 }, { stripeAccount: account.id }),
    ).rejects.toMatchObject({ param: 'amount' });
    await h.sim.refund(intent);
    const refunded = h.connect.events('charge.refunded').map((e) => e.data.object as Stripe.Charge);
    expect(refunded.map((c) => [c.amount_refunded, c.refunded])).toEqual([
      [200, false],
      [500, true],
    ]);
    expect(h.connect.events('charge.refunded')[1]?.account).toBe(account.id);
    await expect(
      h.stripe.refunds.create({ payment_intent: intent }, { stripeAccount: account.id }),
    ).rejects.toMatchObject({ code: 'charge_already_refunded' });
    const charge = await h.stripe.charges.retrieve(
      refunded[1]?.id as string,
      {},
      { stripeAccount: account.id },
    );
    const receipt = await fetch(charge.receipt_url as string);
    expect(receipt.status).toBe(200);
    expect(await receipt.text()).toMatch(/Paid USD 5\.00.*Refunded USD 5\.00/s);
    expect(
      (await h.stripe.refunds.list({ payment_intent: intent }, { stripeAccount: account.id })).data,
    ).toHaveLength(2);
  });

  it('disputes: created (the charge cannot be refunded meanwhile), then closed lost or won', async () => {
    const h = await harness();
    const account = await enabledAccount(h);
    const lostIntent = await purchase(h, account.id);
    const dispute = await h.sim.dispute(lostIntent, { reason: 'fraudulent' });
    expect(dispute).toMatchObject({ status: 'needs_response', amount: 500, payment_intent: lostIntent });
    await expect(
      h.stripe.refunds.create({ payment_intent: lostIntent }, { stripeAccount: account.id }),
    ).rejects.toMatchObject({ code: 'charge_disputed' });
    await h.sim.closeDispute(dispute.id, 'lost');
    const closed = h.connect.events('charge.dispute.closed')[0];
    expect(closed).toMatchObject({
      account: account.id,
      data: { object: { id: dispute.id, status: 'lost' } },
    });
    expect(await h.stripe.disputes.retrieve(dispute.id, {}, { stripeAccount: account.id })).toMatchObject({
      status: 'lost',
    });

    const wonIntent = await purchase(h, account.id);
    const second = await h.sim.dispute(wonIntent);
    await h.sim.closeDispute(second.id, 'won');
    expect(h.connect.types().filter((t) => t.startsWith('charge.dispute.'))).toEqual([
      'charge.dispute.created',
      'charge.dispute.funds_withdrawn',
      'charge.dispute.closed',
      'charge.dispute.created',
      'charge.dispute.funds_withdrawn',
      'charge.dispute.closed',
      'charge.dispute.funds_reinstated',
    ]);
    await expect(h.sim.closeDispute(second.id, 'lost')).rejects.toThrow(/already won/);
  });

  it('lists payment intents and charges on the account, and the platform account sees none of them', async () => {
    const h = await harness();
    const account = await enabledAccount(h);
    const intent = await purchase(h, account.id);
    const charges = await h.stripe.charges.list({ payment_intent: intent }, { stripeAccount: account.id });
    expect(charges.data).toMatchObject([{ payment_intent: intent, status: 'succeeded' }]);
    expect((await h.stripe.paymentIntents.retrieve(intent, {}, { stripeAccount: account.id })).status).toBe(
      'succeeded',
    );
    expect((await h.stripe.charges.list()).data).toEqual([]);
    expect((await h.stripe.accounts.list()).data.map((a) => a.id)).toEqual([account.id]);
    const platform = await h.stripe.accounts.retrieveCurrent();
    expect(platform).toMatchObject({ charges_enabled: true, business_profile: { name: 'Guildmint' } });
    expect(platform.id).not.toBe(account.id);
    expect((await h.stripe.accounts.retrieveCurrent({}, { stripeAccount: account.id })).id).toBe(account.id);
  });
});
