import type { PlanEntitlement } from '@guildmint/sdk';
import type Stripe from 'stripe';
import { planOfLookupKey } from './prices';

/** Metadata key on Guildmint's subscriptions naming the tenant they pay for (set at Checkout). */
export const TENANT_METADATA_KEY = 'guildmint_tenant';

/**
 * What a subscription, as just read from Stripe, grants: its tenant and the plan entitlement.
 * `past_due` (and `unpaid`) keep the plan for `graceDays` from the start of the period left unpaid; after
 * that Free, whatever Stripe does next. Null: not one of Guildmint's plan subscriptions.
 */
export function entitlementOfSubscription(
  subscription: Stripe.Subscription,
  observedAt: Date,
  graceDays: number,
): { tenantId: string; entitlement: PlanEntitlement } | null {
  const tenantId = subscription.metadata?.[TENANT_METADATA_KEY];
  const item = subscription.items.data[0];
  const plan = planOfLookupKey(item?.price.lookup_key);
  if (!tenantId || !item || !plan) return null;
  const periodEnd = new Date(item.current_period_end * 1000);
  const periodStart = new Date(item.current_period_start * 1000);
  // A status Stripe adds later grants nothing until it is mapped here.
  const status = STATUS[subscription.status] ?? 'ended';
  return {
    tenantId,
    entitlement: {
      rail: 'stripe',
      ref: subscription.id,
      plan,
      status,
      currentPeriodEnd: periodEnd,
      graceUntil: status === 'past_due' ? new Date(periodStart.getTime() + graceDays * 86_400_000) : null,
      observedAt,
    },
  };
}

/** Stripe's subscription statuses in the entitlement model's words. */
const STATUS: Partial<Record<string, PlanEntitlement['status']>> = {
  active: 'active',
  trialing: 'trialing',
  past_due: 'past_due',
  // Stripe stopped retrying but kept the subscription: the grace period decides, as for past_due.
  unpaid: 'past_due',
  // Never paid (the first payment failed or is pending), stopped, or paused: nothing granted.
  incomplete: 'ended',
  incomplete_expired: 'ended',
  canceled: 'ended',
  paused: 'ended',
};
