import { createHash } from 'node:crypto';
import type { Economy } from '@guildmint/sdk';
import { DiscordAPIError, type REST, Routes } from 'discord.js';
import type { Logger } from 'pino';
import { RuntimeError, RuntimeErrorCode } from './errors.js';
import { concurrencyLimit } from './limit.js';
import type { CommandSet } from './loader.js';

export interface SyncResult {
  guildId: string;
  version: number;
  /** False when Discord already had exactly these definitions from this process (or refused them). */
  changed: boolean;
  /** Why this config's commands are not registered (Discord or the runtime's own check refused them); else null. */
  refused: string | null;
}

/**
 * Discord refused the definitions themselves (4xx other than a rate limit, which discord.js waits out):
 * the same set would be refused again, so it is not re-sent.
 */
function refusedByDiscord(error: unknown): error is DiscordAPIError {
  return (
    error instanceof DiscordAPIError && error.status >= 400 && error.status < 500 && error.status !== 429
  );
}

/**
 * Keeps each guild's slash commands in step with its config: one bulk overwrite per guild
 * (`PUT /applications/{app}/guilds/{guild}/commands`) whenever the definitions change. Requests for
 * one guild are serialized and coalesced, so a burst of publishes ends with the newest config
 * registered, never an older one overwriting it. A set Discord refuses (or that breaks its limits by the
 * runtime's own check) is logged once and remembered: nothing sends it again until the config changes.
 */
export class CommandSync {
  // Sets are remembered by a digest of their JSON, not the JSON itself (several KB per guild, which adds up
  // to tens of MB in a process serving 10,000 guilds).
  private readonly registered = new Map<string, { version: number; body: string }>();
  /** The guild's newest set that was refused, and the config version it came from. */
  private readonly refused = new Map<string, { version: number; body: string; reason: string }>();
  private readonly queued = new Map<string, Promise<SyncResult>>();
  private readonly running = new Map<string, Promise<unknown>>();
  private readonly limit: <T>(task: () => Promise<T>) => Promise<T>;

  constructor(
    private readonly o: {
      rest: REST;
      applicationId: string;
      /** Configs are read straight from the economy: registering a guild's commands does not load its tenant. */
      economy: Economy;
      commands: CommandSet;
      log: Logger;
      concurrency?: number;
      onSynced?: (result: SyncResult) => void;
    },
  ) {
    this.limit = concurrencyLimit(o.concurrency ?? 4);
  }

  /**
   * The config version this process last settled for the guild: its commands registered, or refused (then
   * retrying cannot help until the config changes). Undefined when nothing settled yet, or a sync failed.
   */
  syncedVersion(guildId: string): number | undefined {
    return this.refused.get(guildId)?.version ?? this.registered.get(guildId)?.version;
  }

  /**
   * The config version whose commands this process registered for the guild (so they passed the runtime's
   * own check of Discord's limits), unless a newer set was refused since.
   */
  registeredVersion(guildId: string): number | undefined {
    return this.refused.has(guildId) ? undefined : this.registered.get(guildId)?.version;
  }

  /** Registers the guild's commands for its current config (after any sync already running). */
  request(guildId: string): Promise<SyncResult> {
    const queued = this.queued.get(guildId);
    if (queued) return queued;
    const previous = this.running.get(guildId) ?? Promise.resolve();
    const next = previous
      .catch(() => {})
      .then(() => {
        this.queued.delete(guildId);
        const run = this.limit(() => this.syncNow(guildId));
        this.running.set(guildId, run);
        return run.finally(() => {
          if (this.running.get(guildId) === run) this.running.delete(guildId);
        });
      });
    this.queued.set(guildId, next);
    return next;
  }

  /** Forget what was registered (the guild left, or its commands must be sent again); a refusal stays. */
  forget(guildId: string): void {
    this.registered.delete(guildId);
  }

  /** Waits for every sync requested so far. */
  async idle(): Promise<void> {
    while (this.queued.size > 0 || this.running.size > 0) {
      await Promise.allSettled([...this.queued.values(), ...this.running.values()]);
    }
  }

  private async syncNow(guildId: string): Promise<SyncResult> {
    const config = await this.o.economy.tenant(guildId).config();
    const log = this.o.log.child({ tenant: guildId, guildId, configVersion: config.version });
    let table: ReturnType<CommandSet['table']>;
    try {
      table = this.o.commands.table(config);
    } catch (error) {
      if (!(error instanceof RuntimeError && error.code === RuntimeErrorCode.COMMANDS_REFUSED)) throw error;
      return this.refuse(guildId, config.version, `invalid:${config.version}`, error.message, () =>
        log.error({ err: error }, 'the config defines slash commands Discord would refuse'),
      );
    }
    const body = createHash('sha256').update(JSON.stringify(table.definitions)).digest('base64');
    const refusal = this.refused.get(guildId);
    if (refusal?.body === body) return this.refuse(guildId, config.version, body, refusal.reason);
    if (table.shadowed.length > 0) {
      log.warn(
        { shadowed: table.shadowed },
        'faucets named like built-in commands are not offered as commands',
      );
    }
    let changed = false;
    if (this.registered.get(guildId)?.body !== body) {
      try {
        await this.o.rest.put(Routes.applicationGuildCommands(this.o.applicationId, guildId), {
          body: table.definitions,
        });
      } catch (error) {
        if (!refusedByDiscord(error)) throw error;
        return this.refuse(
          guildId,
          config.version,
          body,
          `Discord answered ${error.status}: ${error.message}`,
          () =>
            log.error(
              { status: error.status, code: error.code, err: error },
              'Discord refused the slash commands',
            ),
        );
      }
      changed = true;
      log.info({ commands: table.definitions.map((d) => d.name) }, 'slash commands registered');
    }
    this.refused.delete(guildId);
    this.registered.set(guildId, { version: config.version, body });
    return this.done({ guildId, version: config.version, changed, refused: null });
  }

  /** Remembers a refused set (logging it only when it is new) and reports it. */
  private refuse(
    guildId: string,
    version: number,
    body: string,
    reason: string,
    logNew?: () => void,
  ): SyncResult {
    if (this.refused.get(guildId)?.body !== body) logNew?.();
    this.refused.set(guildId, { version, body, reason });
    return this.done({ guildId, version, changed: false, refused: reason });
  }

  private done(result: SyncResult): SyncResult {
    this.o.onSynced?.(result);
    return result;
  }
}
