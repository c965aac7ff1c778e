import { ChannelType, MessageFlags, PermissionFlagsBits } from 'discord-api-types/v10';
import type { SimContext } from '../../context.js';
import { httpErrors } from '../../errors.js';
import type { ChannelRecord, MessageRecord } from '../../state/model.js';
import { hasPermission, memberPermissions } from '../../state/permissions.js';
import { apiChannel, apiMessage } from '../../state/serialize.js';
import { parseMessageBody } from '../message-body.js';
import type { Router } from '../router.js';
import { botMember, channelOr404 } from './lookup.js';

/** Channels and the bot's own messages in them (announcements, DMs). */
export function channelRoutes(router: Router, ctx: SimContext): void {
  router.add('GET', '/channels/:channelId', ({ params }) => ({
    status: 200,
    body: apiChannel(channelOr404(ctx, params.channelId), ctx.world),
  }));

  router.add('POST', '/channels/:channelId/messages', ({ params, body }) => {
    const channel = channelOr404(ctx, params.channelId);
    requireSend(ctx, channel);
    const content = parseMessageBody(body, { create: true, ids: ctx.ids });
    // Only these flags may be set on a channel message; ephemeral exists only for interactions.
    content.flags =
      (content.flags ?? 0) &
      (MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2);
    const message = ctx.world.createMessage({
      channelId: channel.id,
      authorId: ctx.world.botUserId,
      content,
    });
    return { status: 200, body: apiMessage(ctx.world, message, ctx.apiUrl()) };
  });

  const one = '/channels/:channelId/messages/:messageId';
  router.add('GET', one, ({ params }) => ({
    status: 200,
    body: apiMessage(ctx.world, messageIn(ctx, params.channelId, params.messageId), ctx.apiUrl()),
  }));

  router.add('PATCH', one, ({ params, body }) => {
    const message = messageIn(ctx, params.channelId, params.messageId);
    if (message.authorId !== ctx.world.botUserId || message.webhookId) throw httpErrors.missingPermissions();
    const edited = ctx.world.editMessage(
      message.id,
      parseMessageBody(body, { create: false, ids: ctx.ids, keep: message.attachments }),
    );
    return { status: 200, body: apiMessage(ctx.world, edited, ctx.apiUrl()) };
  });

  router.add('DELETE', one, ({ params }) => {
    const message = messageIn(ctx, params.channelId, params.messageId);
    if (message.authorId !== ctx.world.botUserId) {
      const channel = channelOr404(ctx, params.channelId);
      const guild = channel.guildId ? ctx.world.guilds.get(channel.guildId) : undefined;
      const allowed =
        guild &&
        hasPermission(memberPermissions(guild, botMember(ctx, guild)), PermissionFlagsBits.ManageMessages);
      if (!allowed) throw httpErrors.missingPermissions();
    }
    ctx.world.deleteMessage(message.id);
    return { status: 204 };
  });
}

function messageIn(ctx: SimContext, channelId: string, messageId: string): MessageRecord {
  channelOr404(ctx, channelId);
  const message = ctx.world.messages.get(messageId);
  if (!message || message.channelId !== channelId || message.flags & MessageFlags.Ephemeral) {
    throw httpErrors.unknownMessage();
  }
  return message;
}

function requireSend(ctx: SimContext, channel: ChannelRecord): void {
  if (channel.type === ChannelType.DM) return;
  const guild = channel.guildId ? ctx.world.guilds.get(channel.guildId) : undefined;
  if (!guild) throw httpErrors.unknownChannel();
  const permissions = memberPermissions(guild, botMember(ctx, guild));
  if (!hasPermission(permissions, PermissionFlagsBits.ViewChannel)) throw httpErrors.missingAccess();
  if (!hasPermission(permissions, PermissionFlagsBits.SendMessages)) throw httpErrors.missingPermissions();
}
