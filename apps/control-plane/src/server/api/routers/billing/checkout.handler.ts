import { TRPCError } from '@trpc/server';
import { AlreadySubscribedError, BillingUnavailableError } from '../../../billing/billing';
import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import type { HandlerArgs } from '../types';
import type { CheckoutInput } from './checkout.schema';

/** Starts Stripe Checkout (subscription mode) for a paid plan; the plan itself arrives by webhook. */
export async function checkoutHandler({ ctx, input }: HandlerArgs<TenantAdminContext, CheckoutInput>) {
  const billing = requireBilling(ctx);
  return unavailableAsTrpc(() =>
    billing.checkout({ tenantId: ctx.tenantId, plan: input.plan, ownerId: ctx.actor }),
  );
}

/** The Stripe Customer Portal: change or cancel the plan, the payment method, invoices. */
export async function portalHandler({ ctx }: { ctx: TenantAdminContext }) {
  const billing = requireBilling(ctx);
  const portal = await unavailableAsTrpc(() => billing.portal({ tenantId: ctx.tenantId }));
  if (!portal) throw new TRPCError({ code: 'NOT_FOUND', message: 'this server has no subscription yet' });
  return portal;
}

export function requireBilling(ctx: TenantAdminContext) {
  const { billing } = ctx.services;
  if (!billing)
    throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'billing is not set up on this server' });
  return billing;
}

/** Stripe unreachable → 503, a second subscription → 409, with the message for the person. */
export async function unavailableAsTrpc<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BillingUnavailableError)
      throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: error.message, cause: error });
    if (error instanceof AlreadySubscribedError)
      throw new TRPCError({ code: 'CONFLICT', message: error.message, cause: error });
    throw error;
  }
}
