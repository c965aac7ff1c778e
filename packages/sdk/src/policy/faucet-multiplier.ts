import type { EconomyConfig } from '../config/schema.js';
import { STATE } from '../context/state-scopes.js';
import type { TenantContext } from '../context/tenant-context.js';
import { BPS_ONE } from '../events/index.js';
import { readScope, type StateRow } from '../stores/types.js';

/** The auto-balancer's faucet multiplier: one `gm_state` row per tenant, written by `autobalance.ts`. */
export const FAUCET_MULTIPLIER = { scope: STATE.policy, key: 'faucet-multiplier' } as const;

/** The multiplier's committed row (no lock), if the auto-balancer ever set one. */
export async function readFaucetMultiplier(ctx: TenantContext): Promise<StateRow | undefined> {
  const { scope, key } = FAUCET_MULTIPLIER;
  return (await readScope(ctx.store, ctx.tenant, scope, [key])).get(key);
}

/** The multiplier in force, in bps: ×1 while auto-balancing is off, and until it first adjusts. */
export function faucetMultiplierBps(config: EconomyConfig, row: StateRow | undefined): number {
  return config.policy.autoBalance.enabled && row ? Number(row.value) : BPS_ONE;
}
