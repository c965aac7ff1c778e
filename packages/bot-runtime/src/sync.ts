import type { Economy } from '@guildmint/sdk';
import { type REST, Routes } from 'discord.js';
import type { Logger } from 'pino';
import { concurrencyLimit } from './limit.js';
import type { CommandSet } from './loader.js';

export interface SyncResult {
  guildId: string;
  version: number;
  /** False when Discord already had exactly these definitions from this process. */
  changed: boolean;
}

/**
 * Keeps each guild's slash commands in step with its config: one bulk overwrite per guild
 * (`PUT /applications/{app}/guilds/{guild}/commands`) whenever the definitions change. Requests for
 * one guild are serialized and coalesced, so a burst of publishes ends with the newest config
 * registered, never an older one overwriting it.
 */
export class CommandSync {
  private readonly registered = new Map<string, { version: number; body: string }>();
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

  /** The config version whose commands this process registered for the guild, if any. */
  registeredVersion(guildId: string): number | undefined {
    return this.registered.get(guildId)?.version;
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

  /** Forget what was registered (the guild left, or its commands must be sent again). */
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
    const table = this.o.commands.table(config);
    const body = JSON.stringify(table.definitions);
    const log = this.o.log.child({ tenant: guildId, guildId, configVersion: config.version });
    if (table.shadowed.length > 0) {
      log.warn(
        { shadowed: table.shadowed },
        'faucets named like built-in commands are not offered as commands',
      );
    }
    let changed = false;
    if (this.registered.get(guildId)?.body !== body) {
      await this.o.rest.put(Routes.applicationGuildCommands(this.o.applicationId, guildId), {
        body: table.definitions,
      });
      changed = true;
      log.info({ commands: table.definitions.map((d) => d.name) }, 'slash commands registered');
    }
    this.registered.set(guildId, { version: config.version, body });
    const result = { guildId, version: config.version, changed };
    this.o.onSynced?.(result);
    return result;
  }
}
