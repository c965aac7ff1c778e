// The plan catalog: data, not code. Everything that enforces or shows a plan reads it from here.

/** The plans in the order they grow: each includes at least what the one before it does. */
export const PLAN_NAMES = ['free', 'pro', 'scale'] as const;

export type PlanName = (typeof PLAN_NAMES)[number];

/** What a plan allows at most. Whole numbers; the largest plan's limits stand for "as many as you need". */
export interface PlanLimits {
  /** Members holding a balance (anyone who has ever received currency). */
  membersWithBalance: number;
  /** Games enabled in the published config. */
  games: number;
  /** Shop items in the published config. */
  shopItems: number;
  /** Events in the published config. */
  events: number;
  /** Requests per minute to the public HTTP API, per tenant. */
  apiRequestsPerMinute: number;
  /** Outbound webhook endpoints. */
  webhookEndpoints: number;
  /** How far back analytics reach. */
  analyticsHistoryDays: number;
}

/** Switches a plan turns on. */
export interface PlanFeatures {
  /** Members may buy currency packs with real money (Stripe Connect on the owner's account). */
  currencyPacks: boolean;
  /** The bot's replies carry the guild's own colour and footer instead of Guildmint's. */
  customBranding: boolean;
}

export interface Plan {
  readonly name: PlanName;
  /** The name shown to people. */
  readonly title: string;
  readonly limits: Readonly<PlanLimits>;
  readonly features: Readonly<PlanFeatures>;
  /** Guildmint's share of a currency pack sale, in basis points (1 bps = 0.01 %), rounded down. */
  readonly applicationFeeBps: number;
}

/** The catalog: exported as `plans` from `@guildmint/sdk`. */
export const plans: Readonly<Record<PlanName, Plan>> = deepFreeze({
  free: {
    name: 'free',
    title: 'Free',
    limits: {
      membersWithBalance: 250,
      // Every preset (classic and casino enable all five built-in games) must publish on Free.
      games: 5,
      shopItems: 10,
      events: 1,
      apiRequestsPerMinute: 60,
      webhookEndpoints: 1,
      analyticsHistoryDays: 30,
    },
    features: { currencyPacks: false, customBranding: false },
    applicationFeeBps: 1_000,
  },
  pro: {
    name: 'pro',
    title: 'Pro',
    limits: {
      membersWithBalance: 10_000,
      games: 5,
      shopItems: 100,
      events: 20,
      apiRequestsPerMinute: 600,
      webhookEndpoints: 5,
      analyticsHistoryDays: 365,
    },
    features: { currencyPacks: true, customBranding: true },
    applicationFeeBps: 500,
  },
  scale: {
    name: 'scale',
    title: 'Scale',
    limits: {
      membersWithBalance: 1_000_000,
      games: 5,
      shopItems: 500,
      events: 100,
      apiRequestsPerMinute: 3_000,
      webhookEndpoints: 20,
      analyticsHistoryDays: 1_825,
    },
    features: { currencyPacks: true, customBranding: true },
    applicationFeeBps: 250,
  },
});

/** Whether a value names a plan of the catalog. */
export function isPlanName(value: unknown): value is PlanName {
  return typeof value === 'string' && (PLAN_NAMES as readonly string[]).includes(value);
}

/** Position in the catalog: a larger rank is a larger plan. */
export function planRank(name: PlanName): number {
  return PLAN_NAMES.indexOf(name);
}

/** The smallest plan for which `includes` holds, if any. */
export function smallestPlanWhere(includes: (plan: Plan) => boolean): Plan | undefined {
  return PLAN_NAMES.map((name) => plans[name]).find(includes);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
