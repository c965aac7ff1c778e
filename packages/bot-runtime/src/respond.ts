import {
  type APIInteractionResponseCallbackData,
  InteractionResponseType,
  MessageFlags,
  type REST,
  type RESTPostAPIInteractionCallbackJSONBody,
  Routes,
} from 'discord.js';
import type { Reply } from './replies.js';

// Answers go straight to Discord's interaction endpoints through @discordjs/rest (which keeps the API URL,
// retries and rate limits), with bodies built from our Reply: discord.js's MessagePayload would resolve
// the same JSON through several layers, on every reply.

/** The four ways an answer reaches Discord, for a slash command and for a button. */
export interface Responder {
  reply(reply: Reply): Promise<unknown>;
  defer(ephemeral: boolean): Promise<unknown>;
  edit(reply: Reply): Promise<unknown>;
  errorAfterDefer(reply: Reply, deferredEphemeral: boolean): Promise<unknown>;
}

/** Which interaction the answers go to: its id and token, and the application it was sent to. */
export interface Addressee {
  readonly id: string;
  readonly token: string;
  readonly applicationId: string;
}

/** A message's content: the same shape for a callback, an edit and a follow-up. */
type MessageBody = APIInteractionResponseCallbackData;

function messageBody(reply: Reply): MessageBody {
  return { embeds: reply.embeds, ...(reply.components !== undefined && { components: reply.components }) };
}

function createBody(reply: Reply): MessageBody {
  return { ...messageBody(reply), ...(reply.ephemeral && { flags: MessageFlags.Ephemeral }) };
}

/** The calls on one interaction's callback and its webhook (no bot token: the interaction's own). */
export class InteractionCalls {
  constructor(
    private readonly rest: REST,
    private readonly to: Addressee,
  ) {}

  callback(body: RESTPostAPIInteractionCallbackJSONBody): Promise<unknown> {
    return this.rest.post(Routes.interactionCallback(this.to.id, this.to.token), { body, auth: false });
  }

  /** A new message: the first answer (type 4) with `reply`. */
  reply(reply: Reply): Promise<unknown> {
    return this.callback({ type: InteractionResponseType.ChannelMessageWithSource, data: createBody(reply) });
  }

  editOriginal(reply: Reply): Promise<unknown> {
    return this.rest.patch(Routes.webhookMessage(this.to.applicationId, this.to.token, '@original'), {
      body: messageBody(reply),
      auth: false,
    });
  }

  deleteOriginal(): Promise<unknown> {
    return this.rest.delete(Routes.webhookMessage(this.to.applicationId, this.to.token, '@original'), {
      auth: false,
    });
  }

  followUp(reply: Reply): Promise<unknown> {
    return this.rest.post(Routes.webhook(this.to.applicationId, this.to.token), {
      body: createBody(reply),
      auth: false,
    });
  }
}

export function slashResponder(calls: InteractionCalls): Responder {
  return {
    reply: (r) => calls.reply(r),
    defer: (ephemeral) =>
      calls.callback({
        type: InteractionResponseType.DeferredChannelMessageWithSource,
        data: ephemeral ? { flags: MessageFlags.Ephemeral } : {},
      }),
    edit: (r) => calls.editOriginal(r),
    async errorAfterDefer(r, deferredEphemeral) {
      if (deferredEphemeral) return calls.editOriginal(r);
      // A public "thinking…" cannot turn private: remove it and say what went wrong privately.
      await calls.deleteOriginal().catch(() => {});
      return calls.followUp({ ...r, ephemeral: true });
    },
  };
}

export function buttonResponder(calls: InteractionCalls): Responder {
  return {
    // Success updates the message the button is on; an error is a private reply beside it.
    reply: (r) =>
      r.ephemeral
        ? calls.reply(r)
        : calls.callback({ type: InteractionResponseType.UpdateMessage, data: messageBody(r) }),
    defer: () => calls.callback({ type: InteractionResponseType.DeferredMessageUpdate }),
    edit: (r) => calls.editOriginal(r),
    errorAfterDefer: (r) => calls.followUp({ ...r, ephemeral: true }),
  };
}
