import type { Clock, ClusterStorage, EconomyStore } from '@guildmint/sdk';
import { loadLibsql } from './sdk';

/**
 * What the control plane's economy opens: the storage as configured, except that a `file:` economy gets
 * its writer on a thread of its own when `writerThread` is set (GUILDMINT_ECONOMY_WRITER_THREAD=1).
 * API v1 is served from the server's one JavaScript thread, and with the writer inline SQLite's statements
 * and fsyncs run there too; on its thread they run beside it, and the next group forms while one commits.
 * That pays only where a core is left idle for the thread: the hop between threads costs CPU of its own
 * (LibsqlStore's `writerThread`), and on a loaded 2-core machine bench:api measured it no faster (median
 * of six alternated runs: 640 against 821 pays/s on one key), so it is off by default. Measure a machine
 * with `pnpm bench:api --writer-thread on|off`. PostgreSQL and clusters are unaffected.
 */
export async function economyStorage(
  storage: string | ClusterStorage,
  o: { writerThread: boolean; clock?: Clock },
): Promise<string | ClusterStorage | EconomyStore> {
  if (!o.writerThread || typeof storage !== 'string' || !storage.startsWith('file:')) return storage;
  const { LibsqlStore } = await loadLibsql();
  return new LibsqlStore({ url: storage, writerThread: true, ...(o.clock && { clock: o.clock }) });
}
