import { InteractionResponseType, type REST } from 'discord.js';
import type { Logger } from 'pino';
import type { ButtonContext, Command, CommandContext, MoneyOperation } from './command.js';
import {
  type DescribeOptions,
  describeError,
  type Friendly,
  RuntimeError,
  RuntimeErrorCode,
} from './errors.js';
import type { IncomingInteraction } from './incoming.js';
import type { CommandSet } from './loader.js';
import type { LogChannel } from './log-channel.js';
import { moneyEvent } from './log-channel-events.js';
import type { RuntimeMetrics } from './metrics.js';
import { OptionReader } from './options.js';
import type { PackShop } from './packs.js';
import { ProfileRecorder } from './profiles.js';
import { brandReply, errorReply, type Reply } from './replies.js';
import { buttonResponder, InteractionCalls, slashResponder } from './respond.js';
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
  /** Where answers go (interaction callbacks and webhooks need no bot token). */
  rest: REST;
  now: () => Date;
  /** Defer when the answer is not ready after this long (shortened for interactions that arrive late). */
  deferAfterMs: number;
  grantRole(guildId: string, userId: string, roleId: string): Promise<boolean>;
  roleRefusal(guildId: string, roleId: string): Promise<string | null>;
  /** Currency packs through the control plane (null: none sold by this bot). */
  packs: PackShop | null;
  /** Whether a user is in a guild now (Discord's REST answer). */
  isMember(guildId: string, userId: string): Promise<boolean>;
  /** The control plane's public address (the public leaderboard's link), or null. */
  publicUrl: string | null;
  /** Whether this process received the guild (its GUILD_CREATE). */
  knowsGuild(guildId: string): boolean;
  /** The shard a guild's events arrive on, for the logs. */
  shardOf(guildId: string): number | null;
  onHandled?: (event: HandledEvent) => void;
  /** Where money events go for guilds with a log channel (none: not posted). */
  logChannel?: LogChannel;
}

type Outcome =
  | { ok: true; reply: Reply; command: Command }
  | { ok: false; friendly: Friendly; command: Command | null };

/** An ephemeral "unknown command" with this reason. */
export function unknownCommandReply(reason: string): Reply {
  return errorReply(describeError(new RuntimeError(RuntimeErrorCode.UNKNOWN_COMMAND, reason)));
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
  private readonly profiles = new ProfileRecorder();

  constructor(private readonly o: DispatcherOptions) {}

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Entry point for discord.js's `interactionCreate`. Never throws, never rejects. */
  handle(interaction: IncomingInteraction): void {
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

  private async process(interaction: IncomingInteraction): Promise<void> {
    const started = performance.now();
    const calls = new InteractionCalls(this.o.rest, interaction);
    const { kind } = interaction;
    if (kind === 'autocomplete') {
      await calls
        .callback({
          type: InteractionResponseType.ApplicationCommandAutocompleteResult,
          data: { choices: [] },
        })
        .catch(() => {});
      return;
    }
    if (kind === 'other') {
      await calls.reply(unknownCommandReply('I do not handle that')).catch(() => {});
      return;
    }
    const guildId = interaction.guildId;
    const log = this.o.log.child({
      interactionId: interaction.id,
      guildId,
      tenant: guildId,
      userId: interaction.userId,
      shard: guildId ? this.o.shardOf(guildId) : null,
      ...(kind === 'button' ? { customId: interaction.customId } : { command: interaction.commandName }),
    });
    const responder = kind === 'button' ? buttonResponder(calls) : slashResponder(calls);
    // Who is acting, for the control plane: recorded beside the command, awaited only after the answer.
    const profile = guildId ? this.recordProfile(guildId, interaction, log) : undefined;

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
      deferredEphemeral = kind === 'command' && this.privateReply(interaction.commandName);
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

    await profile;
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
  private async run(interaction: IncomingInteraction, log: Logger): Promise<Outcome> {
    const guildId = interaction.guildId;
    if (!guildId) throw new RuntimeError(RuntimeErrorCode.GUILD_ONLY, 'guild only');
    if (!this.o.knowsGuild(guildId)) {
      log.warn('interaction from a guild this process has not received (no GUILD_CREATE); serving it anyway');
    }
    const loaded = this.o.tenants.get(guildId);
    const config = await loaded.config();
    // The set sync registered for this version was checked then: the first interaction need not check it again.
    const checked = this.o.sync.registeredVersion(guildId) === config.version;
    const table = loaded.table(this.o.commands, config, checked);
    // Another process may have published (on libSQL there is no notification): catch up here.
    if (this.o.sync.syncedVersion(guildId) !== config.version) this.resync(guildId, log);

    let command: Command | undefined;
    const { customId } = interaction;
    if (customId !== undefined) {
      command = this.o.commands.forButton(customId);
      if (!command?.buttons) {
        throw new RuntimeError(RuntimeErrorCode.UNKNOWN_COMMAND, 'That button is not one of mine');
      }
    } else {
      command = table.byName.get(interaction.commandName ?? '');
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
      const isAdmin = interaction.canManageGuild();
      if (command.adminOnly && !isAdmin) {
        throw new RuntimeError(RuntimeErrorCode.MISSING_PERMISSIONS, 'This command is for server managers');
      }
      const base = this.context(interaction, loaded, config, isAdmin, log);
      const reply =
        customId !== undefined
          ? await command.buttons!.run({ ...base, customId, args: customId.split(':') })
          : await command.run({ ...base, options: new OptionReader(interaction.options) });
      const branded = brandReply(reply, config.branding);
      return { ok: true, reply: command.privateReply ? { ...branded, ephemeral: true } : branded, command };
    } catch (error) {
      return this.failure(error, command, log);
    }
  }

  private context(
    interaction: IncomingInteraction,
    loaded: LoadedTenant,
    config: CommandContext['config'],
    isAdmin: boolean,
    log: Logger,
  ): Omit<ButtonContext, 'customId' | 'args'> {
    const { metrics, logChannel } = this.o;
    const guildId = loaded.id;
    const { userId } = interaction;
    return {
      name: interaction.commandName ?? interaction.customId!.split(':', 1)[0]!,
      interactionId: interaction.id,
      createdAt: interaction.createdAt,
      guildId,
      userId,
      member: interaction.member(),
      memberOf: (id) => interaction.resolvedMember(id),
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
        const event = logChannel && moneyEvent(operation, result, { userId, config });
        if (event) logChannel!.record(guildId, config.logChannel, event);
        return result;
      },
      grantRole: (roleId) => this.o.grantRole(guildId, userId, roleId),
      roleRefusal: (roleId) => this.o.roleRefusal(guildId, roleId),
      packs: this.o.packs,
      isMember: (id) => this.o.isMember(guildId, id),
      publicUrl: this.o.publicUrl,
    };
  }

  /** Never rejects: a profile that cannot be recorded now is recorded with the member's next interaction. */
  private async recordProfile(guildId: string, interaction: IncomingInteraction, log: Logger): Promise<void> {
    try {
      await this.profiles.record(
        this.o.tenants.get(guildId).tenant,
        interaction.userId,
        interaction.profile(),
      );
    } catch (error) {
      log.warn({ err: error }, 'could not record the member’s name and avatar');
    }
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
  private privateReply(commandName: string | undefined): boolean {
    return this.o.commands.all.find((c) => c.name === commandName)?.privateReply ?? false;
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
