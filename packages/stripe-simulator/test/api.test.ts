import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { enabledAccount, harness, planPrices } from './support/fixture.js';

/** The API's conventions, through the real `stripe` SDK: keys, errors, idempotency, expand, lists, Connect. */
describe('Stripe simulator API conventions', () => {
  it('refuses a missing, wrong or live key with 401, which the SDK raises as StripeAuthenticationError', async () => {
    const { sim } = await harness();
    for (const key of ['sk_test_wrong', 'sk_live_abc']) {
      const stripe = new Stripe(key, sim.clientOptions);
      await expect(stripe.customers.list()).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    }
    const bare = await fetch(`${sim.url}/v1/customers`);
    expect(bare.status).toBe(401);
    expect((await bare.json()).error.message).toMatch(/You did not provide an API key/);
  });

  it("answers errors in Stripe's shape: 404 resource_missing, 400 with the parameter named, unknown routes", async () => {
    const { stripe } = await harness();
    const missing = await stripe.customers.retrieve('cus_nope').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      param: 'id',
      message: expect.stringContaining("No such customer: 'cus_nope'"),
    });
    const unknown = await stripe.customers
      .create({ email: 'a@b.test', nickname: 'x' } as never)
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'nickname' });
    const badAmount = await stripe.prices
      .create({ currency: 'usd', unit_amount: 9.5, product_data: { name: 'x' } })
      .catch((e: unknown) => e);
    expect(badAmount).toMatchObject({ statusCode: 400, param: 'unit_amount' });
    expect(await stripe.prices.list()).toMatchObject({ data: [] }); // nothing was created
    const route = await stripe.rawRequest('GET', '/v1/terminal/readers').catch((e: unknown) => e);
    expect(route).toMatchObject({
      statusCode: 404,
      message: expect.stringMatching(/Unrecognized request URL/),
    });
  });

  it('replays the first answer for the same idempotency key and parameters, and refuses other parameters', async () => {
    const { sim, stripe } = await harness();
    const first = await stripe.customers.create({ email: 'a@guild.test' }, { idempotencyKey: 'k-1' });
    const again = await stripe.customers.create({ email: 'a@guild.test' }, { idempotencyKey: 'k-1' });
    expect(again.id).toBe(first.id);
    expect(sim.calls.filter((c) => c.idempotencyKey === 'k-1').map((c) => c.replayed)).toEqual([false, true]);
    const conflict = await stripe.customers
      .create({ email: 'b@guild.test' }, { idempotencyKey: 'k-1' })
      .catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect((await stripe.customers.list()).data.map((c) => c.id)).toEqual([first.id]);
    expect(sim.events({ type: 'customer.created' })).toHaveLength(1);
  });

  it('does not keep an answer for a request whose parameters were refused: the key can be used again', async () => {
    const { stripe } = await harness();
    await expect(
      stripe.prices.create({ currency: 'usd', product_data: { name: 'x' } } as never, {
        idempotencyKey: 'k-2',
      }),
    ).rejects.toMatchObject({
      code: 'parameter_missing',
    });
    const price = await stripe.prices.create(
      { currency: 'usd', unit_amount: 100, product_data: { name: 'x' } },
      { idempotencyKey: 'k-2' },
    );
    expect(price.unit_amount).toBe(100);
  });

  it('filters prices by lookup_keys[] and expands data.product; a taken lookup key needs transfer_lookup_key', async () => {
    const { stripe } = await harness();
    const { pro, scale } = await planPrices(stripe);
    const listed = await stripe.prices.list({
      lookup_keys: ['guildmint_pro_monthly'],
      expand: ['data.product'],
    });
    expect(listed.data.map((p) => p.id)).toEqual([pro.id]);
    expect(listed.data[0]?.product).toMatchObject({ object: 'product', name: 'Pro' });
    expect(listed.data[0]?.recurring).toMatchObject({ interval: 'month', interval_count: 1 });
    const both = await stripe.prices.list({
      lookup_keys: ['guildmint_pro_monthly', 'guildmint_scale_monthly'],
    });
    expect(both.data.map((p) => p.id).sort()).toEqual([pro.id, scale.id].sort());
    const dup = {
      currency: 'usd',
      unit_amount: 1000,
      recurring: { interval: 'month' as const },
      lookup_key: 'guildmint_pro_monthly',
      product: pro.product as string,
    };
    await expect(stripe.prices.create(dup)).rejects.toMatchObject({ param: 'lookup_key' });
    const moved = await stripe.prices.create({ ...dup, transfer_lookup_key: true });
    expect(
      (await stripe.prices.list({ lookup_keys: ['guildmint_pro_monthly'] })).data.map((p) => p.id),
    ).toEqual([moved.id]);
  });

  it('pages lists newest first with has_more and starting_after, and the SDK auto-pagination walks them all', async () => {
    const { stripe } = await harness();
    const made: string[] = [];
    for (let i = 0; i < 25; i++) made.push((await stripe.customers.create({ email: `m${i}@guild.test` })).id);
    const first = await stripe.customers.list({ limit: 10 });
    expect(first.has_more).toBe(true);
    expect(first.data.map((c) => c.id)).toEqual(made.slice().reverse().slice(0, 10));
    const second = await stripe.customers.list({
      limit: 10,
      starting_after: first.data.at(-1)?.id as string,
    });
    expect(second.data.map((c) => c.id)).toEqual(made.slice().reverse().slice(10, 20));
    const all: string[] = [];
    for await (const c of stripe.customers.list({ limit: 7 })) all.push(c.id);
    expect(all).toEqual(made.slice().reverse());
    expect((await stripe.customers.list({ email: 'm3@guild.test' })).data.map((c) => c.id)).toEqual([
      made[3],
    ]);
  });

  it('scopes objects to the account in Stripe-Account; an unknown account is refused with 403', async () => {
    const h = await harness();
    const account = await enabledAccount(h);
    const onAccount = await h.stripe.customers.create(
      { email: 'buyer@guild.test' },
      { stripeAccount: account.id },
    );
    await expect(h.stripe.customers.retrieve(onAccount.id)).rejects.toMatchObject({ statusCode: 404 });
    expect((await h.stripe.customers.retrieve(onAccount.id, {}, { stripeAccount: account.id })).id).toBe(
      onAccount.id,
    );
    await expect(h.stripe.customers.list({}, { stripeAccount: 'acct_missing' })).rejects.toBeInstanceOf(
      Stripe.errors.StripePermissionError,
    );
  });

  it('is down with 503 (StripeAPIError) or slow for a while, as the test asks, then answers again', async () => {
    const { sim, stripe } = await harness();
    sim.startOutage({ requests: 2 });
    await expect(stripe.customers.create({ email: 'x@guild.test' })).rejects.toMatchObject({
      type: 'StripeAPIError',
      statusCode: 503,
    });
    await expect(stripe.customers.list()).rejects.toMatchObject({ statusCode: 503 });
    expect((await stripe.customers.list()).data).toEqual([]); // the outage wrote nothing
    sim.setLatency(300, { requests: 1 });
    const slow = new Stripe(sim.secretKey, { ...sim.clientOptions, timeout: 100 });
    await expect(slow.customers.list()).rejects.toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect((await slow.customers.list()).data).toEqual([]);
  });
});
