import { type Cache, openCache } from './cache.js';
import { cryptoSeeds, type SeedSource } from './games/fairness.js';
import { Lifecycle } from './lifecycle.js';
import { type ClusterStorage, isClusterStorage } from './placement/clusters.js';
import { openClusterStore } from './placement/open.js';
import { withMemberCap } from './plans/member-cap.js';
import { cryptoRandom, type RandomSource } from './random.js';
import type { RemoteHttpOptions } from './remote/http.js';
import { openRemoteEconomy, type RemoteKeyEconomy } from './remote/index.js';
import { type Clock, systemClock } from './stores/clock.js';
import { openStore, refusingStore } from './stores/open.js';
import { type EconomyStore, writePathOf } from './stores/public-store.js';
import type { ConfigChange } from './stores/types.js';
import { createTenant, type Tenant } from './tenant.js';

export interface EconomyOptions {
  /**
   * A storage URL (`file:<path>`, `:memory:`, `postgres://…`) or a store built from a subpath
   * (`new LibsqlStore({ … })`, `new PostgresStore({ … })`) for its settings. Default `file:guildmint.db`.
   * `{ clusters: { a: 'postgres://…', b: 'postgres://…' }, directory?: 'a' }`: tenants placed across
   * several PostgreSQL clusters (see `ClusterStore` in `@guildmint/sdk/postgres`).
   */
  storage?: string | EconomyStore | ClusterStorage;
  /**
   * With a `file:` storage URL: the store's writer (SQLite's statements and fsyncs) on a thread of its own,
   * as `new LibsqlStore({ url, writerThread: true })` does (see there for what it costs and buys). Default
   * false. Ignored for any other storage: pass such a `LibsqlStore` yourself for its other settings.
   */
  writerThread?: boolean;
  /** `redis://…` to share rate limits across processes, or a `Cache`. Default: in-process. */
  cache?: string | Cache;
  /** Where "now" comes from (tests, simulations). */
  clock?: Clock;
  /** Where chance comes from outside provably fair games (ranged rewards); a seeded source for simulations. */
  random?: RandomSource;
  /**
   * Told about an error that has no caller to reach: an `onConfigChange` listener that threw or
   * rejected. Default: `console.error`.
   */
  onError?: (error: unknown, context: BackgroundErrorContext) => void;
  /**
   * Hold each tenant to its Guildmint plan (`tenant.plan()`): a publish beyond the plan's limits is
   * refused with PLAN_LIMIT. For Guildmint's hosted services; default false, since an economy you run
   * yourself has no plan.
   */
  enforcePlans?: boolean;
}

/** Where an error reported to `onError` came from. */
export interface BackgroundErrorContext {
  source: 'onConfigChange';
  tenant: string;
  version: number;
}

/** Hears one config change; a promise it returns is awaited (see `onConfigChange`). */
export type ConfigChangeListener = (change: ConfigChange) => unknown;

export interface Economy {
  /** Create or upgrade tables; safe to call any number of times, from several processes. */
  migrate(): Promise<void>;
  /** The handle through which every operation on one tenant goes. */
  tenant(id: string): Tenant;
  /**
   * Called whenever a tenant's config changes: published here, or (on PostgreSQL) by another process.
   * Returns a function that stops listening. The tenant handles already re-read the new config.
   * Listeners run after the publish has answered, each on its own; `close()` waits for them (and the
   * calls they make), and a listener that throws or rejects is reported to `onError`.
   */
  onConfigChange(listener: ConfigChangeListener): () => void;
  /** Finish pending writes and running config listeners, then release connections. */
  close(): Promise<void>;
}

export const DEFAULT_STORAGE = 'file:guildmint.db';

/**
 * Opens an economy on a store. Tables are created on first use (or by `migrate()`), so the
 * embedded default works with no set-up at all. Game seeds always come from node:crypto.
 * Never throws: storage or a cache it cannot use makes every call reject with INVALID_INPUT.
 * With `{ remote: { url, apiKey } }`, the tenant of an API key over Guildmint's HTTP API instead (what API v1
 * offers of a tenant: see `RemoteTenant`); any other tenant id is refused with FORBIDDEN.
 * @example
 * const economy = createEconomy({ storage: 'file:data/ledger.db' });
 * const guild = economy.tenant(interaction.guildId);
 */
