import type { Clock, ClusterStorage, EconomyStore } from '@guildmint/sdk';
import { loadLibsql } from './sdk';

/**
 * What the control plane's economy opens: the storage as configured, except that a `file:` economy gets
 * its writer on a thread of its own when `writerThread` is set (GUILDMINT_ECONOMY_WRITER_THREAD, on unless 0).
 * API v1 is served from the server's one JavaScript thread, and with the writer inline SQLite's statements
 * and fsyncs run there too; on its thread they run beside it, and the next group forms while one commits.
 * The hop between threads costs CPU of its own (LibsqlStore's `writerThread`), so it pays where a core is
 * left for the thread: on a quiet 2-core machine bench:api's pay went from 2,041 to 2,306 a second on one key
 * and from 1,779 to 2,252 on 100 (medians of three alternated runs); on one loaded by other work it measured no
 * faster. Measure a machine with `pnpm bench:api --writer-thread on|off`. PostgreSQL and clusters are unaffected.
 */
export async function economyStorage(
  storage: string | ClusterStorage,
  o: { writerThread: boolean; clock?: Clock },
): Promise<string | ClusterStorage | EconomyStore> {
  if (!o.writerThread || typeof storage !== 'string' || !storage.startsWith('file:')) return storage;
  const { LibsqlStore } = await loadLibsql();
  return new LibsqlStore({ url: storage, writerThread: true, ...(o.clock && { clock: o.clock }) });
}
