import type { Economy } from '@guildmint/sdk';

/** How long a tenant's plan is trusted before it is read again: an upgrade lifts the limit within this. */
export const PLAN_CACHE_MS = 5_000;

/**
 * API requests a minute per key, from the tenant's plan (`plans.<name>.limits.apiRequestsPerMinute`:
 * Free 60, Pro 600, Scale 3000). Read through a short per-process cache, so the plan costs one store read
 * per tenant every few seconds rather than one per request.
 */
export function planRequestsPerMinute(
  economy: Pick<Economy, 'tenant'>,
  now: () => number = Date.now,
): (tenantId: string) => Promise<number> {
  const cache = new Map<string, { limit: Promise<number>; until: number }>();
  return (tenantId) => {
    const hit = cache.get(tenantId);
    if (hit && hit.until > now()) return hit.limit;
    const limit = economy
      .tenant(tenantId)
      .plan()
      .then((p) => p.plan.limits.apiRequestsPerMinute);
    // A failed read is not kept: the next request asks again.
    limit.catch(() => cache.delete(tenantId));
    cache.set(tenantId, { limit, until: now() + PLAN_CACHE_MS });
    return limit;
  };
}
