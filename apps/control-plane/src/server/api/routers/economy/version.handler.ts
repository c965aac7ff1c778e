import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import type { HandlerArgs } from '../types';
import type { VersionInput } from './version.schema';

/** One past version, to compare with or roll back to. */
export async function versionHandler({ ctx, input }: HandlerArgs<TenantAdminContext, VersionInput>) {
  const { version, ...config } = await ctx.tenant.configVersion(input.version);
  return { version, config };
}
