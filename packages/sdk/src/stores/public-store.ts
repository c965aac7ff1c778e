import { ErrorCode, GuildmintError } from '../errors.js';
import type { Store } from './types.js';

/**
 * A database an economy runs on, as an app holds it: a `LibsqlStore` (`@guildmint/sdk/libsql`) or a
 * `PostgresStore` (`@guildmint/sdk/postgres`), built for its settings and passed to
 * `createEconomy({ storage })`. Its other methods are the SDK's write path, reached through a tenant: they
 * are not part of the public API and may change in any release.
 */
export interface EconomyStore {
  readonly kind: 'libsql' | 'postgres';
  /** Create or upgrade the tables; safe to call any number of times, from several processes. */
  migrate(): Promise<void>;
  /** Finish pending writes, then release the connections. */
  close(): Promise<void>;
}

/** The write path of a store passed as `storage`; INVALID_INPUT for an object the SDK did not make. */
export function writePathOf(store: EconomyStore): Store {
  if (typeof (store as Partial<Store>).commit !== 'function') {
    throw new GuildmintError(
      ErrorCode.INVALID_INPUT,
      'storage must be a URL string or a store from @guildmint/sdk/libsql or @guildmint/sdk/postgres',
    );
  }
  return store as Store;
}
