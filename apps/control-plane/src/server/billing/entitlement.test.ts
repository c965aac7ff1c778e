import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { entitlementOfSubscription, TENANT_METADATA_KEY } from './entitlement';
import { PLAN_PRICE_LOOKUP_KEYS } from './prices';

const start = Date.parse('2026-06-01T00:00:00Z') / 1000;
const end = start + 30 * 86_400;
const observedAt = new Date('2026-06-02T00:00:00Z');

function subscription(over: { status?: string; lookupKey?: string | null; tenant?: string | null }) {
  return {
    id: 'sub_1',
    status: over.status ?? 'active',
    metadata: over.tenant === null ? {} : { [TENANT_METADATA_KEY]: over.tenant ?? 'guild-1' },
    items: {
      data: [
        {
          current_period_start: start,
          current_period_end: end,
          price: { lookup_key: over.lookupKey === undefined ? PLAN_PRICE_LOOKUP_KEYS.pro : over.lookupKey },
        },
      ],
    },
  } as unknown as Stripe.Subscription;
}

describe('a Stripe subscription as a plan entitlement', () => {
  it('maps every status Stripe has, and an unknown one to ended', () => {
    const cases: Array<[string, string]> = [
      ['active', 'active'],
      ['trialing', 'trialing'],
      ['past_due', 'past_due'],
      ['unpaid', 'past_due'],
      ['incomplete', 'ended'],
      ['incomplete_expired', 'ended'],
      ['canceled', 'ended'],
      ['paused', 'ended'],
      ['something_new', 'ended'],
    ];
    for (const [stripe, ours] of cases)
      expect([
        stripe,
        entitlementOfSubscription(subscription({ status: stripe }), observedAt, 7)?.entitlement.status,
      ]).toEqual([stripe, ours]);
  });

  it('gives past_due a grace period from the start of the unpaid period; others none', () => {
    const pastDue = entitlementOfSubscription(subscription({ status: 'past_due' }), observedAt, 7);
    expect(pastDue).toEqual({
      tenantId: 'guild-1',
      entitlement: {
        rail: 'stripe',
        ref: 'sub_1',
        plan: 'pro',
        status: 'past_due',
        currentPeriodEnd: new Date(end * 1000),
        graceUntil: new Date((start + 7 * 86_400) * 1000),
        observedAt,
      },
    });
    expect(entitlementOfSubscription(subscription({}), observedAt, 7)?.entitlement.graceUntil).toBeNull();
  });

  it('ignores subscriptions that are not Guildmint plans (no tenant, or another price)', () => {
    expect(entitlementOfSubscription(subscription({ tenant: null }), observedAt, 7)).toBeNull();
    expect(
      entitlementOfSubscription(subscription({ lookupKey: 'someone_elses_price' }), observedAt, 7),
    ).toBeNull();
    expect(entitlementOfSubscription(subscription({ lookupKey: null }), observedAt, 7)).toBeNull();
    expect(
      entitlementOfSubscription(subscription({ lookupKey: PLAN_PRICE_LOOKUP_KEYS.scale }), observedAt, 7)
        ?.entitlement.plan,
    ).toBe('scale');
  });
});
