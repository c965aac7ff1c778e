import type { TenantContext } from './context.js';
import { STATE } from './state-scopes.js';

export const FAUCET_MULTIPLIER_KEY = 'faucet-multiplier';

/** The auto-balancer's current faucet multiplier in bps: ×1 until it first adjusts, and while it is off. */
export async function policyMultiplierBps(ctx: TenantContext): Promise<number> {
  if (!(await ctx.config()).config.policy.autoBalance.enabled) return 10_000;
  const rows = await ctx.store.readState(ctx.tenant, STATE.policy, [FAUCET_MULTIPLIER_KEY]);
  const row = rows.get(FAUCET_MULTIPLIER_KEY);
  return row ? Number(row.value) : 10_000;
}
