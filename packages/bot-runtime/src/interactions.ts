import type { MemberContext } from '@guildmint/sdk';
import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  MessageFlags,
  PermissionFlagsBits,
} from 'discord.js';
import type { Logger } from 'pino';
import type { ButtonContext, Command, CommandContext, MoneyOperation } from './command.js';
import {
  type DescribeOptions,
  describeError,
  type Friendly,
  RuntimeError,
  RuntimeErrorCode,
} from './errors.js';
import type { CommandSet } from './loader.js';
import type { RuntimeMetrics } from './metrics.js';
import { OptionReader } from './options.js';
import { errorReply, type Reply } from './replies.js';
import type { CommandSync } from './sync.js';
import type { LoadedTenant, TenantManager } from './tenants.js';

/** Discord drops an interaction not acknowledged within 3 s; this is the margin we keep. */
const DISCORD_WINDOW_MS = 3_000;
const SAFETY_MS = 500;
/** How long an answered interaction id is remembered, so a redelivery is answered without re-running it. */
const RECENT_TTL_MS = 15 * 60_000;
const RECENT_MAX = 5_000;

export interface HandledEvent {
  interactionId: string;
  guildId: string | null;
  kind: 'command' | 'button' | 'other';
  command: string;
  ok: boolean;
  code: string | null;
  deferred: boolean;
  ms: number;
}

export interface DispatcherOptions {
  tenants: TenantManager;
  commands: CommandSet;
  sync: CommandSync;
  metrics: RuntimeMetrics;
  log: Logger;
  now: () => Date;
  /** Defer when the answer is not ready after this long (shortened for interactions that arrive late). */
  deferAfterMs: number;
  grantRole(guildId: string, userId: string, roleId: string): Promise<boolean>;
  roleRefusal(guildId: string, roleId: string): Promise<string | null>;
  /** The shard a guild's events arrive on, for the logs. */
  shardOf(guildId: string): number | null;
  onHandled?: (event: HandledEvent) => void;
}

type Outcome =
  | { ok: true; reply: Reply; command: Command }
  | { ok: false; friendly: Friendly; command: Command | null };

/** The four ways an answer reaches Discord, for a slash command and for a button. */
interface Responder {
  reply(reply: Reply): Promise<unknown>;
  defer(ephemeral: boolean): Promise<unknown>;
  edit(reply: Reply): Promise<unknown>;
  errorAfterDefer(reply: Reply, deferredEphemeral: boolean): Promise<unknown>;
}

function messagePayload(reply: Reply): InteractionEditReplyOptions {
  return { embeds: reply.embeds, ...(reply.components !== undefined && { components: reply.components }) };
}

function replyPayload(reply: Reply): InteractionReplyOptions {
  return {
    ...messagePayload(reply),
    ...(reply.ephemeral && { flags: MessageFlags.Ephemeral }),
  } as InteractionReplyOptions;
}

function slashResponder(interaction: ChatInputCommandInteraction): Responder {
  return {
    reply: (r) => interaction.reply(replyPayload(r)),
    defer: (ephemeral) => interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
    edit: (r) => interaction.editReply(messagePayload(r)),
    async errorAfterDefer(r, deferredEphemeral) {
      if (deferredEphemeral) return interaction.editReply(messagePayload(r));
      // A public "thinking…" cannot turn private: remove it and say what went wrong privately.
      await interaction.deleteReply().catch(() => {});
      return interaction.followUp(replyPayload({ ...r, ephemeral: true }));
    },
  };
}

function buttonResponder(interaction: ButtonInteraction): Responder {
  return {
    // Success updates the message the button is on; an error is a private reply beside it.
    reply: (r) => (r.ephemeral ? interaction.reply(replyPayload(r)) : interaction.update(messagePayload(r))),
    defer: () => interaction.deferUpdate(),
    edit: (r) => interaction.editReply(messagePayload(r)),
    errorAfterDefer: (r) => interaction.followUp(replyPayload({ ...r, ephemeral: true })),
  };
}

function memberContext(interaction: ChatInputCommandInteraction | ButtonInteraction): MemberContext {
  const member = interaction.member;
  if (!member) return {};
  if (Array.isArray(member.roles)) {
    // The raw member Discord sends when the guild is not cached.
    const raw = member as { roles: string[]; joined_at?: string | null };
    return { roles: raw.roles, ...(raw.joined_at ? { joinedAt: new Date(raw.joined_at) } : {}) };
  }
  const cached = member as { roles: { cache: Map<string, unknown> }; joinedAt: Date | null };
  return { roles: [...cached.roles.cache.keys()], ...(cached.joinedAt ? { joinedAt: cached.joinedAt } : {}) };
}

/**
 * Answers every interaction, always within Discord's window and never by throwing: finds the guild's
 * tenant and command, runs it with the interaction id as the idempotency key, and replies (or defers
 * first when the answer is slow). Errors become friendly ephemeral replies; unknown ones are logged.
 */
export class InteractionDispatcher {
  private draining = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly recent = new Map<string, { at: number; outcome: Promise<Outcome> }>();

