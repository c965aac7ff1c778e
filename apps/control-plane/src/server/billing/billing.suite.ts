import { StripeSimulator, testCards } from '@guildmint/stripe-simulator';
import type Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { trpcCode, trpcError } from '../../../test/support/expect';
import {
  createHarness,
  guild,
  type Harness,
  onboarded,
  type StorageKind,
} from '../../../test/support/harness';
import { startStripeReceiver } from '../../../test/support/stripe-receiver';
import { Billing } from './billing';
import type { OwnerNotifier } from './owner-dm';
import { PLAN_PRICE_LOOKUP_KEYS } from './prices';
import { createStripeClient } from './stripe-client';

/**
 * Stripe Billing end to end below the browser, on each store (billing.test.ts: libSQL;
 * billing.postgres.integration.test.ts: PostgreSQL): the real `stripe` SDK against the Stripe simulator, which
 * signs and delivers real webhooks to the very handler `POST /api/webhooks/stripe` runs. Every case
 * asserts the plan (and the audit log) afterwards.
 */

const DAY_S = 86_400;
const GRACE_DAYS = 7;

class RecordingOwners implements OwnerNotifier {
  readonly sent: Array<{ guildId: string; text: string }> = [];
  async notify(guildId: string, text: string) {
    this.sent.push({ guildId, text });
  }
}

