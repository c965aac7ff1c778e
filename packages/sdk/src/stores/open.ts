import { loadDriver } from '../drivers.js';
import { ErrorCode, GuildmintError } from '../errors.js';
import type { Clock } from './clock.js';
import { deferredStore } from './deferred.js';
import type { Store } from './types.js';

/**
 * Opens the store a URL names: `file:`/`:memory:` → libSQL (its writer on a thread of its own for a file,
 * with `writerThread`), `postgres://`/`postgresql://` → PostgreSQL. The store's module and its driver load
 * on first use (see `deferredStore`), so an app loads only the driver its URL asks for.
 */
export function openStore(url: string, clock: Clock, o: { writerThread?: boolean } = {}): Store {
  if (typeof url !== 'string' || url.length === 0) {
    throw new GuildmintError(ErrorCode.INVALID_INPUT, 'storage must be a URL string or a Store');
  }
  if (url === ':memory:' || url.startsWith('file:')) {
    return deferredStore('libsql', async () => {
      const { LibsqlStore } = await loadDriver(
        'libsql',
        'The libSQL store (file: and :memory: storage)',
        () => import('./libsql/store.js'),
      );
      return new LibsqlStore({ url, clock, writerThread: o.writerThread === true });
    });
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    return deferredStore('postgres', async () => {
      const { PostgresStore } = await loadDriver(
        'pg',
        'The PostgreSQL store',
        () => import('./postgres/store.js'),
      );
      return new PostgresStore({ url, clock });
    });
  }
  throw new GuildmintError(
    ErrorCode.INVALID_INPUT,
    `unsupported storage URL ${JSON.stringify(url.replace(/\/\/[^@/]*@/, '//…@'))}: use file:<path>, :memory: or postgres://…`,
  );
}

/**
 * A store that never opens: every call (the economy's first one is its migration) fails with `error`.
 * What `createEconomy` uses when its options cannot be used, so that it never throws synchronously:
 * the mistake reaches the caller's first `await`, as every other refusal does. Its kind is never read.
 */
export function refusingStore(error: unknown): Store {
  return deferredStore('libsql', () => Promise.reject(error));
}