  constructor(private readonly o: DispatcherOptions) {}

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Entry point for discord.js's `interactionCreate`. Never throws, never rejects. */
  handle(interaction: Interaction): void {
    if (this.draining) {
      // Not ours to answer any more: during a rolling restart the process taking over this shard may get
      // the same interaction and act on it, so no "nothing was done" from here (see `startDraining`).
      this.o.log.info(
        { interactionId: interaction.id, guildId: interaction.guildId },
        'interaction left unanswered: this process is stopping',
      );
      return;
    }
    const task = this.process(interaction).catch((error: unknown) => {
      this.o.log.error({ interactionId: interaction.id, err: error }, 'interaction handling failed');
    });
    this.inFlight.add(task);
    this.o.metrics.inFlight.set(this.inFlight.size);
    void task.finally(() => {
      this.inFlight.delete(task);
      this.o.metrics.inFlight.set(this.inFlight.size);
    });
  }

  /**
   * From now on, new interactions are left alone (neither run nor answered). The runtime disconnects from
   * the gateway right after, so this only catches one discord.js had already read off the socket.
   */
  startDraining(): void {
    this.draining = true;
  }

  /** Waits (at most `timeoutMs`) for the interactions in flight; true when all finished. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.draining = true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      while (this.inFlight.size > 0) {
        const done = await Promise.race([Promise.allSettled([...this.inFlight]).then(() => true), timeout]);
        if (!done) return false;
      }
      return true;
    } finally {
      clearTimeout(timer);
    }
  }

  private async process(interaction: Interaction): Promise<void> {
    const started = performance.now();
    if (interaction.isAutocomplete()) {
      await interaction.respond([]).catch(() => {});
      return;
    }
    if (!interaction.isChatInputCommand() && !interaction.isButton()) {
      if (interaction.isRepliable()) {
        const friendly = describeError(
          new RuntimeError(RuntimeErrorCode.UNKNOWN_COMMAND, 'I do not handle that'),
        );
        await interaction.reply(replyPayload(errorReply(friendly))).catch(() => {});
      }
      return;
    }
    const kind = interaction.isButton() ? 'button' : 'command';
    const guildId = interaction.guildId;
    const log = this.o.log.child({
      interactionId: interaction.id,
      guildId,
      tenant: guildId,
      userId: interaction.user.id,
      shard: interaction.guild?.shardId ?? (guildId ? this.o.shardOf(guildId) : null),
      ...(interaction.isButton() ? { customId: interaction.customId } : { command: interaction.commandName }),
    });
    const responder = interaction.isButton() ? buttonResponder(interaction) : slashResponder(interaction);

    // The same interaction delivered again (a gateway replay) gets the same answer without re-running.
    const known = this.recentOutcome(interaction.id);
    const outcome =
      known ??
      this.remember(
        interaction.id,
        // What `run` throws comes before the command ran: before any write.
        this.run(interaction, log).catch((error: unknown) =>
          this.failure(error, null, log, { beforeAnyWrite: true }),
        ),
      );

    const budget = this.deferBudget(interaction.createdTimestamp);
    let timer: NodeJS.Timeout | undefined;
    const first = await Promise.race([
      outcome,
      new Promise<'slow'>((resolve) => {
        timer = setTimeout(() => resolve('slow'), budget);
      }),
    ]);
    clearTimeout(timer);

    let deferred = false;
    let deferredEphemeral = false;
    if (first === 'slow') {
      deferredEphemeral = interaction.isChatInputCommand() && this.privateReply(interaction);
      try {
        await responder.defer(deferredEphemeral);
        deferred = true;
        this.o.metrics.deferred.inc();
      } catch (error) {
        log.warn({ err: error }, 'could not defer the interaction');
      }
    }

    const result = await outcome;
    const reply = result.ok ? result.reply : errorReply(result.friendly);
    try {
      if (!deferred) await responder.reply(reply);
      else if (result.ok) await responder.edit(reply);
      else await responder.errorAfterDefer(reply, deferredEphemeral);
    } catch (error) {
      log.warn({ err: error }, 'could not send the answer to Discord');
    }

    const ms = performance.now() - started;
    const command = result.command?.name ?? 'unknown';
    const code = result.ok ? null : result.friendly.code;
    this.o.metrics.commandDuration.observe({ command, outcome: result.ok ? 'ok' : 'error' }, ms / 1000);
    if (code) this.o.metrics.errors.inc({ code });
    log.info(
      { ok: result.ok, code, deferred, ms: Math.round(ms), replayed: known !== undefined },
      'interaction answered',
    );
    this.o.onHandled?.({
      interactionId: interaction.id,
      guildId,
      kind,
      command,
      ok: result.ok,
      code,
      deferred,
      ms,
    });
  }

  /** Resolves the guild, its tenant and the command, then runs it. */
  private async run(
    interaction: ChatInputCommandInteraction | ButtonInteraction,
    log: Logger,
  ): Promise<Outcome> {
    const guildId = interaction.guildId;
    if (!guildId) throw new RuntimeError(RuntimeErrorCode.GUILD_ONLY, 'guild only');
    if (!interaction.inGuild() || !interaction.guild) {
      log.warn('interaction from a guild this process has not received (no GUILD_CREATE); serving it anyway');
    }
    const loaded = this.o.tenants.get(guildId);
    const config = await loaded.config();
    const table = loaded.table(this.o.commands, config);
    // Another process may have published (on libSQL there is no notification): catch up here.
    if (this.o.sync.syncedVersion(guildId) !== config.version) this.resync(guildId, log);

    let command: Command | undefined;
    if (interaction.isButton()) {
      command = this.o.commands.forButton(interaction.customId);
      if (!command?.buttons) {
        throw new RuntimeError(RuntimeErrorCode.UNKNOWN_COMMAND, 'That button is not one of mine');
      }
    } else {
      command = table.byName.get(interaction.commandName);
      if (!command) {
        // Discord still shows a command this guild no longer has: register the current set again.
        this.o.sync.forget(guildId);
        this.resync(guildId, log);
        throw new RuntimeError(
          RuntimeErrorCode.UNKNOWN_COMMAND,
          `/${interaction.commandName} is not available in this server`,
        );
      }
    }
    try {
      const isAdmin = interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
      if (command.adminOnly && !isAdmin) {
        throw new RuntimeError(RuntimeErrorCode.MISSING_PERMISSIONS, 'This command is for server managers');
      }
      const base = this.context(interaction, loaded, config, isAdmin, log);
      const reply = interaction.isButton()
        ? await command.buttons!.run({
            ...base,
            customId: interaction.customId,
            args: interaction.customId.split(':'),
          })
        : await command.run({ ...base, options: new OptionReader(interaction.options.data) });
      return { ok: true, reply: command.privateReply ? { ...reply, ephemeral: true } : reply, command };
    } catch (error) {
      return this.failure(error, command, log);
    }
  }

