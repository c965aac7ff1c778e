import { TRPCError } from '@trpc/server';
import { createKey, rotateKey, viewOf } from '../../../api-keys/keys';
import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import type { HandlerArgs } from '../types';
import type { CreateKeyInput, KeyIdInput } from './create.schema';

const DAY_MS = 86_400_000;

/** The tenant's keys, newest first: prefixes, scopes, dates; never a key or its hash. */
export async function listHandler({ ctx }: HandlerArgs<TenantAdminContext, unknown>) {
  return (await ctx.services.apiKeys.list(ctx.tenantId)).map(viewOf);
}

/** A new key; `secret` is in this answer only. */
export async function createHandler({ ctx, input }: HandlerArgs<TenantAdminContext, CreateKeyInput>) {
  const now = ctx.services.now();
  return createKey(
    ctx.services.apiKeys,
    {
      tenantId: ctx.tenantId,
      name: input.name,
      mode: input.mode,
      scopes: input.scopes,
      expiresAt: input.expiresInDays === null ? null : new Date(now.getTime() + input.expiresInDays * DAY_MS),
      createdBy: ctx.session.user.id,
    },
    now,
  );
}

/** A new key in place of a live one, which stops working at once. */
export async function rotateHandler({ ctx, input }: HandlerArgs<TenantAdminContext, KeyIdInput>) {
  const rotated = await rotateKey(ctx.services.apiKeys, ctx.tenantId, input.id, {
    by: ctx.session.user.id,
    at: ctx.services.now(),
  });
  if (!rotated) throw new TRPCError({ code: 'NOT_FOUND', message: 'no live key with this id' });
  return rotated;
}

export async function revokeHandler({ ctx, input }: HandlerArgs<TenantAdminContext, KeyIdInput>) {
  if (!(await ctx.services.apiKeys.revoke(ctx.tenantId, input.id, ctx.services.now())))
    throw new TRPCError({ code: 'NOT_FOUND', message: 'no live key with this id' });
  return { revoked: true };
}
