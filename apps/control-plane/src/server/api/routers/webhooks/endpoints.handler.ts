import { TRPCError } from '@trpc/server';
import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import { assertWebhookUrl, assertWithinLimit, newWebhookSecret } from '../../../sdk';
import { syncEventRecording } from '../../../webhooks';
import { newEndpointRecord, ROTATION_OVERLAP_MS, viewOf } from '../../../webhooks/endpoints';
import type { HandlerArgs } from '../types';
import type {
  AttemptsInput,
  CreateEndpointInput,
  DeliveriesInput,
  EndpointIdInput,
  ReplayInput,
  UpdateEndpointInput,
} from './webhooks.schema';

type Args<I> = HandlerArgs<TenantAdminContext, I>;

const notFound = () => new TRPCError({ code: 'NOT_FOUND', message: 'no endpoint with this id' });

/** The URL as it will be called: https, and a host that resolves to public addresses only. */
async function checkedUrl(ctx: TenantAdminContext, url: string): Promise<string> {
  return (await assertWebhookUrl(url, { allowLoopback: ctx.services.webhooks.allowLoopback })).href;
}

export async function listHandler({ ctx }: Args<unknown>) {
  const now = ctx.services.now();
  return (await ctx.services.webhooks.endpoints.list(ctx.tenantId)).map((r) => viewOf(r, now));
}

/** A new endpoint; its `secret` is in this answer only. Counts against the plan's endpoints. */
export async function createHandler({ ctx, input }: Args<CreateEndpointInput>) {
  const { endpoints, outbox } = ctx.services.webhooks;
  const [existing, { plan }] = await Promise.all([endpoints.list(ctx.tenantId), ctx.tenant.plan()]);
  assertWithinLimit(plan, 'webhookEndpoints', existing.length + 1);
  const now = ctx.services.now();
  const record = newEndpointRecord(
    {
      tenantId: ctx.tenantId,
      url: await checkedUrl(ctx, input.url),
      description: input.description,
      eventTypes: input.eventTypes,
      secret: newWebhookSecret(),
      createdBy: ctx.session.user.id,
    },
    now,
  );
  // Events on before the endpoint exists: every move after this answer reaches it.
  await outbox.recordEvents(ctx.tenantId, true);
  await endpoints.insert(record);
  await syncEventRecording(ctx.services.webhooks, ctx.tenantId);
  return { endpoint: viewOf(record, now), secret: record.secret };
}

export async function updateHandler({ ctx, input }: Args<UpdateEndpointInput>) {
  const { endpoints, outbox } = ctx.services.webhooks;
  const { id, url, enabled, description, eventTypes } = input;
  const patch = {
    ...(description !== undefined && { description }),
    ...(eventTypes !== undefined && { eventTypes }),
    ...(url !== undefined && { url: await checkedUrl(ctx, url) }),
    // Enabling again clears what disabled it; disabling by hand says nothing of failures.
    ...(enabled === true && { enabled, failingSince: null, disabledAt: null, disabledReason: null }),
    ...(enabled === false && { enabled, disabledAt: ctx.services.now(), disabledReason: null }),
  };
  if (enabled === true) await outbox.recordEvents(ctx.tenantId, true);
  if (!(await endpoints.update(ctx.tenantId, id, patch))) throw notFound();
  if (enabled === false) await outbox.cancelDeliveries(ctx.tenantId, id);
  if (enabled !== undefined) await syncEventRecording(ctx.services.webhooks, ctx.tenantId);
  const record = await endpoints.get(ctx.tenantId, id);
  if (!record) throw notFound();
  return viewOf(record, ctx.services.now());
}

/** A new secret, shown once; the old one keeps signing for a day so receivers can switch over. */
export async function rotateHandler({ ctx, input }: Args<EndpointIdInput>) {
  const { endpoints } = ctx.services.webhooks;
  const record = await endpoints.get(ctx.tenantId, input.id);
  if (!record) throw notFound();
  const now = ctx.services.now();
  const secret = newWebhookSecret();
  await endpoints.update(ctx.tenantId, input.id, {
    secret,
    previousSecret: record.secret,
    previousExpiresAt: new Date(now.getTime() + ROTATION_OVERLAP_MS),
  });
  return { secret, previousValidUntil: new Date(now.getTime() + ROTATION_OVERLAP_MS) };
}

export async function deleteHandler({ ctx, input }: Args<EndpointIdInput>) {
  const { endpoints, outbox } = ctx.services.webhooks;
  if (!(await endpoints.remove(ctx.tenantId, input.id))) throw notFound();
  await outbox.cancelDeliveries(ctx.tenantId, input.id);
  await syncEventRecording(ctx.services.webhooks, ctx.tenantId);
  return { deleted: true };
}

/** The delivery log: newest first, with status, attempts and the last response time. */
export async function deliveriesHandler({ ctx, input }: Args<DeliveriesInput>) {
  return ctx.services.webhooks.outbox.listDeliveries(ctx.tenantId, {
    limit: input.limit,
    ...(input.endpointId && { endpointId: input.endpointId }),
  });
}

export async function attemptsHandler({ ctx, input }: Args<AttemptsInput>) {
  return ctx.services.webhooks.outbox.listAttempts(ctx.tenantId, input.eventId, input.endpointId);
}

export async function replayHandler({ ctx, input }: Args<ReplayInput>) {
  const replayed = await ctx.services.webhooks.outbox.replayDeliveries(
    ctx.tenantId,
    {
      ...(input.eventId && { eventId: input.eventId }),
      ...(input.since && { since: input.since }),
      ...(input.endpointId && { endpointId: input.endpointId }),
    },
    ctx.services.now(),
  );
  return { replayed };
}
