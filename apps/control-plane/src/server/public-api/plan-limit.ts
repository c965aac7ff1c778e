/**
 * API requests a minute per key on the Free plan. The plan catalog (`plans` in @guildmint/sdk, with
 * `tenant.plan()`) is being built beside this; until it lands, every tenant gets the Free number through
 * this one function, and `requestsPerMinute` becomes `(await tenant.plan()).plan.limits.<its name>`.
 */
export const FREE_API_REQUESTS_PER_MINUTE = 60;

export async function apiRequestsPerMinute(_tenantId: string): Promise<number> {
  return FREE_API_REQUESTS_PER_MINUTE;
}
