import type { EconomyConfig } from '@guildmint/sdk';
import { TRPCError } from '@trpc/server';
import type { TenantAdminContext } from '../../../procedures/tenant-admin';

/** Every role a shop item of the config grants (enabled or not: enabling it later is a publish too). */
export function grantedRoles(config: EconomyConfig): string[] {
  const roles = Object.values(config.shop.items).flatMap((item) =>
    item.effects.flatMap((effect) => (effect.type === 'role' ? [effect.roleId] : [])),
  );
  return [...new Set(roles)];
}

/**
 * The bot holds Manage Roles and hands out whatever a published item grants, so publishing a role
 * grant is granting that role: the publisher must be allowed to do it on Discord (checked there, now).
 */
export async function assertRoleGrantsAllowed(ctx: TenantAdminContext, config: EconomyConfig): Promise<void> {
  const problems = await ctx.services.roleGrants.problems({
    guildId: ctx.tenantId,
    publisherId: ctx.actor,
    roleIds: grantedRoles(config),
  });
  if (problems.length > 0) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `This economy cannot be published: ${problems.join('; ')}.`,
    });
  }
}
