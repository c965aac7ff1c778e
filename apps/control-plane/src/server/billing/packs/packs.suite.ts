import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ControlPlanePackShop } from '@guildmint/bot-runtime';
import { StripeSimulator, testCards } from '@guildmint/stripe-simulator';
import type Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createHarness,
  type Harness,
  nextId,
  onboarded,
  type StorageKind,
} from '../../../../test/support/harness';
import { startStripeReceiver } from '../../../../test/support/stripe-receiver';
import { Billing } from '../billing';
import { noOwnerDm } from '../owner-dm';
import { createStripeClient } from '../stripe-client';
import { openPackStore } from '.';
import { handleInternalPacksRequest } from './internal-route';
import type { MemberNotifier } from './member-dm';
import { creditIdOf, Packs, PURCHASE_CODE } from './packs';

/**
 * Currency packs end to end below the browser, on each store: the real `stripe` SDK against the Stripe
 * simulator, which signs and delivers real Connect webhooks to the very handler of
 * `POST /api/webhooks/stripe`. Every case asserts the member's balance (the ledger) afterwards.
 */

class RecordingMembers implements MemberNotifier {
  readonly sent: Array<{ memberId: string; text: string }> = [];
  async notify(memberId: string, text: string) {
    this.sent.push({ memberId, text });
  }
}

const COINS = 1_000n;

