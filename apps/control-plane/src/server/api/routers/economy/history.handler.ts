import type { TenantAdminContext } from '../../../procedures/tenant-admin';

/** Every published version, newest first. */
export function historyHandler({ ctx }: { ctx: TenantAdminContext }) {
  return ctx.tenant.configHistory();
}
