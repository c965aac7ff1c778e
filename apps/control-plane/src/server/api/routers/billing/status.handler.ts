import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import { PLAN_NAMES, plans, planUsageOf } from '../../../sdk';

/**
 * The billing page: the plan in force, where it comes from (Stripe or Discord), its limits, what the
 * published config uses of them, and the catalog to compare with. Managers see it; only the owner pays.
 */
export async function statusHandler({ ctx }: { ctx: TenantAdminContext }) {
  const [current, config] = await Promise.all([ctx.tenant.plan(), ctx.tenant.config()]);
  return {
    plan: current.plan,
    source: current.source,
    usage: planUsageOf(config),
    catalog: PLAN_NAMES.map((name) => plans[name]),
    /** Whether Stripe is configured: without it the page offers no upgrade. */
    stripe: ctx.services.billing !== null,
  };
}
