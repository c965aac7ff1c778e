import { type Client, InteractionResponseType, MessageFlags, type REST, Routes } from 'discord.js';
import type { Logger } from 'pino';
import { z } from 'zod';
import { describeError, RuntimeError, RuntimeErrorCode } from './errors.js';
import type { RuntimeMetrics } from './metrics.js';
import { errorReply } from './replies.js';

// discord.js builds its interaction objects straight from the gateway payload and throws on shapes
// it does not expect; thrown inside its WebSocket message handler, that becomes an unhandled
// rejection and ends the process. Every dispatch therefore passes this guard first: interactions are
// checked against what discord.js dereferences, and anything discord.js still throws on is caught.

const snowflake = z.string().regex(/^\d{1,21}$/, 'must be a snowflake');
const user = z.looseObject({ id: snowflake, username: z.string() });
const member = z.looseObject({
  user: user.optional(),
  roles: z.array(snowflake),
  permissions: z.string().regex(/^\d+$/, 'must be a permission bitfield').optional(),
  joined_at: z.string().nullable().optional(),
});
type OptionShape = {
  name: string;
  type: number;
  value?: string | number | boolean | undefined;
  options?: OptionShape[] | undefined;
};
const option: z.ZodType<OptionShape> = z.lazy(() =>
  z.looseObject({
    name: z.string().min(1).max(32),
    type: z.number().int().min(1).max(11),
    value: z.union([z.string(), z.number(), z.boolean()]).optional(),
    options: z.array(option).max(25).optional(),
  }),
);
const commandData = z.looseObject({
  id: snowflake,
  name: z.string().min(1).max(32),
  type: z.number().int(),
  options: z.array(option).max(25).optional(),
  resolved: z.looseObject({}).optional(),
});
const base = {
  id: snowflake,
  application_id: snowflake,
  token: z.string().min(1),
  guild_id: snowflake.optional(),
  channel_id: snowflake.optional(),
  member: member.optional(),
  user: user.optional(),
  app_permissions: z.string().regex(/^\d+$/, 'must be a permission bitfield').optional(),
  // Discord always sends these two; discord.js crashes without them. A compatible API may leave them out.
  entitlements: z.array(z.unknown()).default([]),
  authorizing_integration_owners: z.record(z.string(), z.unknown()).default({}),
};
export const interactionPayloadSchema = z
  .discriminatedUnion('type', [
    z.looseObject({ ...base, type: z.literal(2), data: commandData }),
    z.looseObject({
      ...base,
      type: z.literal(3),
      data: z.looseObject({ custom_id: z.string().min(1).max(100), component_type: z.number().int() }),
      message: z.looseObject({ id: snowflake }),
    }),
    z.looseObject({ ...base, type: z.literal(4), data: commandData }),
    z.looseObject({
      ...base,
      type: z.literal(5),
      data: z.looseObject({ custom_id: z.string().min(1).max(100) }),
    }),
  ])
  .refine((i) => i.member?.user !== undefined || i.user !== undefined, 'must carry member.user or user');

const dispatch = z.looseObject({ t: z.string().nullable().optional(), d: z.unknown() });

export type PacketCheck =
  | { ok: true; packet: unknown }
  | { ok: false; event: string; reason: string; answer?: { id: string; token: string } };

/** Checks one dispatch; an interaction comes back normalized (e.g. `entitlements: []` filled in). */
export function checkPacket(packet: unknown): PacketCheck {
  const outer = dispatch.safeParse(packet);
  if (!outer.success) return { ok: false, event: 'unknown', reason: 'not a gateway dispatch object' };
  const event = outer.data.t ?? 'unknown';
  if (event !== 'INTERACTION_CREATE') return { ok: true, packet };
  const parsed = interactionPayloadSchema.safeParse(outer.data.d);
  if (parsed.success) return { ok: true, packet: { ...outer.data, d: parsed.data } };
  const reason = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ');
  const d = outer.data.d as { id?: unknown; token?: unknown } | null;
  const answerable =
    typeof d === 'object' &&
    d !== null &&
    typeof d.id === 'string' &&
    /^\d{1,21}$/.test(d.id) &&
    typeof d.token === 'string' &&
    d.token.length > 0;
  return {
    ok: false,
    event,
    reason,
    ...(answerable && { answer: { id: d.id as string, token: d.token as string } }),
  };
}

/** Answers an interaction without discord.js's objects: an ephemeral "unknown command". */
export async function answerUnknown(rest: REST, id: string, token: string): Promise<void> {
  const { embeds } = errorReply(
    describeError(new RuntimeError(RuntimeErrorCode.UNKNOWN_COMMAND, 'I could not understand that request')),
  );
  await rest.post(Routes.interactionCallback(id, token), {
    body: {
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { embeds, flags: MessageFlags.Ephemeral },
    },
    auth: false,
  });
}

/** Wraps discord.js's packet handler with `checkPacket` and a catch-all. Returns a function that removes it. */
export function installPacketGuard(
  client: Client,
  o: { log: Logger; metrics: RuntimeMetrics; onRejected?: (event: string, reason: string) => void },
): () => void {
  // `handlePacket` is internal to discord.js (typed private): the only place every dispatch passes.
  const ws = client.ws as unknown as { handlePacket(packet?: unknown, shard?: unknown): boolean };
  const original = ws.handlePacket;
  const reject = (event: string, reason: string, answer?: { id: string; token: string }, error?: unknown) => {
    o.metrics.rejected.inc({ event });
    o.log.warn(
      {
        event,
        reason,
        ...(answer && { interactionId: answer.id }),
        ...(error !== undefined && { err: error }),
      },
      'gateway payload rejected',
    );
    o.onRejected?.(event, reason);
    if (answer) {
      answerUnknown(client.rest, answer.id, answer.token).catch((err: unknown) =>
        o.log.warn({ interactionId: answer.id, err }, 'could not answer a rejected interaction'),
      );
    }
  };
  ws.handlePacket = function guarded(this: unknown, packet?: unknown, shard?: unknown): boolean {
    // discord.js calls it with no packet to flush its queue; nothing to check then.
    if (packet === undefined) return original.call(ws, packet, shard);
    const checked = checkPacket(packet);
    if (!checked.ok) {
      reject(checked.event, checked.reason, checked.answer);
      return true;
    }
    try {
      return original.call(ws, checked.packet, shard);
    } catch (error) {
      const d = (checked.packet as { t?: string; d?: { id?: unknown; token?: unknown } }) ?? {};
      const answer =
        d.t === 'INTERACTION_CREATE' && typeof d.d?.id === 'string' && typeof d.d.token === 'string'
          ? { id: d.d.id, token: d.d.token }
          : undefined;
      reject(d.t ?? 'unknown', 'discord.js could not handle the payload', answer, error);
      return true;
    }
  };
  return () => {
    ws.handlePacket = original;
  };
}
