import type { Economy, EffectivePlan } from '@guildmint/sdk';
import type Stripe from 'stripe';
import { isGuildmintError } from '../sdk';
import { entitlementOfSubscription, TENANT_METADATA_KEY } from './entitlement';
import type { OwnerNotifier } from './owner-dm';
import { type PaidPlan, PLAN_PRICE_LOOKUP_KEYS } from './prices';

export interface BillingOptions {
  stripe: Stripe;
  /**
   * Signing secrets the endpoint accepts: STRIPE_WEBHOOK_SECRET (platform events) and, when set,
   * STRIPE_CONNECT_WEBHOOK_SECRET (connected accounts' events, delivered to the same route).
   */
  webhookSecrets: readonly string[];
  economy: Economy;
  owners: OwnerNotifier;
  /** The guild a tenant belongs to (null: unknown tenant). */
  guildOf(tenantId: string): Promise<string | null>;
  /** How long a plan holds after a renewal fails (past_due). */
  graceDays: number;
  /** The app's public origin: Checkout and the portal send the owner back to its billing page. */
  appUrl: string;
  log?: (message: string, error?: unknown) => void;
  /** Where connected accounts' events go (currency packs); without it they are acknowledged and ignored. */
  connectEvents?: { handleConnectEvent(event: Stripe.Event): Promise<string> } | null;
}

/** What the webhook route answers: 400 for a request Stripe did not sign, 5xx to be delivered again. */
export type WebhookOutcome = { status: 200 | 400; message: string };

/** A second subscription for a tenant that has one: plan changes go through the Customer Portal (prorated). */
export class AlreadySubscribedError extends Error {}

/** Stripe's word for a request it cannot reach or that fails on its side: shown to the owner as such. */
export class BillingUnavailableError extends Error {}

/**
 * Guild owners paying Guildmint with Stripe Billing: Checkout (subscription mode), the Customer Portal,
 * and the webhook that turns a subscription's state, re-read from Stripe, into the tenant's plan
 * entitlement. The SDK stores the entitlement; nothing here keeps plan state of its own.
 */
export class Billing {
  constructor(private readonly o: BillingOptions) {}

  /** A Checkout session for `plan` on the tenant's Stripe customer (one per tenant, reused). */
  async checkout(i: { tenantId: string; plan: PaidPlan; ownerId: string }): Promise<{ url: string }> {
    const { stripe } = this.o;
    const current = (await this.o.economy.tenant(i.tenantId).entitlements()).find(
      (e) => e.rail === 'stripe' && e.status !== 'ended',
    );
    if (current)
      throw new AlreadySubscribedError(
        'this server already has a subscription: change or cancel it under Manage subscription',
      );
    return this.calling(async () => {
      const prices = await stripe.prices.list({
        lookup_keys: [PLAN_PRICE_LOOKUP_KEYS[i.plan]],
        active: true,
      });
      const price = prices.data[0];
      if (!price) throw new BillingUnavailableError(`the ${i.plan} plan has no Stripe price yet`);
      const customer = await this.customerOf(i.tenantId);
      const session = await stripe.checkout.sessions.create({
        mode: 'subscription',
        line_items: [{ price: price.id, quantity: 1 }],
        client_reference_id: i.tenantId,
        ...(customer && { customer }),
        metadata: { [TENANT_METADATA_KEY]: i.tenantId, owner: i.ownerId },
        subscription_data: { metadata: { [TENANT_METADATA_KEY]: i.tenantId } },
        success_url: `${this.billingPage(i.tenantId)}?checkout=success`,
        cancel_url: `${this.billingPage(i.tenantId)}?checkout=canceled`,
      });
      if (!session.url) throw new BillingUnavailableError('Stripe gave no Checkout page');
      return { url: session.url };
    });
  }

  /** The Customer Portal (change plan, cancel, payment method, invoices) for the tenant's customer. */
  async portal(i: { tenantId: string }): Promise<{ url: string } | null> {
    return this.calling(async () => {
      const customer = await this.customerOf(i.tenantId);
      if (!customer) return null;
      const session = await this.o.stripe.billingPortal.sessions.create({
        customer,
        return_url: this.billingPage(i.tenantId),
      });
      return { url: session.url };
    });
  }

  /**
   * `POST /api/webhooks/stripe`. The signature is checked on the raw bytes (a wrong, missing or old one,
   * or a changed body → 400, nothing done). Every event about a subscription re-reads it from Stripe and
   * records what it says now under the event's id as the key: a redelivery, or two deliveries at once,
   * record once; events in any order end in Stripe's current state. A failure throws (the route answers
   * 500 and Stripe delivers again).
   */
  async handleWebhook(rawBody: Buffer, signature: string | null): Promise<WebhookOutcome> {
    if (!signature) return { status: 400, message: 'missing Stripe-Signature' };
    const event = this.verified(rawBody, signature);
    if (!event) return { status: 400, message: 'signature does not verify' };
    if (event.account && this.o.connectEvents)
      return { status: 200, message: await this.o.connectEvents.handleConnectEvent(event) };
    const subscriptionId = subscriptionOfEvent(event);
    if (!subscriptionId) return { status: 200, message: `ignored ${event.type}` };
    await this.syncSubscription(subscriptionId, event);
    return { status: 200, message: `processed ${event.type}` };
  }

