import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../../../sdk';

const endpointId = z.string().regex(/^ep_[0-9a-f]{32}$/, 'not an endpoint id');

export const createEndpointInput = z.object({
  url: z.string().trim().min(1, 'give the endpoint a URL').max(2048),
  description: z.string().trim().max(200).default(''),
  /** Empty: every event type. */
  eventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES)).max(WEBHOOK_EVENT_TYPES.length).default([]),
});
export type CreateEndpointInput = z.infer<typeof createEndpointInput>;

export const updateEndpointInput = z.object({
  id: endpointId,
  url: z.string().trim().min(1).max(2048).optional(),
  description: z.string().trim().max(200).optional(),
  eventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES)).max(WEBHOOK_EVENT_TYPES.length).optional(),
  enabled: z.boolean().optional(),
});
export type UpdateEndpointInput = z.infer<typeof updateEndpointInput>;

export const endpointIdInput = z.object({ id: endpointId });
export type EndpointIdInput = z.infer<typeof endpointIdInput>;

export const deliveriesInput = z.object({
  endpointId: endpointId.optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type DeliveriesInput = z.infer<typeof deliveriesInput>;

export const attemptsInput = z.object({ endpointId, eventId: z.string().regex(/^msg_[0-9a-f]{32}$/) });
export type AttemptsInput = z.infer<typeof attemptsInput>;

/** One message again, or everything since a time (of one endpoint, or all). */
export const replayInput = z
  .object({
    endpointId: endpointId.optional(),
    eventId: z
      .string()
      .regex(/^msg_[0-9a-f]{32}$/)
      .optional(),
    since: z.coerce.date().optional(),
  })
  .refine((r) => (r.eventId === undefined) !== (r.since === undefined), 'give either eventId or since');
export type ReplayInput = z.infer<typeof replayInput>;
