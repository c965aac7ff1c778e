import type { PlanName } from '@guildmint/sdk';

/** The paid plans and the Stripe price (by lookup key) each is sold at. Free has no price. */
export const PLAN_PRICE_LOOKUP_KEYS = {
  pro: 'guildmint_pro_monthly',
  scale: 'guildmint_scale_monthly',
} as const satisfies Partial<Record<PlanName, string>>;

export type PaidPlan = keyof typeof PLAN_PRICE_LOOKUP_KEYS;

export const PAID_PLANS = Object.keys(PLAN_PRICE_LOOKUP_KEYS) as PaidPlan[];

/** The plan a Stripe price sells, from its lookup key; null for a price that is not one of ours. */
export function planOfLookupKey(lookupKey: string | null | undefined): PaidPlan | null {
  const found = PAID_PLANS.find((plan) => PLAN_PRICE_LOOKUP_KEYS[plan] === lookupKey);
  return found ?? null;
}