  /** The event if one of the endpoint's secrets signed exactly these bytes within the tolerance. */
  private verified(rawBody: Buffer, signature: string): Stripe.Event | null {
    for (const secret of this.o.webhookSecrets) {
      try {
        return this.o.stripe.webhooks.constructEvent(rawBody, signature, secret);
      } catch {
        // Not this secret (or not signed at all): try the next.
      }
    }
    return null;
  }

  private async syncSubscription(subscriptionId: string, event: Stripe.Event): Promise<void> {
    const subscription = await this.o.stripe.subscriptions.retrieve(subscriptionId);
    // The event's time orders observations: a later event's re-read is never overwritten by an earlier one's.
    const observedAt = new Date(event.created * 1000);
    const found = entitlementOfSubscription(subscription, observedAt, this.o.graceDays);
    if (!found) return;
    const tenant = this.o.economy.tenant(found.tenantId);
    const before = await tenant.plan();
    let after: EffectivePlan;
    try {
      after = await tenant.recordEntitlement(found.entitlement, { key: event.id });
    } catch (error) {
      // The same event delivered twice at once, re-read at two moments that differ: the first recorded it.
      if (isGuildmintError(error, 'IDEMPOTENCY_CONFLICT')) return;
      throw error;
    }
    if (after.source?.status === 'past_due' && before.source?.status !== 'past_due')
      await this.tellOwner(found.tenantId, after);
  }

  /** A failed payment is told to the owner by DM; a failed DM is logged, never fails the webhook. */
  private async tellOwner(tenantId: string, plan: EffectivePlan): Promise<void> {
    const guildId = await this.o.guildOf(tenantId);
    if (!guildId) return;
    const until = plan.source?.graceUntil?.toISOString().slice(0, 10) ?? 'soon';
    const text =
      `Guildmint: the payment for your ${plan.plan.title} plan failed. Your server keeps ${plan.plan.title} ` +
      `until ${until}; update the payment method on the billing page to keep it after that.`;
    try {
      await this.o.owners.notify(guildId, text);
    } catch (error) {
      this.o.log?.(`billing: could not DM the owner of guild ${guildId}`, error);
    }
  }

  private billingPage(tenantId: string): string {
    return `${this.o.appUrl}/t/${tenantId}/billing`;
  }

  /** The tenant's Stripe customer, from the subscription its plan entitlement names (none yet: null). */
  private async customerOf(tenantId: string): Promise<string | null> {
    const stripe = (await this.o.economy.tenant(tenantId).entitlements())
      .filter((e) => e.rail === 'stripe')
      .sort((a, b) => b.observedAt.getTime() - a.observedAt.getTime())[0];
    if (!stripe) return null;
    const subscription = await this.o.stripe.subscriptions.retrieve(stripe.ref);
    return typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id;
  }

  private calling<T>(work: () => Promise<T>): Promise<T> {
    return callingStripe(work, { log: this.o.log, what: 'billing', unchanged: 'nothing was charged' });
  }
}

/**
 * Stripe unreachable or failing: one clear BillingUnavailableError for the person (saying what did not
 * happen), the cause logged; our own typed errors pass through. Nothing was created on our side.
 */
export async function callingStripe<T>(
  work: () => Promise<T>,
  o: { log?: ((message: string, error?: unknown) => void) | undefined; what: string; unchanged: string },
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BillingUnavailableError || isGuildmintError(error)) throw error;
    o.log?.(`${o.what}: Stripe call failed`, error);
    throw new BillingUnavailableError(
      `Stripe is not answering right now; ${o.unchanged}. Try again shortly.`,
    );
  }
}

/**
 * The subscription an event is about, for the events that change a plan; null for the rest, and for every
 * event of a connected account (currency packs: their subscriptions are never Guildmint plans).
 */
export function subscriptionOfEvent(event: Stripe.Event): string | null {
  if (event.account) return null;
  const idOf = (value: string | { id: string } | null | undefined) =>
    value == null ? null : typeof value === 'string' ? value : value.id;
  switch (event.type) {
    case 'checkout.session.completed':
      return event.data.object.mode === 'subscription' ? idOf(event.data.object.subscription) : null;
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
    case 'customer.subscription.paused':
    case 'customer.subscription.resumed':
      return event.data.object.id;
    case 'invoice.paid':
    case 'invoice.payment_failed':
      return idOf(event.data.object.parent?.subscription_details?.subscription);
    default:
      return null;
  }
}
