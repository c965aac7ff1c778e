import { type Cache, openCache } from './cache.js';
import { Lifecycle } from './lifecycle.js';
import { cryptoRandom, type RandomSource } from './random.js';
import { type Clock, systemClock } from './stores/clock.js';
import { openStore } from './stores/open.js';
import type { ConfigChange, Store } from './stores/types.js';
import { createTenant, type Tenant } from './tenant.js';

export interface EconomyOptions {
  /** A storage URL (`file:<path>`, `:memory:`, `postgres://…`) or a `Store`. Default `file:guildmint.db`. */
  storage?: string | Store;
  /** `redis://…` to share rate limits across processes, or a `Cache`. Default: in-process. */
  cache?: string | Cache;
  /** Where "now" comes from (tests, simulations). */
  clock?: Clock;
  /** Where chance comes from outside provably fair games (ranged rewards); a seeded source for simulations. */
  random?: RandomSource;
}

export interface Economy {
  /** Create or upgrade tables; safe to call any number of times, from several processes. */
  migrate(): Promise<void>;
  /** The handle through which every operation on one tenant goes. */
  tenant(id: string): Tenant;
  /**
   * Called whenever a tenant's config changes: published here, or (on PostgreSQL) by another process.
   * Returns a function that stops listening. The tenant handles already re-read the new config.
   */
  onConfigChange(listener: (change: ConfigChange) => void): () => void;
  /** Finish pending writes, then release connections. */
  close(): Promise<void>;
}

export const DEFAULT_STORAGE = 'file:guildmint.db';

/**
 * Opens an economy on a store. Tables are created on first use (or by `migrate()`), so the
 * embedded default works with no set-up at all.
 */
export function createEconomy(options: EconomyOptions = {}): Economy {
  const clock = options.clock ?? systemClock;
  const store =
    typeof options.storage === 'object'
      ? options.storage
      : openStore(options.storage ?? DEFAULT_STORAGE, clock);
  const cache = openCache(options.cache);
  const lifecycle = new Lifecycle(() => store.migrate());
  const tenants = new Map<string, Tenant>();
  const listeners = new Set<(change: ConfigChange) => void>();
  const announce = (change: ConfigChange) => {
    tenants.get(change.tenant)?.reloadConfig();
    for (const listener of listeners) listener(change);
  };
  let unwatch: (() => void) | undefined;

  return {
    migrate: () => lifecycle.migrate(),
    tenant(id: string): Tenant {
      let tenant = tenants.get(id);
      if (!tenant) {
        tenant = createTenant(id, {
          store,
          lifecycle,
          clock,
          random: options.random ?? cryptoRandom,
          cache,
          published: (version) => announce({ tenant: id, version }),
        });
        tenants.set(id, tenant);
      }
      return tenant;
    },
    onConfigChange(listener) {
      listeners.add(listener);
      unwatch ??= store.watchConfigs?.((change) => announce(change));
      return () => listeners.delete(listener);
    },
    async close(): Promise<void> {
      if (!(await lifecycle.close())) return;
      unwatch?.();
      await Promise.all([store.close(), cache.close()]);
    },
  };
}
