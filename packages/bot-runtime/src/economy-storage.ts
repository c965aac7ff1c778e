import type { Clock, ClusterStorage, EconomyStore } from '@guildmint/sdk';
import { LibsqlStore } from '@guildmint/sdk/libsql';

/**
 * What the runtime's economy opens: the storage as configured, except that a `file:` economy gets its writer
 * (SQLite's statements and fsyncs) on a thread of its own unless `writerThread` is false
 * (GUILDMINT_ECONOMY_WRITER_THREAD=0). Inline, every group commit's fsync holds the thread that also reads the
 * gateway and answers interactions; on its thread, the next group forms while one commits. bench:runtime,
 * embedded, 1,000 guilds, six alternated pairs on a 2-core machine: median 1,386 interactions/s with the
 * thread against 1,160 without (5 pairs of 6 faster), bot CPU per interaction alike (867 against 908 µs).
 * The control plane decides the same for its own economy (its `economy-storage.ts`).
 */
export function economyStorage(
  storage: string | ClusterStorage,
  o: { writerThread: boolean; clock?: Clock },
): string | ClusterStorage | EconomyStore {
  if (!o.writerThread || typeof storage !== 'string' || !storage.startsWith('file:')) return storage;
  return new LibsqlStore({ url: storage, writerThread: true, ...(o.clock && { clock: o.clock }) });
}
