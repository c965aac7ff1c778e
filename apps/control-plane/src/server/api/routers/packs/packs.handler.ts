import { TRPCError } from '@trpc/server';
import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import { unavailableAsTrpc } from '../billing/checkout.handler';
import type { HandlerArgs } from '../types';
import type { ArchiveInput, DefineInput, StatusInput } from './packs.schema';

function requirePacks(ctx: TenantAdminContext) {
  const { packs } = ctx.services;
  if (!packs)
    throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'payments are not set up on this server' });
  return packs;
}

/**
 * The packs section of the billing page: the Connect account (re-read from Stripe when the owner comes
 * back from onboarding), the packs on sale, the latest payments, and whether the plan includes packs.
 */
export async function statusHandler({ ctx, input }: HandlerArgs<TenantAdminContext, StatusInput>) {
  const packs = ctx.services.packs;
  const { plan } = await ctx.tenant.plan();
  if (!packs) return { configured: false as const, included: plan.features.currencyPacks };
  const [account, onSale, orders] = await Promise.all([
    unavailableAsTrpc(() => packs.connectStatus(ctx.tenantId, { reread: input.reread })),
    packs.list(ctx.tenantId),
    packs.orders(ctx.tenantId, 20),
  ]);
  return {
    configured: true as const,
    included: plan.features.currencyPacks,
    applicationFeeBps: plan.applicationFeeBps,
    account,
    packs: onSale,
    orders,
  };
}

/** Creates the guild's connected account if needed and returns a fresh onboarding link. */
export function onboardHandler({ ctx }: { ctx: TenantAdminContext }) {
  return unavailableAsTrpc(() => requirePacks(ctx).onboard(ctx.tenantId));
}

export function defineHandler({ ctx, input }: HandlerArgs<TenantAdminContext, DefineInput>) {
  // The pack's own fields only: the tenant comes from the procedure, never from the pack.
  const { name, unitAmount, currency, coins, perMemberPerDay } = input;
  return requirePacks(ctx).define(ctx.tenantId, { name, unitAmount, currency, coins, perMemberPerDay });
}

export async function archiveHandler({ ctx, input }: HandlerArgs<TenantAdminContext, ArchiveInput>) {
  await requirePacks(ctx).archive(ctx.tenantId, input.packId);
  return { archived: true };
}
