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
 * Every role the config pays an income to (enabled or not). Attaching coins to a role is handing out
 * something with it, so the same rules as for a granted role apply: a moderator may not make a role
 * above their own (or @everyone, or an integration's) a paid one.
 */
export function incomeRoles(config: EconomyConfig): string[] {
  return [...new Set(config.roleIncome.roles.map((role) => role.roleId))];
}

/**
 * The bot holds Manage Roles and hands out whatever a published item grants, so publishing a role
 * grant is granting that role: the publisher must be allowed to do it on Discord (checked there, now).
 * Role incomes are checked by the same rules (`incomeRoles`).
 */
export async function assertRoleGrantsAllowed(ctx: TenantAdminContext, config: EconomyConfig): Promise<void> {
  const problems = await ctx.services.roleGrants.problems({
    guildId: ctx.tenantId,
    publisherId: ctx.actor,
    roleIds: [...new Set([...grantedRoles(config), ...incomeRoles(config)])],
  });
  if (problems.length > 0) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `This economy cannot be published: ${problems.join('; ')}.`,
    });
  }
}
