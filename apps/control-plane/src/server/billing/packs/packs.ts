import { randomUUID } from 'node:crypto';
import type { Economy } from '@guildmint/sdk';
import type Stripe from 'stripe';
import { assertFeature, GuildmintError, isGuildmintError } from '../../sdk';
import { BillingUnavailableError, callingStripe } from '../billing';
import { type PackInput, parsePackInput } from './definition';
import type { MemberNotifier } from './member-dm';
import type { ConnectAccountRecord, ConnectStatus, OrderRecord, PackRecord, PackStore } from './store';

/** Where the coins of a pack come from: a purchase, never a faucet members can claim from. */
export const PURCHASE_ACCOUNT = 'faucet:purchase';
export const PURCHASE_CODE = 'purchase.pack';
/** A won dispute gives back what the dispute took. */
export const REINSTATED_CODE = 'purchase.dispute_won';
/** Who the audit log names for what a payment provider decided (a refund, a dispute). */
const AUDIT_ACTOR = 'stripe';

/** The ledger transfer that credits a payment: its id is the payment's, so it happens once per payment. */
export const creditIdOf = (paymentIntentId: string) => `pack.${paymentIntentId}`;

/** What `pack.purchased` and `pack.refunded` webhook events say of the order (coins as a string). */
function packEventData(order: OrderRecord, paymentIntentId: string) {
  return {
    order: order.id,
    pack: order.packId,
    member: order.memberId,
    coins: order.coins,
    payment_intent: paymentIntentId,
  };
}

/** Checkout links expire after Stripe's shortest allowed time, so a stale link cannot be paid days later. */
const SESSION_TTL_S = 30 * 60;

/** Metadata keys on the session and its payment intent: who bought what, checked against our order. */
const META = { tenant: 'gm_tenant', member: 'gm_member', pack: 'gm_pack', order: 'gm_order' } as const;

export interface PacksOptions {
  stripe: Stripe;
  economy: Economy;
  store: PackStore;
  members: MemberNotifier;
  /** The app's public origin: onboarding returns to the billing page, a paid Checkout to /packs/paid. */
  appUrl: string;
  now(): Date;
  log?: (message: string, error?: unknown) => void;
}

/**
 * Currency packs: members pay a guild (Stripe Connect, on the owner's own connected account, with
 * Guildmint's application fee by plan). The credit happens only from the Connect webhook, once per
 * payment: the ledger transfer's id is the payment intent's, and every event re-reads the object from
 * Stripe before acting, so redeliveries, duplicates at once and events in any order end the same.
 */
export class Packs {
  constructor(private readonly o: PacksOptions) {}

  close(): Promise<void> {
    return this.o.store.close();
  }

  // ---- Connect onboarding (owner) ----

  /** The connected account (created once per tenant) and a fresh onboarding link for it. */
  async onboard(tenantId: string): Promise<{ url: string }> {
    await this.assertPlanIncludesPacks(tenantId);
    const billingPage = `${this.o.appUrl}/t/${tenantId}/billing`;
    return this.calling(async () => {
      const record = (await this.o.store.connectAccount(tenantId)) ?? (await this.createAccount(tenantId));
      const link = await this.o.stripe.accountLinks.create({
        account: record.accountId,
        type: 'account_onboarding',
        refresh_url: `${billingPage}?connect=refresh`,
        return_url: `${billingPage}?connect=return`,
      });
      return { url: link.url };
    });
  }

  /** The tenant's connected account; `reread` asks Stripe first (the return page, the webhook). */
  async connectStatus(tenantId: string, o: { reread?: boolean } = {}): Promise<ConnectAccountRecord | null> {
    const record = await this.o.store.connectAccount(tenantId);
    if (!record || !o.reread) return record;
    return this.calling(() => this.reread(record));
  }

