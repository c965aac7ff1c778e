import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import { presets } from '../../../sdk';

/**
 * The published config and its version (0: the classic default, never published), with the
 * settings a newly offered game starts from (so the browser never loads the SDK).
 */
export async function currentHandler({ ctx }: { ctx: TenantAdminContext }) {
  const { version, ...config } = await ctx.tenant.config();
  return { version, config, defaults: { games: presets.classic.games } };
}
