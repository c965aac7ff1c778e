import { describe, expect, it } from 'vitest';
import { defineEconomy } from '../config/define.js';
import { presets } from '../config/presets.js';
import { ErrorCode, GuildmintError } from '../errors.js';
import { PLAN_NAMES, plans, smallestPlanWhere } from './catalog.js';
import { effectivePlanOf, type PlanEntitlement } from './entitlements.js';
import { assertConfigFits, assertFeature, assertWithinLimit } from './limits.js';

const now = new Date('2026-06-01T00:00:00Z');
const entitlement = (over: Partial<PlanEntitlement>): PlanEntitlement => ({
  rail: 'stripe',
  ref: 'sub_1',
  plan: 'pro',
  status: 'active',
  currentPeriodEnd: null,
  graceUntil: null,
  observedAt: now,
  ...over,
});

function planLimitMessage(work: () => void): string {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(GuildmintError);
    expect((error as GuildmintError).code).toBe(ErrorCode.PLAN_LIMIT);
    return (error as GuildmintError).message;
  }
  throw new Error('expected PLAN_LIMIT');
}

describe('plan catalog', () => {
  it('grows plan by plan: each includes at least what the one before it does', () => {
    for (let i = 1; i < PLAN_NAMES.length; i++) {
      const smaller = plans[PLAN_NAMES[i - 1]!];
      const larger = plans[PLAN_NAMES[i]!];
      for (const [limit, value] of Object.entries(smaller.limits))
        expect(larger.limits[limit as keyof typeof smaller.limits], limit).toBeGreaterThanOrEqual(value);
      for (const [feature, on] of Object.entries(smaller.features))
        if (on) expect(larger.features[feature as keyof typeof smaller.features], feature).toBe(true);
      expect(larger.applicationFeeBps).toBeLessThanOrEqual(smaller.applicationFeeBps);
    }
    expect(Object.isFrozen(plans.pro.limits)).toBe(true);
    expect(JSON.parse(JSON.stringify(plans))).toEqual(plans);
  });

  it('lets every preset publish on Free', () => {
    for (const preset of Object.values(presets))
      expect(() => assertConfigFits(plans.free, preset)).not.toThrow();
  });

  it('names the smallest plan that includes what was asked, or says that none does', () => {
    expect(smallestPlanWhere((p) => p.limits.webhookEndpoints >= 2)?.name).toBe('pro');
    expect(planLimitMessage(() => assertWithinLimit(plans.free, 'webhookEndpoints', 6))).toBe(
      'the Free plan allows 1 webhook endpoints (6 asked); the Scale plan includes up to 20',
    );
    expect(planLimitMessage(() => assertWithinLimit(plans.pro, 'shopItems', 501))).toBe(
      'the Pro plan allows 100 shop items (501 asked); no plan includes that many: the Scale plan allows 500',
    );
    expect(planLimitMessage(() => assertFeature(plans.free, 'customBranding'))).toBe(
      'the Free plan does not include custom branding of replies; the Pro plan does',
    );
    expect(() => assertWithinLimit(plans.free, 'events', 1)).not.toThrow();
    expect(() => assertFeature(plans.pro, 'currencyPacks')).not.toThrow();
  });
});

describe('custom branding', () => {
  it('is validated, and refused with PLAN_LIMIT on a plan without it', () => {
    const branded = defineEconomy({
      ...presets.cozy,
      branding: { color: '#1abc9c', footer: ' Moonlight Café ' },
    });
    expect(branded.branding).toEqual({ color: '#1abc9c', footer: 'Moonlight Café' });
    expect(defineEconomy(presets.cozy).branding).toEqual({ color: null, footer: null });
    for (const branding of [
      { color: 'teal' },
      { color: '#12345' },
      { footer: '' },
      { footer: 'x'.repeat(201) },
    ])
      expect(() => defineEconomy({ ...presets.cozy, branding })).toThrow(GuildmintError);
    expect(() => assertConfigFits(plans.free, branded)).toThrow(
      new GuildmintError(
        ErrorCode.PLAN_LIMIT,
        'the Free plan does not include custom branding of replies; the Pro plan does',
      ),
    );
    expect(() => assertConfigFits(plans.pro, branded)).not.toThrow();
  });
});

describe('effective plan', () => {
  it('is the best granting entitlement; ended, or past_due beyond its grace, grant nothing', () => {
    const later = new Date(now.getTime() + 1000);
    const cases: Array<[PlanEntitlement[], string]> = [
      [[], 'free'],
      [[entitlement({ status: 'ended' })], 'free'],
      [[entitlement({ status: 'trialing' })], 'pro'],
      [[entitlement({ status: 'past_due', graceUntil: later })], 'pro'],
      [[entitlement({ status: 'past_due', graceUntil: now })], 'free'],
      [[entitlement({ status: 'past_due', graceUntil: null })], 'free'],
      [[entitlement({}), entitlement({ rail: 'discord', ref: 'd1', plan: 'scale' })], 'scale'],
      [[entitlement({ plan: 'scale', status: 'ended' }), entitlement({ ref: 'sub_2' })], 'pro'],
    ];
    for (const [entitlements, name] of cases) expect(effectivePlanOf(entitlements, now).name).toBe(name);
  });

  it('names a paid-up entitlement as the source over a past_due one of the same plan', () => {
    const pastDue = entitlement({ ref: 'a', status: 'past_due', graceUntil: new Date(now.getTime() + 1) });
    const active = entitlement({ rail: 'discord', ref: 'b' });
    expect(effectivePlanOf([pastDue, active], now).source).toMatchObject({ ref: 'b', status: 'active' });
    expect(effectivePlanOf([active, pastDue], now).source).toMatchObject({ ref: 'b', status: 'active' });
  });
});