export function billingSuite(kind: StorageKind) {
  let sim: StripeSimulator;
  let receiver: Awaited<ReturnType<typeof startStripeReceiver>>;
  let h: Harness;
  let stripe: Stripe;
  let owners: RecordingOwners;
  let billing: Billing;
  let webhookUrl: string;
  let secret: string;
  let connectSecret: string;
  let tenantSeq = 0;

  beforeAll(async () => {
    receiver = await startStripeReceiver(() => billing);
    webhookUrl = receiver.url;
    sim = await StripeSimulator.start({ webhooks: [{ url: webhookUrl }] });
    secret = sim.webhookEndpoints[0]!.secret;
    connectSecret = sim.addWebhookEndpoint({ url: webhookUrl, connect: true }).secret;
    sim.ensurePrice({
      lookupKey: PLAN_PRICE_LOOKUP_KEYS.pro,
      name: 'Pro',
      unitAmount: 900,
      currency: 'usd',
      interval: 'month',
    });
    sim.ensurePrice({
      lookupKey: PLAN_PRICE_LOOKUP_KEYS.scale,
      name: 'Scale',
      unitAmount: 2900,
      currency: 'usd',
      interval: 'month',
    });
    stripe = createStripeClient(sim.secretKey, sim.url);
    owners = new RecordingOwners();
    // The economy's clock is Stripe's: grace periods run out when the simulator's clock moves on.
    h = await createHarness(kind, {
      clock: { now: () => new Date(sim.now() * 1000) },
      billing: ({ economy, platform }) =>
        new Billing({
          stripe,
          webhookSecrets: [secret, connectSecret],
          economy,
          owners,
          guildOf: async (tenantId) => (await platform.tenant(tenantId))?.guildId ?? null,
          graceDays: GRACE_DAYS,
          appUrl: 'http://localhost:3000',
        }),
    });
    billing = h.services.billing!;
  });

  afterAll(async () => {
    await h?.close();
    await sim?.close();
    await receiver?.close();
  });

  let tenantId: string;
  beforeEach(async () => {
    tenantId = `9${String(++tenantSeq).padStart(17, '0')}`;
    owners.sent.length = 0;
  });
  afterEach(async () => {
    await sim.settle();
  });

  /** An owner subscribes through Checkout and pays on the simulator: returns the subscription id. */
  async function subscribe(plan: 'pro' | 'scale' = 'pro', card: string = testCards.success): Promise<string> {
    const { url } = await billing.checkout({ tenantId, plan, ownerId: '1' });
    const sessionId = new URL(url).pathname.split('/').at(-1)!;
    const paid = await sim.pay(sessionId, { card });
    expect(paid.outcome).toBe('paid');
    await sim.settle();
    return paid.session.subscription as string;
  }

  const tenant = () => h.economy.tenant(tenantId);
  const planName = async () => (await tenant().plan()).name;
  const auditCount = async () => (await tenant().auditLog({ limit: 500 })).length;

  /** Posts a body with a signature header straight to the endpoint. */
  async function post(body: string, signature: string | null): Promise<number> {
    const response = await fetch(webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signature !== null && { 'stripe-signature': signature }),
      },
      body,
    });
    return response.status;
  }

  describe(`Stripe Billing webhooks (${kind})`, () => {
    it('Checkout in subscription mode → the plan is Pro, from Stripe', async () => {
      expect(await planName()).toBe('free');
      const subscriptionId = await subscribe('pro');
      expect(await tenant().plan()).toMatchObject({
        name: 'pro',
        source: { rail: 'stripe', ref: subscriptionId, status: 'active' },
      });
      expect(sim.deliveries().every((d) => d.ok)).toBe(true);
      // One audit entry for the change, whatever number of events told of it.
      expect(await auditCount()).toBe(1);
    });

    it('Stripe down: Checkout fails with a clear message and nothing is created', async () => {
      const sessionsBefore = (await stripe.checkout.sessions.list({ limit: 100 })).data.length;
      sim.startOutage();
      try {
        await expect(billing.checkout({ tenantId, plan: 'pro', ownerId: '1' })).rejects.toThrow(
          /Stripe is not answering right now; nothing was charged/,
        );
      } finally {
        sim.endOutage();
      }
      expect((await stripe.checkout.sessions.list({ limit: 100 })).data.length).toBe(sessionsBefore);
      expect(await tenant().entitlements()).toEqual([]);
    });

    it('sends a subscriber to the portal, and reuses their Stripe customer after a cancellation', async () => {
      const subscriptionId = await subscribe('pro');
      const customer = (await stripe.subscriptions.retrieve(subscriptionId)).customer as string;
      const portal = await billing.portal({ tenantId });
      expect(portal?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      // No second subscription while one runs: plan changes go through the portal.
      await expect(billing.checkout({ tenantId, plan: 'scale', ownerId: '1' })).rejects.toThrow(
        /Manage subscription/,
      );
      await stripe.subscriptions.cancel(subscriptionId);
      await sim.settle();
      expect(await planName()).toBe('free');
      const { url } = await billing.checkout({ tenantId, plan: 'scale', ownerId: '1' });
      const session = await stripe.checkout.sessions.retrieve(new URL(url).pathname.split('/').at(-1)!);
      expect(session.customer).toBe(customer);
      expect(session.metadata).toMatchObject({ guildmint_tenant: tenantId });
      // A tenant that never subscribed has no portal.
      expect(await billing.portal({ tenantId: 'never-subscribed' })).toBeNull();
    });

    describe('forged and replayed requests: 400 or a no-op, and the plan unchanged', () => {
      const payloadOf = (subscriptionId: string, status: string) =>
        JSON.stringify({
          id: `evt_forged_${status}`,
          object: 'event',
          type: 'customer.subscription.deleted',
          created: sim.now(),
          data: { object: { id: subscriptionId, object: 'subscription', status } },
        });
      const cases: Array<{
        name: string;
        request: (subscriptionId: string) => { body: string; signature: string | null };
        status: number;
      }> = [
        {
          name: 'no signature',
          request: (id) => ({ body: payloadOf(id, 'canceled'), signature: null }),
          status: 400,
        },
        {
          name: 'signed with another secret',
          request: (id) => {
            const body = payloadOf(id, 'canceled');
            return {
              body,
              signature: stripe.webhooks.generateTestHeaderString({
                payload: body,
                secret: 'whsec_not_ours',
              }),
            };
          },
          status: 400,
        },
        {
          name: 'an old timestamp (beyond the 300 s tolerance)',
          request: (id) => {
            const body = payloadOf(id, 'canceled');
            const timestamp = Math.floor(Date.now() / 1000) - 301;
            return {
              body,
              signature: stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp }),
            };
          },
          status: 400,
        },
        {
          name: 'a body changed by one byte after signing',
          request: (id) => {
            const body = payloadOf(id, 'canceled');
            const signature = stripe.webhooks.generateTestHeaderString({ payload: body, secret });
            return { body: body.replace('"canceled"', '"canceleD"'), signature };
          },
          status: 400,
        },
        {
          name: 'a garbage signature header',
          request: (id) => ({ body: payloadOf(id, 'canceled'), signature: 't=1,v1=deadbeef' }),
          status: 400,
        },
        {
          // Correctly signed, but the handler trusts Stripe's API, not the payload: the subscription is active.
          name: 'a validly signed event whose payload lies about the state',
          request: (id) => {
            const body = payloadOf(id, 'canceled');
            return { body, signature: stripe.webhooks.generateTestHeaderString({ payload: body, secret }) };
          },
          status: 200,
        },
      ];
      for (const c of cases) {
        it(c.name, async () => {
          const subscriptionId = await subscribe('pro');
          const audit = await auditCount();
          const { body, signature } = c.request(subscriptionId);
          expect(await post(body, signature)).toBe(c.status);
          expect(await tenant().plan()).toMatchObject({ name: 'pro', source: { status: 'active' } });
          expect(await auditCount()).toBe(audit);
        });
      }

      it('a Connect event on the same route verifies with the Connect secret and changes no plan', async () => {
        const subscriptionId = await subscribe('pro');
        const audit = await auditCount();
        const body = JSON.stringify({
          id: 'evt_connect_1',
          object: 'event',
          account: 'acct_1',
          type: 'customer.subscription.deleted',
          created: sim.now(),
          data: { object: { id: subscriptionId, object: 'subscription', status: 'canceled' } },
        });
        const signature = stripe.webhooks.generateTestHeaderString({ payload: body, secret: connectSecret });
        expect(await post(body, signature)).toBe(200);
        expect(await tenant().plan()).toMatchObject({ name: 'pro', source: { status: 'active' } });
        expect(await auditCount()).toBe(audit);
      });

      it('a replayed delivery (the same event again) changes nothing', async () => {
        await subscribe('pro');
        const audit = await auditCount();
        const entitlements = await tenant().entitlements();
        for (const delivery of sim.deliveries().filter((d) => d.ok)) {
          expect(await post(delivery.payload, delivery.signature)).toBe(200);
          const [again] = await sim.redeliver(delivery.eventId);
          expect(again?.status).toBe(200);
        }
        expect(await tenant().entitlements()).toEqual(entitlements);
        expect(await auditCount()).toBe(audit);
      });
    });

    it('two identical deliveries at once record the change once', async () => {
      sim.holdDeliveries();
      const { url } = await billing.checkout({ tenantId, plan: 'pro', ownerId: '1' });
      await sim.pay(new URL(url).pathname.split('/').at(-1)!, { card: testCards.success });
      const completed = sim
        .events({ type: 'checkout.session.completed' })
        .find(
          (e) =>
            (e as unknown as Stripe.CheckoutSessionCompletedEvent).data.object.client_reference_id ===
            tenantId,
        );
      const copies = await sim.deliverConcurrently(completed!.id as string, 2);
      expect(copies.map((d) => d.status)).toEqual([200, 200]);
      expect(await tenant().plan()).toMatchObject({ name: 'pro', source: { status: 'active' } });
      expect(await auditCount()).toBe(1);
      // The rest of the events about it (created, invoice paid) arrive afterwards: nothing more to record.
      const rest = await sim.releaseDeliveries('as-happened');
      expect(rest.every((d) => d.status === 200)).toBe(true);
      expect(await auditCount()).toBe(1);
    });

    it('a cancellation delivered before the subscription’s creation ends on Free (order-independent)', async () => {
      sim.holdDeliveries();
      const { url } = await billing.checkout({ tenantId, plan: 'pro', ownerId: '1' });
      const paid = await sim.pay(new URL(url).pathname.split('/').at(-1)!, { card: testCards.success });
      const subscriptionId = paid.session.subscription as string;
      await stripe.subscriptions.cancel(subscriptionId);
      const released = await sim.releaseDeliveries('reverse');
      expect(released[0]?.eventType).toBe('customer.subscription.deleted');
      expect(released.every((d) => d.status === 200)).toBe(true);
      expect(await tenant().plan()).toMatchObject({ name: 'free', source: null });
      expect((await tenant().entitlements())[0]).toMatchObject({ ref: subscriptionId, status: 'ended' });
    });

    it('upgrading in the portal (a subscription update) moves the plan to Scale', async () => {
      const subscriptionId = await subscribe('pro');
      const subscription = await stripe.subscriptions.retrieve(subscriptionId);
      const [scale] = (await stripe.prices.list({ lookup_keys: [PLAN_PRICE_LOOKUP_KEYS.scale] })).data;
      await stripe.subscriptions.update(subscriptionId, {
        items: [{ id: subscription.items.data[0]!.id, price: scale!.id }],
        proration_behavior: 'create_prorations',
      });
      await sim.settle();
      expect(await tenant().plan()).toMatchObject({ name: 'scale', source: { ref: subscriptionId } });
    });

    it('dunning: a failed renewal → past_due with a grace period (owner told once) → Free when Stripe gives up', async () => {
      const platform = h.platform;
      const owner = await h.user('owner', [guild('Billing guild', { id: tenantId })]);
      await h.caller(owner).tenants.create({ guildId: tenantId, preset: 'cozy' });
      expect(await platform.tenant(tenantId)).not.toBeNull();
      const subscriptionId = await subscribe('pro');
      const customer = (await stripe.subscriptions.retrieve(subscriptionId)).customer as string;
      sim.setCard(customer, testCards.chargeFails);
      await sim.renew(subscriptionId);
      await sim.settle();
      const pastDue = await tenant().plan();
      expect(pastDue).toMatchObject({ name: 'pro', source: { status: 'past_due' } });
      const graceDays = (pastDue.source!.graceUntil!.getTime() / 1000 - sim.now()) / DAY_S;
      expect(graceDays).toBeCloseTo(GRACE_DAYS, 0);
      expect(owners.sent).toHaveLength(1);
      expect(owners.sent[0]).toMatchObject({
        guildId: tenantId,
        text: expect.stringMatching(/payment .* failed/),
      });
      // Stripe's retries fail too; after the last it cancels: Free, and the owner is not told again.
      await sim.advanceClock(8 * DAY_S);
      await sim.settle();
      expect(await tenant().plan()).toMatchObject({ name: 'free', source: null });
      expect(owners.sent).toHaveLength(1);
    });

    it('answers 500 while Stripe cannot be read, so Stripe delivers again and the plan lands then', async () => {
      sim.holdDeliveries();
      const { url } = await billing.checkout({ tenantId, plan: 'pro', ownerId: '1' });
      await sim.pay(new URL(url).pathname.split('/').at(-1)!, { card: testCards.success });
      sim.startOutage();
      const failed = await sim.releaseDeliveries('as-happened');
      sim.endOutage();
      expect(
        failed.filter((d) => sim.events().some((e) => e.id === d.eventId)).map((d) => d.status),
      ).toContain(500);
      expect(await planName()).toBe('free');
      // Stripe's retry schedule: the first retry five minutes later.
      await sim.advanceClock(301);
      await sim.settle();
      expect(await tenant().plan()).toMatchObject({ name: 'pro', source: { status: 'active' } });
    });
  });

  describe(`billing router (${kind})`, () => {
    const twoEvents = [1, 2].map((i) => ({
      id: `event-${i}`,
      name: `Event ${i}`,
      startsAt: '2030-01-01T00:00:00Z',
      endsAt: '2030-01-02T00:00:00Z',
      multiplierBps: 20_000,
      faucets: [],
      games: [],
    }));

    it('the owner upgrades through Checkout; a manager sees the plan but may not pay; Pro unlocks a second event', async () => {
      const { tenantId: id, caller: owner } = await onboarded(h, 'cozy');
      tenantId = id;
      const manager = h.caller(await h.user('Manager', [guild('Guild', { id, owner: false })]));

      const free = await manager.billing.status({ tenantId: id });
      expect(free).toMatchObject({ plan: { name: 'free' }, source: null, stripe: true });
      expect(free.usage).toEqual({ games: 0, shopItems: 3, events: 0 });
      expect(free.catalog.map((p) => p.name)).toEqual(['free', 'pro', 'scale']);
      expect(await trpcCode(manager.billing.checkout({ tenantId: id, plan: 'pro' }))).toBe('FORBIDDEN');
      expect(await trpcCode(manager.billing.portal({ tenantId: id }))).toBe('FORBIDDEN');
      expect(await trpcCode(owner.billing.portal({ tenantId: id }))).toBe('NOT_FOUND');

      const current = await owner.economy.current({ tenantId: id });
      const draft = { ...structuredClone(current.config), events: twoEvents };
      const refused = await trpcError(owner.economy.publish({ tenantId: id, config: draft, basedOn: 1 }));
      expect(refused).toMatchObject({
        code: 'PAYMENT_REQUIRED',
        message: 'the Free plan allows 1 events (2 asked); the Pro plan includes up to 20',
      });

      const { url } = await owner.billing.checkout({ tenantId: id, plan: 'pro' });
      expect(
        (await sim.pay(new URL(url).pathname.split('/').at(-1)!, { card: testCards.success })).outcome,
      ).toBe('paid');
      await sim.settle();
      expect(await owner.billing.status({ tenantId: id })).toMatchObject({
        plan: { name: 'pro' },
        source: { rail: 'stripe', status: 'active' },
      });
      expect(await owner.economy.publish({ tenantId: id, config: draft, basedOn: 1 })).toEqual({
        version: 2,
      });
      expect((await owner.billing.portal({ tenantId: id })).url).toMatch(/^http:\/\/127\.0\.0\.1:/);
      expect(await trpcCode(owner.billing.checkout({ tenantId: id, plan: 'scale' }))).toBe('CONFLICT');
    });
  });
}
