import { usesBranding } from '../config/branding.js';
import type { EconomyConfig } from '../config/schema.js';
import { ErrorCode, GuildmintError } from '../errors.js';
import {
  PLAN_NAMES,
  type Plan,
  type PlanFeatures,
  type PlanLimits,
  plans,
  smallestPlanWhere,
} from './catalog.js';

/** How each limit reads in a sentence ("allows 2 games enabled"). */
const LIMIT_WORDS: Record<keyof PlanLimits, string> = {
  membersWithBalance: 'members with a balance',
  games: 'games enabled',
  shopItems: 'shop items',
  events: 'events',
  apiRequestsPerMinute: 'API requests per minute',
  webhookEndpoints: 'webhook endpoints',
  analyticsHistoryDays: 'days of analytics history',
};

const FEATURE_WORDS: Record<keyof PlanFeatures, string> = {
  currencyPacks: 'currency packs',
  customBranding: 'custom branding of replies',
};

/**
 * PLAN_LIMIT unless `wanted` fits `plan`'s limit; the message names the smallest plan that includes it,
 * so the person reading it knows what to upgrade to.
 */
export function assertWithinLimit(plan: Plan, limit: keyof PlanLimits, wanted: number): void {
  if (wanted <= plan.limits[limit]) return;
  const words = LIMIT_WORDS[limit];
  const fits = smallestPlanWhere((p) => wanted <= p.limits[limit]);
  const largest = plans[PLAN_NAMES[PLAN_NAMES.length - 1]!];
  throw new GuildmintError(
    ErrorCode.PLAN_LIMIT,
    `the ${plan.title} plan allows ${plan.limits[limit]} ${words} (${wanted} asked); ` +
      (fits
        ? `the ${fits.title} plan includes up to ${fits.limits[limit]}`
        : `no plan includes that many: the ${largest.title} plan allows ${largest.limits[limit]}`),
  );
}

/** PLAN_LIMIT unless `plan` has the feature; the message names the smallest plan that does. */
export function assertFeature(plan: Plan, feature: keyof PlanFeatures): void {
  if (plan.features[feature]) return;
  const has = smallestPlanWhere((p) => p.features[feature]);
  throw new GuildmintError(
    ErrorCode.PLAN_LIMIT,
    `the ${plan.title} plan does not include ${FEATURE_WORDS[feature]}` +
      (has ? `; the ${has.title} plan does` : ''),
  );
}

/** What a config uses of the limits a publish is checked against. */
export function planUsageOf(config: EconomyConfig): Pick<PlanLimits, 'games' | 'shopItems' | 'events'> {
  return {
    games: Object.values(config.games).filter((game) => game?.enabled).length,
    shopItems: Object.keys(config.shop.items).length,
    events: config.events.length,
  };
}

/** PLAN_LIMIT if publishing `config` would go beyond `plan` (games enabled, shop items, events, branding). */
export function assertConfigFits(plan: Plan, config: EconomyConfig): void {
  const usage = planUsageOf(config);
  for (const limit of ['games', 'shopItems', 'events'] as const) assertWithinLimit(plan, limit, usage[limit]);
  if (usesBranding(config.branding)) assertFeature(plan, 'customBranding');
}
