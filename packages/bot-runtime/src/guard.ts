import { type Client, Status } from 'discord.js';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { RuntimeMetrics } from './metrics.js';

// discord.js builds its objects straight from the gateway payload and throws on shapes it does not expect;
// thrown inside its WebSocket message handler, that becomes an unhandled rejection and ends the process.
// Every dispatch therefore passes this guard first, and anything discord.js still throws on is caught.
// Interactions never reach discord.js: the runtime reads them from the payload checked here (building
// discord.js's interaction objects cost more CPU than the rest of the runtime's own work per interaction).

const snowflake = z.string().regex(/^\d{1,21}$/, 'must be a snowflake');
// Names and avatar hashes are read only to show people in the control plane (see ./profiles.ts).
const user = z.looseObject({
  id: snowflake,
  username: z.string(),
  global_name: z.string().nullish(),
  avatar: z.string().nullish(),
});
const member = z.looseObject({
  user: user.optional(),
  nick: z.string().nullish(),
  avatar: z.string().nullish(),
  roles: z.array(snowflake),
  permissions: z.string().regex(/^\d+$/, 'must be a permission bitfield').optional(),
  joined_at: z.string().nullable().optional(),
});
// Options nest at most twice (a subcommand group, then a subcommand), as Discord defines them: three levels
// spelled out rather than one recursive schema, which zod parses far more slowly (it guards every parse
// against cycles).
const optionFields = {
  name: z.string().min(1).max(32),
  type: z.number().int().min(1).max(11),
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
};
const valueOption = z.looseObject(optionFields);
const subcommandOption = z.looseObject({ ...optionFields, options: z.array(valueOption).max(25).optional() });
const option = z.looseObject({ ...optionFields, options: z.array(subcommandOption).max(25).optional() });
/** Members picked in USER options, as Discord resolves them: `/rob` reads the target's roles and join date. */
const resolved = z.looseObject({
  members: z
    .record(
      snowflake,
      z.looseObject({ roles: z.array(snowflake), joined_at: z.string().nullable().optional() }),
    )
    .optional(),
});
const commandData = z.looseObject({
  name: z.string().min(1).max(32),
  type: z.number().int(),
  options: z.array(option).max(25).optional(),
  resolved: resolved.optional(),
});
const base = {
  id: snowflake,
  application_id: snowflake,
  token: z.string().min(1),
  guild_id: snowflake.optional(),
  member: member.optional(),
  user: user.optional(),
};
export const interactionPayloadSchema = z
  .discriminatedUnion('type', [
    z.looseObject({ ...base, type: z.literal(2), data: commandData }),
    z.looseObject({
      ...base,
      type: z.literal(3),
      data: z.looseObject({ custom_id: z.string().min(1).max(100), component_type: z.number().int() }),
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

/** An interaction as the gateway delivered it, with every field the runtime reads checked. */
export type InteractionPayload = z.infer<typeof interactionPayloadSchema>;

export type PacketCheck =
  | { ok: true; event: string; packet: unknown; interaction?: InteractionPayload }
  | { ok: false; event: string; reason: string; answer?: { id: string; token: string } };

/** Checks one dispatch; an interaction also comes back parsed. */
export function checkPacket(packet: unknown): PacketCheck {
  const outer = dispatch.safeParse(packet);
  if (!outer.success) return { ok: false, event: 'unknown', reason: 'not a gateway dispatch object' };
  const event = outer.data.t ?? 'unknown';
  if (event !== 'INTERACTION_CREATE') return { ok: true, event, packet };
  const parsed = interactionPayloadSchema.safeParse(outer.data.d);
  if (parsed.success) return { ok: true, event, packet, interaction: parsed.data };
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

export interface PacketGuardOptions {
  log: Logger;
  metrics: RuntimeMetrics;
  /** Every well-formed interaction, instead of discord.js (which never sees one once it is ready). */
  onInteraction(interaction: InteractionPayload): void;
  /** Answers a malformed interaction that still carries an id and a token: an ephemeral "unknown command". */
  answerUnknown(id: string, token: string): Promise<unknown>;
  onRejected?: (event: string, reason: string) => void;
  /** MESSAGE_CREATE and VOICE_STATE_UPDATE payloads once ready (activity income); messages then skip discord.js. */
  onActivity?: (event: string, d: unknown) => void;
  /** Every GUILD_CREATE payload, before discord.js (its voice states: who is in voice, read at start-up too). */
  onGuildCreate?: (d: unknown) => void;
}

/** The dispatches activity income reads (see ./activity.ts). */
const ACTIVITY_EVENTS = new Set(['MESSAGE_CREATE', 'VOICE_STATE_UPDATE']);

/**
 * Wraps discord.js's packet handler with `checkPacket` and a catch-all, and hands interactions to
 * `onInteraction`. Returns a function that removes it.
 */
export function installPacketGuard(client: Client, o: PacketGuardOptions): () => void {
  // `handlePacket` is internal to discord.js (typed private): the only place every dispatch passes.
  const ws = client.ws as unknown as {
    status: Status;
    handlePacket(packet?: unknown, shard?: unknown): boolean;
  };
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
      o.answerUnknown(answer.id, answer.token).catch((err: unknown) =>
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
    const { interaction } = checked;
    try {
      if (o.onGuildCreate && checked.event === 'GUILD_CREATE') o.onGuildCreate((packet as { d: unknown }).d);
      if (o.onActivity && ws.status === Status.Ready && ACTIVITY_EVENTS.has(checked.event)) {
        o.onActivity(checked.event, (packet as { d: unknown }).d);
        // Nothing else reads messages: building discord.js's Message for each costs more than its reward.
        if (checked.event === 'MESSAGE_CREATE') return original.call(ws, undefined, shard);
      }
      // Before READY has brought every guild, discord.js queues dispatches and feeds them back through
      // here once ready: an interaction waits in that queue, as it always did.
      if (interaction && ws.status === Status.Ready) {
        o.onInteraction(interaction);
        // What discord.js does on every packet: feed it the next queued dispatch, if any is left.
        return original.call(ws, undefined, shard);
      }
      return original.call(ws, packet, shard);
    } catch (error) {
      const answer = interaction && { id: interaction.id, token: interaction.token };
      reject(
        checked.event,
        interaction
          ? 'the runtime could not take the interaction'
          : 'discord.js could not handle the payload',
        answer,
        error,
      );
      return true;
    }
  };
  return () => {
    ws.handlePacket = original;
  };
}