  private async createAccount(tenantId: string): Promise<ConnectAccountRecord> {
    // The key makes two clicks at once create one account.
    const account = await this.o.stripe.accounts.create(
      { type: 'express', metadata: { [META.tenant]: tenantId } },
      { idempotencyKey: `guildmint-connect-${tenantId}` },
    );
    const record = { tenantId, accountId: account.id, status: statusOf(account), updatedAt: this.o.now() };
    await this.o.store.saveConnectAccount(record);
    return record;
  }

  private async reread(record: ConnectAccountRecord): Promise<ConnectAccountRecord> {
    const account = await this.o.stripe.accounts.retrieve(record.accountId);
    const next = { ...record, status: statusOf(account), updatedAt: this.o.now() };
    if (next.status !== record.status) await this.o.store.saveConnectAccount(next);
    return next;
  }

  // ---- Packs (owner) ----

  /** The packs on sale. */
  list(tenantId: string): Promise<PackRecord[]> {
    return this.o.store.packs(tenantId);
  }

  /** A new pack; PLAN_LIMIT on a plan without packs, INVALID_INPUT on a bad or taken name. */
  async define(tenantId: string, input: PackInput): Promise<PackRecord> {
    await this.assertPlanIncludesPacks(tenantId);
    const parsed = parsePackInput(input);
    const taken = (await this.o.store.packs(tenantId)).some((p) => p.name === parsed.name);
    if (taken) throw new GuildmintError('INVALID_INPUT', `a pack named ${parsed.name} is already on sale`);
    const pack: PackRecord = {
      id: `pack_${randomUUID().replaceAll('-', '')}`,
      tenantId,
      ...parsed,
      createdAt: this.o.now(),
      archivedAt: null,
    };
    await this.o.store.insertPack(pack);
    return pack;
  }

  /** Takes a pack off sale; links already given keep their terms. */
  async archive(tenantId: string, packId: string): Promise<void> {
    if (!(await this.o.store.archivePack(tenantId, packId, this.o.now())))
      throw new GuildmintError('NOT_FOUND', 'no such pack on sale');
  }

  /** The latest orders (a payments list for the owner, and the runbook's look-up). */
  orders(tenantId: string, limit = 50): Promise<OrderRecord[]> {
    return this.o.store.orders(tenantId, limit);
  }

  // ---- A member buys (runtime, through the internal endpoint) ----

  /**
   * A Checkout link on the guild's connected account for one pack, tied to guild, member and pack. The
   * member's daily limit is checked first (a place is held while the session is created, so two `/buy` at
   * once cannot both pass it); Stripe failing leaves nothing behind.
   */
  async checkout(i: {
    tenantId: string;
    memberId: string;
    pack: string;
  }): Promise<{ url: string; expiresAt: Date }> {
    await this.assertPlanIncludesPacks(i.tenantId);
    const account = await this.o.store.connectAccount(i.tenantId);
    if (account?.status !== 'enabled')
      throw new GuildmintError('NOT_ELIGIBLE', 'this server does not sell packs yet');
    const pack = (await this.o.store.packs(i.tenantId)).find((p) => p.name === i.pack || p.id === i.pack);
    if (!pack) throw new GuildmintError('NOT_FOUND', `no pack named ${i.pack} is on sale here`);
    const now = this.o.now();
    const order: OrderRecord = {
      id: `ord_${randomUUID().replaceAll('-', '')}`,
      tenantId: i.tenantId,
      memberId: i.memberId,
      packId: pack.id,
      coins: pack.coins,
      unitAmount: pack.unitAmount,
      currency: pack.currency,
      accountId: account.accountId,
      sessionId: null,
      paymentIntentId: null,
      status: 'creating',
      createdAt: now,
      updatedAt: now,
    };
    await this.o.store.insertOrder(order);
    const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const used = await this.o.store.countOrders({ ...i, packId: pack.id, since }, [
      'creating',
      'open',
      'paid',
    ]);
    if (used > pack.perMemberPerDay) {
      await this.o.store.deleteOrder(order.id);
      throw new GuildmintError(
        'LIMIT_REACHED',
        `you can buy ${pack.name} ${pack.perMemberPerDay} time(s) a day; try again tomorrow (UTC)`,
      );
    }
    try {
      const session = await this.createSession(order, pack, now);
      await this.o.store.updateOrder(order.id, { sessionId: session.id, status: 'open', updatedAt: now });
      if (!session.url) throw new Error('Stripe gave no Checkout page');
      return { url: session.url, expiresAt: new Date((session.expires_at ?? 0) * 1000) };
    } catch (error) {
      await this.o.store.deleteOrder(order.id);
      this.o.log?.('packs: Checkout could not be created', error);
      throw new BillingUnavailableError(
        'payments are not answering right now; nothing was charged. Try again shortly.',
      );
    }
  }