export function packsSuite(kind: StorageKind) {
  let sim: StripeSimulator;
  let receiver: Awaited<ReturnType<typeof startStripeReceiver>>;
  let h: Harness;
  let stripe: Stripe;
  let packs: Packs;
  let billing: Billing | null = null;
  const members = new RecordingMembers();

  beforeAll(async () => {
    receiver = await startStripeReceiver(() => billing);
    sim = await StripeSimulator.start({ webhooks: [{ url: receiver.url }] });
    const connectSecret = sim.addWebhookEndpoint({ url: receiver.url, connect: true }).secret;
    stripe = createStripeClient(sim.secretKey, sim.url);
    h = await createHarness(kind, {
      clock: { now: () => new Date(sim.now() * 1000) },
      packs: ({ economy, platformUrl }) =>
        new Packs({
          stripe,
          economy,
          store: openPackStore(platformUrl),
          members,
          appUrl: 'http://localhost:3000',
          now: () => new Date(sim.now() * 1000),
        }),
    });
    packs = h.services.packs!;
    // The webhook route's Billing, handing Connect events to the packs.
    billing = new Billing({
      stripe,
      webhookSecrets: [sim.webhookEndpoints[0]!.secret, connectSecret],
      economy: h.economy,
      owners: noOwnerDm,
      guildOf: async () => null,
      graceDays: 7,
      appUrl: 'http://localhost:3000',
      connectEvents: packs,
    });
  });

  afterAll(async () => {
    await h?.close();
    await sim?.close();
    await receiver?.close();
  });

  afterEach(async () => {
    await sim.settle();
    expect(sim.internalErrors).toEqual([]);
    expect(sim.deliveries().filter((d) => !d.ok)).toEqual([]);
  });

  /** The tenant is on Pro, as a rail's webhook would record it. */
  function grantPro(tenantId: string, rail: 'stripe' | 'discord') {
    return h.economy.tenant(tenantId).recordEntitlement({
      rail,
      ref: `pro${tenantId}`,
      plan: 'pro',
      status: 'active',
      currentPeriodEnd: null,
      graceUntil: null,
      observedAt: new Date(sim.now() * 1000),
    });
  }

  /** A Pro tenant whose owner finished Connect onboarding, selling `gold` (1000 coins for 4.99). */
  async function seller(o: { perMemberPerDay?: number } = {}) {
    const { tenantId } = await onboarded(h);
    // The pack events are read from the outbox: recorded, as they are once the owner saves an endpoint.
    await h.services.webhooks.outbox.recordEvents(tenantId, true);
    await grantPro(tenantId, 'stripe');
    await packs.onboard(tenantId);
    const account = (await packs.connectStatus(tenantId))!;
    await sim.setAccountState(account.accountId, 'enabled');
    const pack = await packs.define(tenantId, {
      name: 'gold',
      unitAmount: 499,
      currency: 'usd',
      coins: COINS.toString(),
      perMemberPerDay: o.perMemberPerDay ?? 5,
    });
    return { tenantId, accountId: account.accountId, pack, tenant: h.economy.tenant(tenantId) };
  }

  async function link(tenantId: string, memberId: string) {
    const { url } = await packs.checkout({ tenantId, memberId, pack: 'gold' });
    return new URL(url).pathname.split('/').at(-1)!;
  }

  /** The tenant's pack webhook events in the outbox, read without leasing them (lease until 1970). */
  async function packEvents(tenantId: string) {
    const all = await h.services.webhooks.outbox.claimEvents(1000, new Date(8.64e15), new Date(0));
    return all
      .filter((e) => e.tenant === tenantId && e.type.startsWith('pack.'))
      .map((e) => JSON.parse(e.payload) as { type: string; data: Record<string, unknown> });
  }

  let memberId: string;
  beforeEach(() => {
    memberId = nextId();
    members.sent.length = 0;
  });

  describe(`currency packs (${kind})`, () => {
    it('needs a plan with packs: onboarding and defining a pack on Free name the Pro plan', async () => {
      const { tenantId } = await onboarded(h);
      await expect(packs.onboard(tenantId)).rejects.toMatchObject({
        code: 'PLAN_LIMIT',
        message: expect.stringMatching(/Free plan does not include currency packs; the Pro plan does/),
      });
      await expect(
        packs.define(tenantId, {
          name: 'gold',
          unitAmount: 499,
          currency: 'usd',
          coins: '10',
          perMemberPerDay: 1,
        }),
      ).rejects.toMatchObject({ code: 'PLAN_LIMIT' });
      expect(await packs.list(tenantId)).toEqual([]);
    });

    it('through the API: the owner defines and stops a pack; a manager sees packs but may not change them', async () => {
      const { tenantId, user } = await onboarded(h);
      await grantPro(tenantId, 'stripe');
      const owner = h.caller(user);
      const pack = await owner.packs.define({
        tenantId,
        name: 'silver',
        unitAmount: 199,
        currency: 'eur',
        coins: '300',
        perMemberPerDay: 2,
      });
      expect(pack).toMatchObject({ name: 'silver', coins: 300n, tenantId });
      const manager = await h.user('Manager', [{ id: tenantId, name: 'G', icon: null, owner: false }]);
      expect((await h.caller(manager).packs.status({ tenantId })).packs).toHaveLength(1);
      await expect(h.caller(manager).packs.archive({ tenantId, packId: pack.id })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      await expect(
        owner.packs.define({
          tenantId,
          name: 'Bad Name',
          unitAmount: 199,
          currency: 'eur',
          coins: '1',
          perMemberPerDay: 1,
        }),
      ).rejects.toThrow(/lowercase/);
      await owner.packs.archive({ tenantId, packId: pack.id });
      expect((await owner.packs.status({ tenantId })).packs).toEqual([]);
    });

    it('Connect status follows Stripe: pending → enabled → restricted, re-read on account.updated', async () => {
      const { tenantId } = await onboarded(h);
      // Whatever the rail, the plan is what counts.
      await grantPro(tenantId, 'discord');
      const { url } = await packs.onboard(tenantId);
      expect(url).toMatch(/\/connect\/onboarding\//);
      const account = (await packs.connectStatus(tenantId))!;
      expect(account.status).toBe('pending');
      // A second click reuses the account.
      await packs.onboard(tenantId);
      expect((await packs.connectStatus(tenantId))!.accountId).toBe(account.accountId);
      await sim.setAccountState(account.accountId, 'enabled');
      expect((await packs.connectStatus(tenantId))!.status).toBe('enabled');
      await sim.setAccountState(account.accountId, 'restricted');
      expect((await packs.connectStatus(tenantId))!.status).toBe('restricted');
      // A restricted account sells nothing.
      await packs.define(tenantId, {
        name: 'gold',
        unitAmount: 499,
        currency: 'usd',
        coins: '10',
        perMemberPerDay: 1,
      });
      await expect(packs.checkout({ tenantId, memberId, pack: 'gold' })).rejects.toMatchObject({
        code: 'NOT_ELIGIBLE',
      });
    });

    it('credits once from the webhook, under redelivery and concurrent duplicates; the member is told once', async () => {
      const { tenant, accountId, tenantId } = await seller();
      const sessionId = await link(tenantId, memberId);
      const session = await stripe.checkout.sessions.retrieve(sessionId, {}, { stripeAccount: accountId });
      expect(session.metadata).toMatchObject({ gm_tenant: tenantId, gm_member: memberId });
      // The Pro plan's fee (5 %) goes to Guildmint.
      expect(session.amount_total).toBe(499);
      expect(await tenant.balance(memberId)).toBe(0n);
      const paid = await sim.pay(sessionId, { card: testCards.success });
      expect(paid.outcome).toBe('paid');
      expect(await tenant.balance(memberId)).toBe(COINS);
      const completed = sim.events({ type: 'checkout.session.completed', account: accountId })[0]!;
      await sim.redeliver(completed.id as string);
      await sim.deliverConcurrently(completed.id as string, 4);
      expect(await tenant.balance(memberId)).toBe(COINS);
      const credits = (await tenant.ledger.transfers({ account: `user:${memberId}` })).items;
      expect(credits).toHaveLength(1);
      expect(credits[0]).toMatchObject({
        id: creditIdOf(paid.session.payment_intent as string),
        code: PURCHASE_CODE,
        from: 'faucet:purchase',
        metadata: expect.objectContaining({ payment_intent: paid.session.payment_intent }),
      });
      expect(members.sent).toEqual([{ memberId, text: expect.stringMatching(/1000 coins/) }]);
      // One webhook event per payment, written with the credit: redeliveries replay it and write none.
      expect(await packEvents(tenantId)).toEqual([
        {
          type: 'pack.purchased',
          tenant: tenantId,
          timestamp: expect.any(String),
          data: expect.objectContaining({
            member: memberId,
            coins: String(COINS),
            payment_intent: paid.session.payment_intent,
            paid: 499,
            currency: 'usd',
          }),
        },
      ]);
      const fee = await stripe.paymentIntents.retrieve(
        paid.session.payment_intent as string,
        {},
        { stripeAccount: accountId },
      );
      expect(fee.application_fee_amount).toBe(24);
    });

    it('a delayed payment credits only when it succeeds; a failed one credits nothing and says so', async () => {
      const { tenant, tenantId } = await seller();
      const ok = await link(tenantId, memberId);
      expect((await sim.pay(ok, { delayed: true })).outcome).toBe('processing');
      expect(await tenant.balance(memberId)).toBe(0n);
      await sim.settleDelayedPayment(ok, 'succeeded');
      expect(await tenant.balance(memberId)).toBe(COINS);

      const failing = await link(tenantId, memberId);
      await sim.pay(failing, { delayed: true });
      await sim.settleDelayedPayment(failing, 'failed');
      expect(await tenant.balance(memberId)).toBe(COINS);
      expect(members.sent.map((m) => m.text)).toEqual([
        expect.stringMatching(/landed/),
        expect.stringMatching(/did not go through/),
      ]);
    });

    it('a full refund reverses the credit, forced into debt when the coins are spent; a partial one keeps them', async () => {
      const { tenant, tenantId } = await seller();
      const paid = await sim.pay(await link(tenantId, memberId), { card: testCards.success });
      const spentTo = nextId();
      await tenant.pay({ from: memberId, to: spentTo, amount: 600n });
      const before = await tenant.balance(memberId);
      await sim.refund(paid.session.payment_intent as string, { amount: 100 });
      expect(await tenant.balance(memberId)).toBe(before);
      await sim.refund(paid.session.payment_intent as string);
      expect(await tenant.balance(memberId)).toBe(before - COINS);
      expect(before - COINS).toBeLessThan(0n);
      const reversal = (await tenant.ledger.transfers({ account: `user:${memberId}` })).items.find(
        (t) => t.code === 'reversal',
      );
      expect(reversal).toMatchObject({
        reverses: creditIdOf(paid.session.payment_intent as string),
        metadata: expect.objectContaining({
          forced: true,
          reason: expect.stringMatching(/^purchase\.refund/),
        }),
      });
      // The audit log says why the member owes coins: once, however often Stripe told us.
      const pi = paid.session.payment_intent as string;
      expect((await tenant.auditLog()).filter((e) => e.action === 'purchase.refund')).toEqual([
        expect.objectContaining({
          actor: 'stripe',
          target: `user:${memberId}`,
          reason: expect.stringMatching(/^purchase\.refund: charge ch_/),
          details: expect.objectContaining({ payment_intent: pi, coins: String(COINS) }),
        }),
      ]);
      await sim.redeliver(sim.events({ type: 'charge.refunded' }).at(-1)!.id as string);
      expect((await packEvents(tenantId)).map((e) => [e.type, e.data.reason ?? null])).toEqual([
        ['pack.purchased', null],
        ['pack.refunded', 'purchase.refund'],
      ]);
      expect((await tenant.ledger.verify()).ok).toBe(true);
    });

    it('events in any order end as Stripe says: a refund delivered before the payment still nets zero', async () => {
      const { tenant, tenantId } = await seller();
      const sessionId = await link(tenantId, memberId);
      sim.holdDeliveries();
      const paid = await sim.pay(sessionId, { card: testCards.success });
      await sim.refund(paid.session.payment_intent as string);
      await sim.releaseDeliveries('reverse');
      expect(await tenant.balance(memberId)).toBe(0n);
      // Delivered again in the right order: still nothing more.
      const completed = sim
        .events({ type: 'checkout.session.completed' })
        .find((e) => (e.data as { object: { id: string } }).object.id === sessionId)!;
      await sim.redeliver(completed.id as string);
      expect(await tenant.balance(memberId)).toBe(0n);
    });

    it('a dispute takes the coins back; a won dispute gives them back, a lost one does not', async () => {
      const { tenant, tenantId } = await seller();
      const won = await sim.pay(await link(tenantId, memberId), { card: testCards.success });
      const lost = await sim.pay(await link(tenantId, memberId), { card: testCards.success });
      expect(await tenant.balance(memberId)).toBe(2n * COINS);
      const d1 = await sim.dispute(won.session.payment_intent as string);
      const d2 = await sim.dispute(lost.session.payment_intent as string);
      expect(await tenant.balance(memberId)).toBe(0n);
      await sim.closeDispute(d1.id, 'won');
      await sim.closeDispute(d2.id, 'lost');
      expect(await tenant.balance(memberId)).toBe(COINS);
      const log = await tenant.auditLog();
      const entries = (action: string) => log.filter((e) => e.action === action);
      expect(entries('purchase.dispute').map((e) => e.details?.dispute)).toEqual(
        expect.arrayContaining([d1.id, d2.id]),
      );
      expect(entries('purchase.dispute')).toHaveLength(2);
      expect(entries('purchase.dispute_won')).toEqual([
        expect.objectContaining({
          actor: 'stripe',
          target: `user:${memberId}`,
          details: expect.objectContaining({ dispute: d1.id, payment_intent: won.session.payment_intent }),
        }),
      ]);
    });

    it('refuses a session another guild made with copied metadata, and another account for an order', async () => {
      const a = await seller();
      const b = await seller();
      // The real order of a member of guild A.
      const real = await link(a.tenantId, memberId);
      const metadata = (await stripe.checkout.sessions.retrieve(real, {}, { stripeAccount: a.accountId }))
        .metadata!;
      // Guild B's owner, with their own account's key, sells a session that names A's order.
      const forged = await stripe.checkout.sessions.create(
        {
          mode: 'payment',
          line_items: [
            { quantity: 1, price_data: { currency: 'usd', unit_amount: 50, product_data: { name: 'x' } } },
          ],
          metadata,
          payment_intent_data: { metadata },
          success_url: 'http://localhost:3000/packs/paid',
        },
        { stripeAccount: b.accountId },
      );
      await sim.pay(forged.id, { card: testCards.success });
      expect(await a.tenant.balance(memberId)).toBe(0n);
      expect(await b.tenant.balance(memberId)).toBe(0n);
      await sim.refund(forged.payment_intent as string).catch(() => undefined);
      // The same on A's own account, but for another member than the order's.
      const other = await stripe.checkout.sessions.create(
        {
          mode: 'payment',
          line_items: [
            { quantity: 1, price_data: { currency: 'usd', unit_amount: 50, product_data: { name: 'x' } } },
          ],
          metadata: { ...metadata, gm_member: nextId() },
          success_url: 'http://localhost:3000/packs/paid',
        },
        { stripeAccount: a.accountId },
      );
      await sim.pay(other.id, { card: testCards.success });
      expect(await a.tenant.balance(memberId)).toBe(0n);
      // The real one still credits its member.
      await sim.pay(real, { card: testCards.success });
      expect(await a.tenant.balance(memberId)).toBe(COINS);
    });

    it('holds a member to the daily limit before any session is made, even two at once', async () => {
      const { tenantId, accountId } = await seller({ perMemberPerDay: 1 });
      const sessionsBefore = (
        await stripe.checkout.sessions.list({ limit: 100 }, { stripeAccount: accountId })
      ).data.length;
      const both = await Promise.allSettled([
        packs.checkout({ tenantId, memberId, pack: 'gold' }),
        packs.checkout({ tenantId, memberId, pack: 'gold' }),
      ]);
      const given = both.filter((r) => r.status === 'fulfilled').length;
      // Two at once may both be refused (each saw the other's held place), never both given.
      expect(given).toBeLessThanOrEqual(1);
      if (given === 0) await packs.checkout({ tenantId, memberId, pack: 'gold' });
      await expect(packs.checkout({ tenantId, memberId, pack: 'gold' })).rejects.toMatchObject({
        code: 'LIMIT_REACHED',
      });
      const sessionsAfter = (
        await stripe.checkout.sessions.list({ limit: 100 }, { stripeAccount: accountId })
      ).data.length;
      expect(sessionsAfter - sessionsBefore).toBe(1);
      // Another member is not held by this one's limit.
      await expect(packs.checkout({ tenantId, memberId: nextId(), pack: 'gold' })).resolves.toBeDefined();
    });

    it('a member buys through the bot: the runtime client, the internal endpoint, a link, a credit', async () => {
      const { tenant, tenantId } = await seller();
      const secret = 's'.repeat(40);
      const server = createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const response = await handleInternalPacksRequest(
          new Request('http://localhost/api/internal/packs', {
            method: 'POST',
            headers: { authorization: req.headers.authorization ?? '' },
            body: Buffer.concat(chunks),
          }),
          packs,
          secret,
        );
        res.writeHead(response.status, { 'content-type': 'application/json' });
        res.end(await response.text());
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        const shop = new ControlPlanePackShop({ url, secret });
        expect(await shop.list(tenantId)).toEqual([
          { name: 'gold', unitAmount: 499, currency: 'usd', coins: '1000', perMemberPerDay: 5 },
        ]);
        const link = await shop.checkout({ guildId: tenantId, memberId, pack: 'gold' });
        await sim.pay(new URL(link.url).pathname.split('/').at(-1)!, { card: testCards.success });
        expect(await tenant.balance(memberId)).toBe(COINS);
        // What the member reads when a pack cannot be had; a wrong secret is refused outright.
        await expect(shop.checkout({ guildId: tenantId, memberId, pack: 'silver' })).rejects.toThrow(
          /no pack named silver/,
        );
        await expect(
          new ControlPlanePackShop({ url, secret: 'x'.repeat(40) }).list(tenantId),
        ).rejects.toThrow(/not answering/);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('Stripe down: the member gets a clear error and nothing is half-made', async () => {
      const { tenantId } = await seller();
      sim.startOutage();
      try {
        await expect(packs.checkout({ tenantId, memberId, pack: 'gold' })).rejects.toThrow(
          /nothing was charged/,
        );
      } finally {
        sim.endOutage();
      }
      expect((await packs.orders(tenantId)).filter((o) => o.memberId === memberId)).toEqual([]);
      await expect(packs.checkout({ tenantId, memberId, pack: 'nope' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });
  });
}