  private context(
    interaction: ChatInputCommandInteraction | ButtonInteraction,
    loaded: LoadedTenant,
    config: CommandContext['config'],
    isAdmin: boolean,
    log: Logger,
  ): Omit<ButtonContext, 'customId' | 'args'> {
    const { metrics } = this.o;
    const guildId = loaded.id;
    const userId = interaction.user.id;
    return {
      name: interaction.isChatInputCommand()
        ? interaction.commandName
        : interaction.customId.split(':', 1)[0]!,
      interactionId: interaction.id,
      createdAt: interaction.createdAt,
      guildId,
      userId,
      member: memberContext(interaction),
      isAdmin,
      tenant: loaded.tenant,
      config,
      currency: config.currency,
      log,
      now: this.o.now,
      counted<T extends { replayed: boolean; transfers?: readonly unknown[] }>(
        operation: MoneyOperation,
        result: T,
      ): T {
        metrics.moneyOperations.inc({ operation, replayed: String(result.replayed) });
        if (!result.replayed && result.transfers)
          metrics.transfers.inc({ operation }, result.transfers.length);
        return result;
      },
      grantRole: (roleId) => this.o.grantRole(guildId, userId, roleId),
      roleRefusal: (roleId) => this.o.roleRefusal(guildId, roleId),
    };
  }

  private failure(error: unknown, command: Command | null, log: Logger, o: DescribeOptions = {}): Outcome {
    const friendly = describeError(error, o);
    if (friendly.expected) log.debug({ code: friendly.code, err: error }, 'interaction refused');
    else log.error({ code: friendly.code, err: error }, 'interaction failed');
    return { ok: false, friendly, command };
  }

  private resync(guildId: string, log: Logger): void {
    this.o.sync.request(guildId).catch((error: unknown) => log.warn({ err: error }, 'command sync failed'));
  }

  /** Whether a deferral should be private: decided before the command is resolved, by its file's name. */
  private privateReply(interaction: ChatInputCommandInteraction): boolean {
    return this.o.commands.all.find((c) => c.name === interaction.commandName)?.privateReply ?? false;
  }

  /** How long to wait before deferring: the configured delay, less any time the interaction spent reaching us. */
  private deferBudget(createdTimestamp: number): number {
    const age = Date.now() - createdTimestamp;
    if (age < 0 || age > DISCORD_WINDOW_MS) return this.o.deferAfterMs;
    return Math.max(0, Math.min(this.o.deferAfterMs, DISCORD_WINDOW_MS - SAFETY_MS - age));
  }

  private recentOutcome(id: string): Promise<Outcome> | undefined {
    const entry = this.recent.get(id);
    if (!entry) return undefined;
    if (Date.now() - entry.at > RECENT_TTL_MS) {
      this.recent.delete(id);
      return undefined;
    }
    return entry.outcome;
  }

  private remember(id: string, outcome: Promise<Outcome>): Promise<Outcome> {
    this.recent.set(id, { at: Date.now(), outcome });
    if (this.recent.size > RECENT_MAX) this.recent.delete(this.recent.keys().next().value!);
    // Only successes are worth repeating; a failed attempt (an outage) may be retried for real.
    void outcome.then((result) => {
      if (!result.ok) this.recent.delete(id);
    });
    return outcome;
  }
}
