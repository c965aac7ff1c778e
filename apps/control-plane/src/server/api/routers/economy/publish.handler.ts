import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import type { HandlerArgs } from '../types';
import type { PublishInput } from './publish.schema';
import { assertRoleGrantsAllowed } from './role-grants';

/**
 * Publishes a new version; the runtime hot-reloads it. A compare-and-set on the version the editor
 * started from (in the SDK, so it holds across processes): a publish over a newer version gets CONFLICT.
 */
export async function publishHandler({ ctx, input }: HandlerArgs<TenantAdminContext, PublishInput>) {
  await assertRoleGrantsAllowed(ctx, input.config);
  return ctx.tenant.configure(input.config, { actor: ctx.actor, basedOn: input.basedOn });
}