  private async createSession(order: OrderRecord, pack: PackRecord, now: Date) {
    const { plan } = await this.o.economy.tenant(order.tenantId).plan();
    const metadata = {
      [META.tenant]: order.tenantId,
      [META.member]: order.memberId,
      [META.pack]: pack.id,
      [META.order]: order.id,
    };
    return this.o.stripe.checkout.sessions.create(
      {
        mode: 'payment',
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: pack.currency,
              unit_amount: pack.unitAmount,
              product_data: { name: `${pack.name}: ${pack.coins} coins` },
            },
          },
        ],
        metadata,
        payment_intent_data: {
          metadata,
          application_fee_amount: Math.floor((pack.unitAmount * plan.applicationFeeBps) / 10_000),
        },
        expires_at: Math.floor(now.getTime() / 1000) + SESSION_TTL_S,
        success_url: `${this.o.appUrl}/packs/paid`,
        cancel_url: `${this.o.appUrl}/packs/paid?canceled=1`,
      },
      { stripeAccount: order.accountId, idempotencyKey: order.id },
    );
  }

  // ---- The Connect webhook ----

  /**
   * A verified event from a connected account (Billing.handleWebhook routes them here). Returns what was
   * done, for the response; throws on a failure on our side (the route answers 500, Stripe retries).
   */
  async handleConnectEvent(event: Stripe.Event): Promise<string> {
    const account = event.account;
    if (!account) return `ignored ${event.type}`;
    switch (event.type) {
      case 'account.updated': {
        const record = await this.o.store.connectAccountByAccountId(account);
        if (!record) return 'ignored: not a connected account of ours';
        return `account ${(await this.reread(record)).status}`;
      }
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded':
      case 'checkout.session.async_payment_failed':
      case 'checkout.session.expired':
        return this.settleSession(account, event.data.object.id, event.type);
      case 'charge.refunded':
        return this.settleCharge(account, event.data.object.id);
      case 'charge.dispute.created':
      case 'charge.dispute.updated':
      case 'charge.dispute.closed':
      case 'charge.dispute.funds_withdrawn':
      case 'charge.dispute.funds_reinstated':
        return this.settleDispute(account, event.data.object.id);
      default:
        return `ignored ${event.type}`;
    }
  }

  private async settleSession(account: string, sessionId: string, type: string): Promise<string> {
    const session = await this.o.stripe.checkout.sessions.retrieve(sessionId, {}, { stripeAccount: account });
    if (session.mode !== 'payment') return 'ignored: not a pack payment';
    const order = await this.orderFor(account, session.metadata, {
      sessionId: session.id,
      paid: { amount: session.amount_total, currency: session.currency },
    });
    if (!order) return 'refused: not an order of this account';
    const paymentIntentId = idOf(session.payment_intent);
    if (session.payment_status === 'paid' && paymentIntentId)
      return this.credit(order, paymentIntentId, account);
    const now = this.o.now();
    if (session.status === 'expired') {
      await this.o.store.updateOrder(order.id, { status: 'expired', updatedAt: now });
      return 'expired';
    }
    if (type === 'checkout.session.async_payment_failed') {
      if (await this.o.store.updateOrder(order.id, { status: 'failed', updatedAt: now }))
        await this.tell(order, 'your payment for a currency pack did not go through; nothing was charged.');
      return 'payment failed';
    }
    return 'payment processing';
  }

  private async settleCharge(account: string, chargeId: string): Promise<string> {
    const charge = await this.o.stripe.charges.retrieve(chargeId, {}, { stripeAccount: account });
    const found = await this.orderOfPayment(account, idOf(charge.payment_intent));
    if (!found) return 'refused: not an order of this account';
    // Partial refunds are a goodwill gesture: the coins stay. A full refund takes them back.
    if (!charge.refunded) return 'partial refund: coins kept';
    await this.credit(found.order, found.paymentIntentId, account, { silent: true });
    await this.reverse(found.order, found.paymentIntentId, `purchase.refund: charge ${charge.id} refunded`, {
      action: 'purchase.refund',
      details: { account, charge: charge.id },
    });
    return 'refund reversed';
  }

  private async settleDispute(account: string, disputeId: string): Promise<string> {
    const dispute = await this.o.stripe.disputes.retrieve(disputeId, {}, { stripeAccount: account });
    const charge = await this.o.stripe.charges.retrieve(
      idOf(dispute.charge) ?? '',
      {},
      { stripeAccount: account },
    );
    const found = await this.orderOfPayment(account, idOf(charge.payment_intent));
    if (!found) return 'refused: not an order of this account';
    const { order, paymentIntentId } = found;
    // Whatever order the events came in, the ledger ends as Stripe's money does: a dispute takes the
    // payment back at once (forced: the member may go below zero), a won dispute gives it back.
    await this.credit(order, paymentIntentId, account, { silent: true });
    await this.reverse(order, paymentIntentId, `purchase.dispute: dispute ${dispute.id} opened`, {
      action: 'purchase.dispute',
      details: { account, dispute: dispute.id },
    });
    if (dispute.status !== 'won') return `dispute ${dispute.status}: reversed`;
    const metadata = { order: order.id, payment_intent: paymentIntentId, dispute: dispute.id };
    await this.o.economy.tenant(order.tenantId).ledger.transfer(
      {
        id: `${creditIdOf(paymentIntentId)}.reinstated`,
        from: PURCHASE_ACCOUNT,
        to: `user:${order.memberId}`,
        amount: order.coins,
        code: REINSTATED_CODE,
        metadata,
      },
      {
        audit: {
          actor: AUDIT_ACTOR,
          action: REINSTATED_CODE,
          reason: `dispute ${dispute.id} won: ${order.coins} coins re-credited`,
          details: { ...metadata, account },
        },
      },
    );
    return 'dispute won: re-credited';
  }

  /**
   * The ledger credit, keyed by the payment: a second call (a redelivery, a duplicate at once, the same
   * payment reached through a refund first) writes nothing more. The member is told once, when the order
   * first turns paid.
   */
  private async credit(
    order: OrderRecord,
    paymentIntentId: string,
    account: string,
    o: { silent?: boolean } = {},
  ): Promise<string> {
    await this.o.economy.tenant(order.tenantId).ledger.transfer(
      {
        id: creditIdOf(paymentIntentId),
        from: PURCHASE_ACCOUNT,
        to: `user:${order.memberId}`,
        amount: order.coins,
        code: PURCHASE_CODE,
        metadata: {
          order: order.id,
          pack: order.packId,
          payment_intent: paymentIntentId,
          account,
          paid: `${order.unitAmount} ${order.currency}`,
        },
      },
      {
        event: {
          type: 'pack.purchased',
          data: {
            ...packEventData(order, paymentIntentId),
            paid: order.unitAmount,
            currency: order.currency,
          },
        },
      },
    );
    const turned = await this.o.store.updateOrder(order.id, {
      status: 'paid',
      paymentIntentId,
      updatedAt: this.o.now(),
    });
    if (turned && !o.silent)
      await this.tell(order, `your pack landed: ${order.coins} coins were added to your balance.`);
    return 'credited';
  }

  /**
   * Takes the credit back (forced: the member may go into debt), with an audit entry in the same
   * transaction: the owner sees on the audit log and the member page why a member owes coins.
   */
  private async reverse(
    order: OrderRecord,
    paymentIntentId: string,
    reason: string,
    audit: { action: string; details: Record<string, string> },
  ): Promise<void> {
    const creditId = creditIdOf(paymentIntentId);
    const details = {
      ...audit.details,
      order: order.id,
      payment_intent: paymentIntentId,
      coins: String(order.coins),
    };
    try {
      await this.o.economy.tenant(order.tenantId).ledger.reverse(creditId, {
        id: `${creditId}.reversed`,
        reason,
        force: true,
        audit: { actor: AUDIT_ACTOR, action: audit.action, details },
        event: {
          type: 'pack.refunded',
          data: { ...packEventData(order, paymentIntentId), reason: audit.action },
        },
      });
    } catch (error) {
      if (!isGuildmintError(error, 'ALREADY_REVERSED')) throw error;
    }
  }

  /**
   * Our order for a payment on `account`, from its metadata: only when the order was made for this very
   * account, by the tenant that owns it now, for the member and pack the metadata names. A session or
   * payment another guild's owner made with copied metadata is refused.
   */
  private async orderFor(
    account: string,
    metadata: Stripe.Metadata | null,
    bound: {
      sessionId?: string;
      paymentIntentId?: string;
      /** What Stripe says was charged: it must be the order's price, or the order is not this payment. */
      paid: { amount: number | null; currency: string | null };
    },
  ): Promise<OrderRecord | null> {
    const orderId = metadata?.[META.order];
    if (!orderId) return null;
    const [order, owner] = await Promise.all([
      this.o.store.order(orderId),
      this.o.store.connectAccountByAccountId(account),
    ]);
    if (!order || !owner || owner.tenantId !== order.tenantId || order.accountId !== account) return null;
    if (metadata[META.tenant] !== order.tenantId || metadata[META.member] !== order.memberId) return null;
    if (metadata[META.pack] !== order.packId) return null;
    if (bound.paid.amount !== order.unitAmount || bound.paid.currency !== order.currency) return null;
    if (bound.sessionId && order.sessionId !== null && order.sessionId !== bound.sessionId) return null;
    if (
      bound.paymentIntentId &&
      order.paymentIntentId !== null &&
      order.paymentIntentId !== bound.paymentIntentId
    )
      return null;
    return order;
  }

  private async orderOfPayment(
    account: string,
    paymentIntentId: string | null,
  ): Promise<{ order: OrderRecord; paymentIntentId: string } | null> {
    if (!paymentIntentId) return null;
    const intent = await this.o.stripe.paymentIntents.retrieve(
      paymentIntentId,
      {},
      { stripeAccount: account },
    );
    if (intent.status !== 'succeeded') return null;
    const order = await this.orderFor(account, intent.metadata, {
      paymentIntentId,
      paid: { amount: intent.amount, currency: intent.currency },
    });
    return order && { order, paymentIntentId };
  }

  private async tell(order: OrderRecord, text: string): Promise<void> {
    try {
      await this.o.members.notify(order.memberId, text);
    } catch (error) {
      this.o.log?.(`packs: could not DM member ${order.memberId}`, error);
    }
  }

  private async assertPlanIncludesPacks(tenantId: string): Promise<void> {
    assertFeature((await this.o.economy.tenant(tenantId).plan()).plan, 'currencyPacks');
  }

  private calling<T>(work: () => Promise<T>): Promise<T> {
    return callingStripe(work, { log: this.o.log, what: 'packs', unchanged: 'nothing was changed' });
  }
}

/** pending (onboarding not finished), enabled (can take payments), restricted (Stripe needs more). */
export function statusOf(account: Stripe.Account): ConnectStatus {
  if (account.charges_enabled) return 'enabled';
  return account.details_submitted ? 'restricted' : 'pending';
}

function idOf(value: string | { id: string } | null | undefined): string | null {
  return value == null ? null : typeof value === 'string' ? value : value.id;
}