export function createEconomy(options: { remote: RemoteHttpOptions }): RemoteKeyEconomy;
export function createEconomy(options?: EconomyOptions): Economy;
export function createEconomy(
  options: EconomyOptions | { remote: RemoteHttpOptions } = {},
): Economy | RemoteKeyEconomy {
  // Over Guildmint's HTTP API (SDK-CONTRACT, `options.remote`): no local store then.
  if ('remote' in options && options.remote) return openRemoteEconomy(options.remote);
  return openLocalEconomy(options as EconomyOptions);
}

function openLocalEconomy(options: EconomyOptions): Economy {
  try {
    return openEconomy(options, cryptoSeeds);
  } catch (error) {
    // A storage URL or cache it cannot use: the first call rejects with that error (INVALID_INPUT).
    const { cache: _unusable, ...usable } = options;
    return openEconomy({ ...usable, storage: refusingStore(error) }, cryptoSeeds);
  }
}

/**
 * `createEconomy` with another source of game seeds: for the simulation engine's own private economy
 * only (a simulation repeats exactly from its seed, games included). Not exported from the package.
 */
export function openEconomy(options: EconomyOptions, seeds: SeedSource): Economy {
  const clock = options.clock ?? systemClock;
  const store = isClusterStorage(options.storage)
    ? openClusterStore(options.storage, clock)
    : typeof options.storage === 'object' && options.storage !== null
      ? writePathOf(options.storage)
      : openStore(options.storage ?? DEFAULT_STORAGE, clock, { writerThread: options.writerThread === true });
  const cache = openCache(options.cache);
  const lifecycle = new Lifecycle(() => store.migrate());
  const tenants = new Map<string, Tenant>();
  const listeners = new Set<ConfigChangeListener>();
  const onError = options.onError ?? reportToConsole;
  // The newest version each tenant's listeners were told of. A publish of this process is heard twice
  // (at once, and back through the store's LISTEN), and a notification may come after a newer one:
  // listeners hear each version once, and never an older one after a newer.
  const announced = new Map<string, number>();
  const announce = (change: ConfigChange) => {
    tenants.get(change.tenant)?.reloadConfig();
    if ((announced.get(change.tenant) ?? 0) >= change.version) return;
    announced.set(change.tenant, change.version);
    // Outside the publishing call: it answers whatever a listener does, and close() drains listeners.
    for (const listener of listeners) {
      lifecycle
        .detach(() => listener(change))
        .catch((error: unknown) => onError(error, { source: 'onConfigChange', ...change }));
    }
  };
  let unwatch: (() => void) | undefined;
  // True while the store announces every publish (PostgreSQL's LISTEN, started by onConfigChange, is
  // connected): tenants then keep their config until told, instead of re-reading it every second.
  let publishesHeard = false;
  const watch = () => {
    unwatch ??= store.watchConfigs?.(
      (change) => announce(change),
      (listening) => {
        publishesHeard = listening;
        // Listening (again): a publish may have gone unheard before, so cached configs are dropped.
        if (listening) for (const tenant of tenants.values()) tenant.reloadConfig();
      },
    );
  };

  return {
    migrate: () => lifecycle.migrate(),
    tenant(id: string): Tenant {
      let tenant = tenants.get(id);
      if (!tenant) {
        tenant = createTenant(id, {
          // A tenant held to its plan: new members beyond its limit are refused (plans/member-cap.ts).
          store: options.enforcePlans === true ? withMemberCap(store, id, clock) : store,
          lifecycle,
          clock,
          random: options.random ?? cryptoRandom,
          seeds,
          cache,
          enforcePlans: options.enforcePlans === true,
          published: (version) => announce({ tenant: id, version }),
          publishesHeard: () => publishesHeard,
        });
        tenants.set(id, tenant);
      }
      return tenant;
    },
    onConfigChange(listener) {
      listeners.add(listener);
      watch();
      return () => listeners.delete(listener);
    },
    async close(): Promise<void> {
      // Other processes' changes stop arriving first; those already heard are drained with the rest.
      unwatch?.();
      if (!(await lifecycle.close())) return;
      await Promise.all([store.close(), cache.close()]);
    },
  };
}

function reportToConsole(error: unknown, context: BackgroundErrorContext): void {
  console.error(
    `[guildmint] an ${context.source} listener failed (tenant ${context.tenant}, version ${context.version})`,
    error,
  );
}
