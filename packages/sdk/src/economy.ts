import { ErrorCode, GuildmintError } from './errors.js';
import { type Clock, systemClock } from './stores/clock.js';
import { openStore } from './stores/open.js';
import type { Store } from './stores/types.js';
import { createTenant, type Tenant } from './tenant.js';

export interface EconomyOptions {
  /** A storage URL (`file:<path>`, `:memory:`, `postgres://…`) or a `Store`. Default `file:guildmint.db`. */
  storage?: string | Store;
  /** Where "now" comes from (tests, simulations). */
  clock?: Clock;
}

export interface Economy {
  /** Create or upgrade tables; safe to call any number of times, from several processes. */
  migrate(): Promise<void>;
  /** The handle through which every operation on one tenant goes. */
  tenant(id: string): Tenant;
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
  const store = typeof options.storage === 'object' ? options.storage : openStore(options.storage ?? DEFAULT_STORAGE, clock);
  let migration: Promise<void> | undefined;
  let closed = false;
  const tenants = new Map<string, Tenant>();

  const migrate = (): Promise<void> => {
    migration ??= store.migrate().catch((error: unknown) => {
      migration = undefined;
      throw error;
    });
    return migration;
  };
  const ready = (): Promise<void> => {
    if (closed) return Promise.reject(new GuildmintError(ErrorCode.STORE_UNAVAILABLE, 'the economy has been closed'));
    return migrate();
  };

  return {
    migrate,
    tenant(id: string): Tenant {
      let tenant = tenants.get(id);
      if (!tenant) {
        tenant = createTenant(id, store, ready);
        tenants.set(id, tenant);
      }
      return tenant;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await store.close();
    },
  };
}
