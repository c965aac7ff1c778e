import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { StripeSimulator, testCards } from '../src/index.js';
import { enabledAccount, harness } from './support/fixture.js';

describe('Events and webhooks', () => {
  it('signs every delivery with the real scheme: constructEvent verifies it; one changed byte or another secret does not', async () => {
    const h = await harness();
    await h.stripe.customers.create({ email: 'a@guild.test' });
    await h.sim.settle();
    const [delivery] = h.sim.deliveries();
    expect(delivery).toMatchObject({ eventType: 'customer.created', ok: true, status: 200, attempt: 1 });
    expect(h.platform.received.every((r) => r.verifyError === null)).toBe(true);
    const { payload, signature } = delivery as { payload: string; signature: string };
    const t = Number(/t=(\d+)/.exec(signature)?.[1]);
    expect(signature).toBe(
      h.stripe.webhooks.generateTestHeaderString({ payload, secret: h.platform.secret, timestamp: t }),
    );
    expect(h.stripe.webhooks.constructEvent(payload, signature, h.platform.secret).type).toBe(
      'customer.created',
    );
    expect(() =>
      h.stripe.webhooks.constructEvent(
        payload.replace('a@guild.test', 'b@guild.test'),
        signature,
        h.platform.secret,
      ),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => h.stripe.webhooks.constructEvent(payload, signature, h.connect.secret)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
  });

  it("keeps the signature's timestamp on the wall clock while the test clock moves, so constructEvent's tolerance holds", async () => {
    const h = await harness({ now: 1_800_000_000 });
    await h.sim.advanceClock(40 * 86_400);
    await h.stripe.customers.create({ email: 'later@guild.test' });
    await h.sim.settle();
    const event = h.platform.events('customer.created')[0] as Stripe.Event;
    expect(event.created).toBe(1_800_000_000 + 40 * 86_400);
    expect(h.platform.received[0]?.verifyError).toBeNull();
  });

  it('events carry the request that caused them and are retrievable and listable by type, per account', async () => {
    const h = await harness();
    const customer = await h.stripe.customers.create(
      { email: 'a@guild.test' },
      { idempotencyKey: 'create-a' },
    );
    const [event] = (await h.stripe.events.list({ type: 'customer.created' })).data;
    expect(event).toMatchObject({
      type: 'customer.created',
      data: { object: { id: customer.id } },
      request: { idempotency_key: 'create-a' },
    });
    expect((await h.stripe.events.retrieve(event?.id as string)).id).toBe(event?.id);
    const account = await enabledAccount(h);
    expect(
      (await h.stripe.events.list({ type: 'account.*' }, { stripeAccount: account.id })).data.map(
        (e) => e.type,
      ),
    ).toEqual(['account.updated']);
    expect((await h.stripe.events.list({ type: 'account.*' })).data).toEqual([]);
  });

  it('retries a failed delivery on the schedule as the clock moves, until it succeeds', async () => {
    const h = await harness();
    let failures = 2;
    h.platform.status = () => (failures-- > 0 ? 500 : 200);
    await h.stripe.customers.create({ email: 'a@guild.test' });
    await h.sim.settle();
    expect(h.sim.deliveries().map((d) => d.status)).toEqual([500]);
    await h.sim.advanceClock(299);
    expect(h.sim.deliveries()).toHaveLength(1);
    await h.sim.advanceClock(1);
    await h.sim.advanceClock(1_800);
    expect(h.sim.deliveries().map((d) => [d.status, d.attempt, d.reason])).toEqual([
      [500, 1, 'event'],
      [500, 2, 'retry'],
      [200, 3, 'retry'],
    ]);
    await h.sim.advanceClock(86_400);
    expect(h.sim.deliveries()).toHaveLength(3);
  });

  it('gives up after the last retry; a receiver that is down gets null status', async () => {
    const h = await harness({ webhookRetrySchedule: [60] });
    h.platform.status = () => 503;
    await h.stripe.customers.create({ email: 'a@guild.test' });
    await h.sim.advanceClock(10 * 86_400);
    expect(h.sim.deliveries().map((d) => d.status)).toEqual([503, 503]);
    await h.platform.close();
    await h.sim.redeliver(h.sim.deliveries()[0]?.eventId as string);
    expect(h.sim.deliveries().at(-1)).toMatchObject({ status: null, ok: false, reason: 'redeliver' });
    expect(h.sim.deliveries().at(-1)?.error).toMatch(/ECONNREFUSED|closed/);
  });

  it('redelivers an event with the same id and body; delivers one twice at the same moment with identical requests', async () => {
    const h = await harness();
    await h.stripe.customers.create({ email: 'a@guild.test' });
    await h.sim.settle();
    const eventId = h.platform.events()[0]?.id as string;
    await h.sim.redeliver(eventId);
    expect(h.platform.events().map((e) => e.id)).toEqual([eventId, eventId]);
    const twins = await h.sim.deliverConcurrently(eventId, 2);
    expect(twins.map((d) => d.status)).toEqual([200, 200]);
    expect(twins[0]?.signature).toBe(twins[1]?.signature);
    expect(h.platform.received.slice(-2).map((r) => r.raw)).toEqual([
      h.platform.received[0]?.raw,
      h.platform.received[0]?.raw,
    ]);
  });

  it('holds deliveries and releases them out of order: reversed, by id, or shuffled by the seed', async () => {
    const h = await harness();
    h.sim.holdDeliveries();
    const sub = async () => {
      const price = await h.stripe.prices.create({
        currency: 'usd',
        unit_amount: 900,
        recurring: { interval: 'month' },
        product_data: { name: 'Pro' },
      });
      const session = await h.stripe.checkout.sessions.create({
        mode: 'subscription',
        line_items: [{ price: price.id, quantity: 1 }],
        success_url: 'http://localhost/ok',
      });
      await h.sim.pay(session.id, { card: testCards.success });
      return (await h.stripe.checkout.sessions.retrieve(session.id)).subscription as string;
    };
    const id = await sub();
    await h.stripe.subscriptions.cancel(id);
    expect(h.platform.received).toEqual([]);
    const happened = h.sim
      .events()
      .map((e) => e.type)
      .reverse();
    await h.sim.releaseDeliveries('reverse');
    expect(h.platform.types()).toEqual([...happened].reverse());
    expect(h.platform.types()[0]).toBe('customer.subscription.deleted');

    h.sim.holdDeliveries();
    await h.stripe.customers.create({ email: 'x@guild.test' });
    await h.stripe.customers.create({ email: 'y@guild.test' });
    const [y, x] = h.sim.events({ type: 'customer.created' });
    await h.sim.releaseDeliveries([y?.id as string]);
    expect(h.platform.types().at(-1)).toBe('customer.created');
    expect(h.platform.events().at(-1)?.id).toBe(y?.id);
    await h.sim.releaseDeliveries();
    expect(h.platform.events().at(-1)?.id).toBe(x?.id);

    // The same seed shuffles the same way.
    const orders: string[][] = [];
    for (let run = 0; run < 2; run++) {
      const sim = await StripeSimulator.start({
        seed: 42,
        webhooks: [{ url: h.platform.url, secret: h.platform.secret }],
      });
      const stripe = new Stripe(sim.secretKey, sim.clientOptions);
      sim.holdDeliveries();
      for (let i = 0; i < 6; i++) await stripe.customers.create({ email: `s${i}@guild.test` });
      const sent = await sim.releaseDeliveries('shuffle');
      orders.push(
        sent.map((d) => (JSON.parse(d.payload) as { data: { object: { email: string } } }).data.object.email),
      );
      await sim.close();
    }
    console.log('shuffle seed 42');
    const created = Array.from({ length: 6 }, (_, i) => `s${i}@guild.test`);
    expect(orders[0]).toEqual(orders[1]);
    expect(orders[0]).not.toEqual(created);
    expect([...(orders[0] as string[])].sort()).toEqual(created);
  });

  it('sends only to loopback endpoints', async () => {
    const { sim } = await harness();
    expect(() => sim.addWebhookEndpoint({ url: 'http://10.0.0.1/hook' })).toThrow(/not on loopback/);
    expect(() => sim.addWebhookEndpoint({ url: 'https://example.com/hook' })).toThrow(/not on loopback/);
    expect(sim.webhookEndpoints).toHaveLength(2);
  });
});
