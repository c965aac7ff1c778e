import { toIssues } from '../config/define.js';
import { presets } from '../config/presets.js';
import { type EconomyConfig, economyConfigSchema } from '../config/schema.js';
import type { ActiveConfig } from '../context/tenant-context.js';
import { ErrorCode, GuildmintError, invalidInput, ValidationError } from '../errors.js';
import type { Store } from '../stores/types.js';
import { webhookEvent } from '../webhooks/events.js';

/**
 * How long a process trusts its cached config before re-reading (other processes may publish), unless
 * it hears every publish (PostgreSQL's LISTEN, while connected): then until it is told of one.
 */
export const CONFIG_CACHE_MS = 1_000;

/** How often a publish without `basedOn` is tried again on top of one that won a race, before CONCURRENT_UPDATE. */
const PUBLISH_ATTEMPTS = 5;

/**
 * Versioned economy configs of one tenant. Version 0 is the `classic` preset, in force until the
 * first publish, so a brand-new guild works at once. Every publish is kept; rollback republishes.
 */
export class ConfigVersions {
  private cached: { value: ActiveConfig; at: number } | undefined;
  /** A read under way: concurrent callers share it instead of each re-reading and re-parsing. */
  private loading: Promise<ActiveConfig> | undefined;
  /** Bumped by `invalidate()`: a read that started before it must not cache what it read. */
  private generation = 0;

  constructor(
    private readonly tenant: string,
    private readonly store: Store,
    /** True while every publish, here or elsewhere, is announced by `invalidate()`. */
    private readonly publishesHeard: () => boolean = () => false,
    /** Real time (not an injected clock): the cache guards against other processes' publishes. */
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * With `basedOn`, a compare-and-set: published only if that is still the latest version. `admit`
   * may refuse the parsed config (the tenant's plan) before anything is written.
   */
  async publish(
    input: unknown,
    actor: string | null,
    basedOn?: number,
    admit?: (config: EconomyConfig) => Promise<void>,
  ): Promise<{ version: number; changed: boolean }> {
    const config = parseConfig(withoutVersion(input));
    if (basedOn !== undefined && (!Number.isSafeInteger(basedOn) || basedOn < 0))
      throw invalidInput('basedOn', 'must be the version the config was edited from (0 or more)');
    const latest = await this.store.getConfig(this.tenant);
    // Nothing changed: the latest version stays in force and no version is added (a save without edits).
    if (latest && (basedOn === undefined || basedOn === latest.version) && sameConfig(latest.config, config))
      return { version: latest.version, changed: false };
    await admit?.(config);
    const text = JSON.stringify(config);
    // The config.published event names its version, so every write is a compare-and-set on the latest
    // one; without `basedOn` (last publish wins) a publish that lost a race is tried again on top.
    for (let attempt = 1; ; attempt++) {
      const base = basedOn ?? (await this.store.getConfig(this.tenant))?.version ?? 0;
      const event = webhookEvent(this.tenant, 'config.published', new Date(this.now()), {
        version: base + 1,
        previousVersion: base,
        name: config.name ?? null,
        actor,
      });
      const version = await this.store.putConfig(this.tenant, text, actor, base, [event]);
      if (version !== null) {
        this.cached = { value: { config, version }, at: this.now() };
        return { version, changed: true };
      }
      this.invalidate();
      if (basedOn !== undefined || attempt === PUBLISH_ATTEMPTS)
        throw new GuildmintError(
          ErrorCode.CONCURRENT_UPDATE,
          `another version was published after version ${base}, which this config was edited from; reload to see it, then publish again`,
        );
    }
  }

  async current(): Promise<ActiveConfig> {
    if (this.cached && (this.publishesHeard() || this.now() - this.cached.at < CONFIG_CACHE_MS))
      return this.cached.value;
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<ActiveConfig> {
    const generation = this.generation;
    const known = this.cached?.value;
    // Still the version cached (the common case: a config changes rarely, a cache expires every second):
    // the key alone says so, and the stored config is neither read nor parsed again; only its age is new.
    const value =
      known && (await this.store.latestConfigVersion(this.tenant)) === known.version
        ? known
        : await this.read(known);
    // Invalidated while this read was under way (a publish elsewhere): what it read may be stale.
    if (generation !== this.generation) return value;
    // A publish while this read was under way wins: keep its (newer) cached value.
    if (!this.cached || this.cached.value.version <= value.version) this.cached = { value, at: this.now() };
    return this.cached.value;
  }

  /** The latest stored config, parsed unless it is the version already known. */
  private async read(known: ActiveConfig | undefined): Promise<ActiveConfig> {
    const row = await this.store.getConfig(this.tenant);
    if (known && known.version === (row?.version ?? 0)) return known;
    return row
      ? { config: parseStored(row.config), version: row.version }
      : { config: presets.classic, version: 0 };
  }

  async at(version: number): Promise<ActiveConfig> {
    if (version === 0) return { config: presets.classic, version: 0 };
    const row = await this.store.getConfig(this.tenant, version);
    if (!row) throw new GuildmintError(ErrorCode.NOT_FOUND, `config version ${version} does not exist`);
    return { config: parseStored(row.config), version: row.version };
  }

  history(): Promise<Array<{ version: number; actor: string | null; createdAt: Date }>> {
    return this.store.listConfigs(this.tenant);
  }

  /** Drop the cached copy: the next read sees what the store holds (hot reload). */
  invalidate(): void {
    this.generation++;
    this.cached = undefined;
    this.loading = undefined;
  }
}

function parseConfig(input: unknown): EconomyConfig {
  const result = economyConfigSchema.safeParse(input);
  if (!result.success) throw new ValidationError(ErrorCode.CONFIG_INVALID, toIssues(result.error));
  return result.data;
}

/** `config()` returns the config with its version; publishing that back must work (rollback). */
function withoutVersion(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || !('version' in input)) return input;
  const { version: _version, ...config } = input as Record<string, unknown>;
  return config;
}

/**
 * Whether a stored config parses to the same config (both through today's schema: same keys, same
 * order). One that no longer parses is not the same: publishing replaces it.
 */
function sameConfig(stored: string, config: EconomyConfig): boolean {
  try {
    return JSON.stringify(parseStored(stored)) === JSON.stringify(config);
  } catch {
    return false;
  }
}

function parseStored(text: string): EconomyConfig {
  return parseConfig(JSON.parse(text));
}
