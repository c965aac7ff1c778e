import type { Economy, Tenant } from '@guildmint/sdk';
import type { Logger } from 'pino';
import type { GuildConfig } from './command.js';
import type { CommandSet, CommandTable } from './loader.js';
import type { RuntimeMetrics } from './metrics.js';

const DAY_MS = 86_400_000;

/** A guild this process has touched: its SDK tenant handle and what the runtime keeps beside it. */
export class LoadedTenant {
  lastUsed: number;
  private cachedTable: { version: number; table: CommandTable } | undefined;

  constructor(
    readonly id: string,
    readonly tenant: Tenant,
    now: number,
  ) {
    this.lastUsed = now;
  }

  /** The config in force (the SDK caches it briefly and re-reads it after a publish). */
  async config(): Promise<GuildConfig> {
    return this.tenant.config();
  }

  /**
   * The commands a config offers, computed once per config version; `checked`: the set was already checked
   * against Discord's limits (see `CommandSet.table`).
   */
  table(commands: CommandSet, config: GuildConfig, checked = false): CommandTable {
    if (this.cachedTable?.version !== config.version) {
      this.cachedTable = { version: config.version, table: commands.table(config, { checked }) };
    }
    return this.cachedTable.table;
  }
}

export interface TenantManagerOptions {
  metrics: RuntimeMetrics;
  log: Logger;
  now: () => number;
  /** A tenant untouched this long is unloaded (after its open rounds are settled). */
  idleMs: number;
  /** Runs for each loaded tenant on every sweep (the log channel's anomaly scan); its failures are logged. */
  onSweep?: (loaded: LoadedTenant) => Promise<unknown>;
}

/**
 * The guilds this process serves, loaded lazily: a tenant is created the first time one of its
 * guild's interactions (or its GUILD_CREATE) needs it, and unloaded when idle.
 */
export class TenantManager {
  private readonly tenants = new Map<string, LoadedTenant>();
  /** The UTC day the auto-balancer last ran per guild; kept when a tenant is unloaded, so a reload does not rerun it. */
  private readonly balancedOn = new Map<string, number>();

  constructor(
    private readonly economy: Economy,
    private readonly o: TenantManagerOptions,
  ) {}

  /** The guild's tenant, loading it on first use. Throws TENANT_INVALID for an id that is not one. */
  get(guildId: string): LoadedTenant {
    let loaded = this.tenants.get(guildId);
    if (!loaded) {
      loaded = new LoadedTenant(guildId, this.economy.tenant(guildId), this.o.now());
      this.tenants.set(guildId, loaded);
      this.o.metrics.tenantsLoaded.set(this.tenants.size);
      this.o.log.debug({ tenant: guildId, guildId }, 'tenant loaded');
    }
    loaded.lastUsed = this.o.now();
    return loaded;
  }

  peek(guildId: string): LoadedTenant | undefined {
    return this.tenants.get(guildId);
  }

  get size(): number {
    return this.tenants.size;
  }

  list(): LoadedTenant[] {
    return [...this.tenants.values()];
  }

  /**
   * One pass of the periodic job: every loaded tenant stands its abandoned blackjack rounds and, once a
   * day, runs the auto-balancer (a no-op unless the guild enabled it; the SDK also acts at most once per
   * UTC day, whichever process asks); tenants idle past `idleMs` are unloaded afterwards (an idle tenant's
   * rounds are settled first, so a round never waits for a tenant that is no longer loaded). Failures are
   * logged per tenant, never thrown.
   */
  async sweep(): Promise<SweepResult> {
    let settled = 0;
    let unloaded = 0;
    let balanced = 0;
    for (const loaded of this.list()) {
      const log = this.o.log.child({ tenant: loaded.id, guildId: loaded.id });
      try {
        const n = await loaded.tenant.settleExpiredRounds();
        settled += n;
        if (n > 0) log.info({ settled: n }, 'abandoned rounds settled');
        const expired = await loaded.tenant.settleExpiredTrades();
        if (expired > 0) log.info({ expired }, 'expired trades returned to their proposers');
        await this.o
          .onSweep?.(loaded)
          .catch((error: unknown) => log.warn({ err: error }, 'sweep hook failed'));
      } catch (error) {
        log.warn({ err: error }, 'settling abandoned rounds failed');
        continue;
      }
      if (await this.balance(loaded, log)) balanced++;
      if (this.o.now() - loaded.lastUsed >= this.o.idleMs) {
        this.tenants.delete(loaded.id);
        unloaded++;
        log.debug('idle tenant unloaded');
      }
    }
    this.o.metrics.tenantsLoaded.set(this.tenants.size);
    return { settled, unloaded, balanced };
  }

  /**
   * Runs the auto-balancer once per UTC day for this guild (the SDK judges the last complete UTC day, so
   * running on each new day never skips one); true when it ran.
   */
  private async balance(loaded: LoadedTenant, log: Logger): Promise<boolean> {
    const today = Math.floor(this.o.now() / DAY_MS);
    if (this.balancedOn.get(loaded.id) === today) return false;
    try {
      const result = await loaded.tenant.runAutoBalancer();
      this.balancedOn.set(loaded.id, today);
      if (result.outcome === 'adjusted') {
        log.info(
          { beforeBps: result.beforeBps, afterBps: result.afterBps, day: result.day, why: result.why },
          'auto-balancer adjusted the faucet multiplier',
        );
      } else {
        log.debug({ outcome: result.outcome, why: result.why }, 'auto-balancer ran');
      }
      return true;
    } catch (error) {
      // Not remembered as run: the next pass tries again.
      log.warn({ err: error }, 'the auto-balancer failed');
      return false;
    }
  }
}

/** One pass of the periodic job. */
export interface SweepResult {
  /** Abandoned blackjack rounds stood. */
  settled: number;
  /** Idle tenants unloaded. */
  unloaded: number;
  /** Tenants the auto-balancer ran for (each once per UTC day). */
  balanced: number;
}
