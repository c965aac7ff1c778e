import {
  InteractionResponseType as Callback,
  InteractionType,
  MessageFlags,
  MessageType,
} from 'discord-api-types/v10';
import { z } from 'zod';
import type { SimContext } from '../context.js';
import { httpErrors, invalidFormBody } from '../errors.js';
import type { RequestBody } from '../rest/http.js';
import { parseMessageBody } from '../rest/message-body.js';
import type { RouteResult } from '../rest/router.js';
import { formIssues } from '../state/form-issues.js';
import type { MessageRecord } from '../state/model.js';
import { apiMessage } from '../state/serialize.js';
import type { InteractionRecord } from './registry.js';
import { followUpReply } from './reply.js';

// How Discord treats an interaction's callback and its webhook (edits, follow-ups), including the rules
// bots trip over: 3 seconds to acknowledge, one acknowledgement only, tokens that expire after 15 minutes.

const callbackBody = z.object({ type: z.number().int(), data: z.unknown().optional() });
const deferData = z.object({ flags: z.number().int().optional() }).optional();
const modalData = z.looseObject({
  custom_id: z.string().min(1).max(100),
  title: z.string().min(1).max(45),
  components: z
    .array(z.looseObject({ type: z.number().int() }))
    .min(1)
    .max(5),
});

/** Flags a bot may set on a reply; others are Discord's to set. */
const SETTABLE_FLAGS =
  MessageFlags.Ephemeral |
  MessageFlags.SuppressEmbeds |
  MessageFlags.SuppressNotifications |
  MessageFlags.IsComponentsV2;

const ALLOWED: Record<number, readonly Callback[]> = {
  [InteractionType.ApplicationCommand]: [
    Callback.ChannelMessageWithSource,
    Callback.DeferredChannelMessageWithSource,
    Callback.Modal,
  ],
  [InteractionType.MessageComponent]: [
    Callback.ChannelMessageWithSource,
    Callback.DeferredChannelMessageWithSource,
    Callback.DeferredMessageUpdate,
    Callback.UpdateMessage,
    Callback.Modal,
  ],
};

