import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import type { HandlerArgs } from '../types';
import { assertRoleGrantsAllowed } from './role-grants';
import type { VersionInput } from './version.schema';

/** Rolls back by publishing an earlier version again, as a new version: history is never rewritten. */
export async function rollbackHandler({ ctx, input }: HandlerArgs<TenantAdminContext, VersionInput>) {
  const { version: _from, ...config } = await ctx.tenant.configVersion(input.version);
  // Publishing an old version again grants its roles again: the same check as any publish.
  await assertRoleGrantsAllowed(ctx, config);
  const published = await ctx.tenant.configure(config, { actor: ctx.actor });
  return { version: published.version, from: input.version };
}
