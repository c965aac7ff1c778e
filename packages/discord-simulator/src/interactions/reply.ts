import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import type { MessageRecord, World } from '../state/model.js';
import type { SimReply } from '../types.js';
import type { InteractionRecord } from './registry.js';

/** What the member sees for an interaction right now, copied so later edits do not change it. */
export function snapshotReply(world: World, record: InteractionRecord, now: number): SimReply {
  const message = record.originalMessageId ? world.messages.get(record.originalMessageId) : undefined;
  const type = record.responseType ?? 0;
  return {
    ...messageFields(message),
    interactionId: record.id,
    type,
    ephemeral: record.ephemeral,
    deferred:
      type === InteractionResponseType.DeferredChannelMessageWithSource ||
      type === InteractionResponseType.DeferredMessageUpdate,
    messageId: record.originalMessageId ?? '',
    latencyMs: (record.settledAt ?? now) - record.dispatchedAt,
    ackLatencyMs: (record.ackAt ?? now) - record.dispatchedAt,
    followUps: record.followUps,
    modal: record.modal ? structuredClone(record.modal) : null,
    deleted: record.deleted,
  };
}

/** A follow-up message as a reply of its own (type 4: a message sent through the interaction's webhook). */
export function followUpReply(record: InteractionRecord, message: MessageRecord, now: number): SimReply {
  return {
    ...messageFields(message),
    interactionId: record.id,
    type: InteractionResponseType.ChannelMessageWithSource,
    ephemeral: (message.flags & MessageFlags.Ephemeral) !== 0,
    deferred: false,
    messageId: message.id,
    latencyMs: now - record.dispatchedAt,
    ackLatencyMs: (record.ackAt ?? now) - record.dispatchedAt,
    followUps: [],
    modal: null,
    deleted: false,
  };
}

function messageFields(
  message: MessageRecord | undefined,
): Pick<SimReply, 'content' | 'embeds' | 'components' | 'flags' | 'attachments'> {
  return {
    content: message?.content ? message.content : null,
    embeds: structuredClone(message?.embeds ?? []),
    components: structuredClone(message?.components ?? []),
    flags: message?.flags ?? 0,
    attachments: (message?.attachments ?? []).map((a) => ({ id: a.id, filename: a.filename, size: a.size })),
  };
}
