import type { ProtectedContext } from '../../../procedures/protected';

/** The economies the user manages (for the switcher). */
export async function mineHandler({ ctx }: { ctx: ProtectedContext }) {
  const tenants = await ctx.services.platform.tenantsOf(ctx.session.user.id);
  return tenants.map((t) => ({ id: t.id, name: t.name, preset: t.preset, role: t.role }));
}