/** `POST /interactions/{id}/{token}/callback` */
export function interactionCallback(
  ctx: SimContext,
  interactionId: string,
  token: string,
  body: RequestBody,
  withResponse: boolean,
): RouteResult {
  const record = ctx.interactions.find(token);
  if (!record || record.id !== interactionId) throw httpErrors.unknownInteraction();
  if (ctx.interactions.rejectIfLate(record)) throw httpErrors.unknownInteraction();
  if (record.state === 'acknowledged') throw httpErrors.alreadyAcknowledged();

  const parsed = callbackBody.safeParse(body.json);
  if (!parsed.success) throw invalidFormBody(formIssues(parsed.error));
  const type = parsed.data.type as Callback;
  if (!ALLOWED[record.type]?.includes(type)) {
    throw invalidFormBody([
      {
        path: ['type'],
        code: 'INTERACTION_RESPONSE_TYPE_INVALID',
        message: `Callback type ${type} is not valid for this interaction`,
      },
    ]);
  }
  const data = { json: parsed.data.data, files: body.files };

  switch (type) {
    case Callback.ChannelMessageWithSource: {
      const content = parseMessageBody(data, { create: true, ids: ctx.ids });
      content.flags = (content.flags ?? 0) & SETTABLE_FLAGS;
      const message = createReplyMessage(ctx, record, content);
      record.originalMessageId = message.id;
      record.ephemeral = (message.flags & MessageFlags.Ephemeral) !== 0;
      break;
    }
    case Callback.DeferredChannelMessageWithSource: {
      const flags = deferData.safeParse(parsed.data.data);
      const ephemeral = flags.success && ((flags.data?.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
      const message = createReplyMessage(ctx, record, {
        content: '',
        flags: MessageFlags.Loading | (ephemeral ? MessageFlags.Ephemeral : 0),
      });
      record.originalMessageId = message.id;
      record.ephemeral = ephemeral;
      break;
    }
    case Callback.DeferredMessageUpdate:
    case Callback.UpdateMessage: {
      const source = record.sourceMessageId ? ctx.world.messages.get(record.sourceMessageId) : undefined;
      if (!source) throw httpErrors.unknownMessage();
      if (type === Callback.UpdateMessage) {
        ctx.world.editMessage(
          source.id,
          parseMessageBody(data, { create: false, ids: ctx.ids, keep: source.attachments }),
        );
      }
      record.originalMessageId = source.id;
      record.ephemeral = (source.flags & MessageFlags.Ephemeral) !== 0;
      break;
    }
    case Callback.Modal: {
      const modal = modalData.safeParse(parsed.data.data);
      if (!modal.success)
        throw invalidFormBody(formIssues(modal.error).map((i) => ({ ...i, path: ['data', ...i.path] })));
      record.modal = modal.data;
      break;
    }
  }

  record.state = 'acknowledged';
  record.responseType = type;
  record.ackAt = ctx.now();
  if (
    type === Callback.ChannelMessageWithSource ||
    type === Callback.UpdateMessage ||
    type === Callback.Modal
  ) {
    ctx.interactions.settle(record, record.ackAt);
  }
  if (!withResponse) return { status: 204 };

  const message = record.originalMessageId ? ctx.world.messages.get(record.originalMessageId) : undefined;
  return {
    status: 200,
    body: {
      interaction: {
        id: record.id,
        type: record.type,
        ...(message
          ? {
              response_message_id: message.id,
              response_message_loading: (message.flags & MessageFlags.Loading) !== 0,
              response_message_ephemeral: (message.flags & MessageFlags.Ephemeral) !== 0,
            }
          : {}),
      },
      resource: { type, ...(message ? { message: apiMessage(ctx.world, message, ctx.apiUrl()) } : {}) },
    },
  };
}

/** `GET /webhooks/{app}/{token}/messages/{id|@original}` */
export function getWebhookMessage(
  ctx: SimContext,
  applicationId: string,
  token: string,
  messageId: string,
): RouteResult {
  const record = webhookRecord(ctx, applicationId, token);
  const message = webhookMessage(ctx, record, messageId);
  return { status: 200, body: apiMessage(ctx.world, message, ctx.apiUrl()) };
}

/** `PATCH /webhooks/{app}/{token}/messages/{id|@original}`: after a deferral, this is the reply. */
export function editWebhookMessage(
  ctx: SimContext,
  applicationId: string,
  token: string,
  messageId: string,
  body: RequestBody,
): RouteResult {
  const record = webhookRecord(ctx, applicationId, token);
  const message = webhookMessage(ctx, record, messageId);
  const edited = ctx.world.editMessage(
    message.id,
    parseMessageBody(body, { create: false, ids: ctx.ids, keep: message.attachments }),
  );
  if (edited.id === record.originalMessageId) {
    record.edited = true;
    ctx.interactions.settle(record);
  }
  const index = record.followUpIds.indexOf(edited.id);
  if (index >= 0) record.followUps[index] = followUpReply(record, edited, ctx.now());
  return { status: 200, body: apiMessage(ctx.world, edited, ctx.apiUrl()) };
}

/** `DELETE /webhooks/{app}/{token}/messages/{id|@original}` */
export function deleteWebhookMessage(
  ctx: SimContext,
  applicationId: string,
  token: string,
  messageId: string,
): RouteResult {
  const record = webhookRecord(ctx, applicationId, token);
  const message = webhookMessage(ctx, record, messageId);
  ctx.world.deleteMessage(message.id);
  if (message.id === record.originalMessageId) {
    record.deleted = true;
    ctx.interactions.settle(record);
  }
  const index = record.followUpIds.indexOf(message.id);
  const followUp = record.followUps[index];
  if (followUp) followUp.deleted = true;
  return { status: 204 };
}

/**
 * `POST /webhooks/{app}/{token}`: a follow-up. Right after a deferred reply, Discord turns the first
 * follow-up into the reply itself (it replaces the "thinking…" message), keeping the deferral's visibility.
 */
export function createFollowUp(
  ctx: SimContext,
  applicationId: string,
  token: string,
  body: RequestBody,
  wait: boolean,
): RouteResult {
  const record = webhookRecord(ctx, applicationId, token);
  const content = parseMessageBody(body, { create: true, ids: ctx.ids });
  const original = record.originalMessageId ? ctx.world.messages.get(record.originalMessageId) : undefined;
  let message: MessageRecord;
  if (
    record.responseType === Callback.DeferredChannelMessageWithSource &&
    !record.edited &&
    original &&
    original.flags & MessageFlags.Loading
  ) {
    message = ctx.world.editMessage(original.id, {
      ...content,
      flags: (content.flags ?? 0) & MessageFlags.SuppressEmbeds,
    });
    record.edited = true;
  } else {
    content.flags = (content.flags ?? 0) & SETTABLE_FLAGS;
    message = createReplyMessage(ctx, record, content);
    record.followUpIds.push(message.id);
    record.followUps.push(followUpReply(record, message, ctx.now()));
  }
  ctx.interactions.settle(record);
  return wait ? { status: 200, body: apiMessage(ctx.world, message, ctx.apiUrl()) } : { status: 204 };
}

function createReplyMessage(
  ctx: SimContext,
  record: InteractionRecord,
  content: Parameters<SimContext['world']['createMessage']>[0]['content'],
): MessageRecord {
  return ctx.world.createMessage({
    channelId: record.channelId,
    authorId: ctx.world.botUserId,
    webhookId: ctx.settings.applicationId,
    type:
      record.type === InteractionType.ApplicationCommand ? MessageType.ChatInputCommand : MessageType.Default,
    interaction: {
      id: record.id,
      type: record.type,
      name: record.name,
      userId: record.userId,
      interactedMessageId: record.sourceMessageId,
    },
    content,
  });
}

/** The interaction behind a webhook token, if the token is still good for edits and follow-ups. */
function webhookRecord(ctx: SimContext, applicationId: string, token: string): InteractionRecord {
  const record = ctx.interactions.find(token);
  if (applicationId !== ctx.settings.applicationId || !record) throw httpErrors.unknownWebhook();
  if (ctx.interactions.tokenExpired(record)) throw httpErrors.invalidWebhookToken();
  if (record.state !== 'acknowledged') throw httpErrors.unknownWebhook();
  return record;
}

function webhookMessage(ctx: SimContext, record: InteractionRecord, messageId: string): MessageRecord {
  const id = messageId === '@original' ? record.originalMessageId : messageId;
  const mine = id !== null && (id === record.originalMessageId || record.followUpIds.includes(id));
  const message = mine ? ctx.world.messages.get(id) : undefined;
  if (!message) throw httpErrors.unknownMessage();
  return message;
}
