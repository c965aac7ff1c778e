import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Client, createClient } from '@libsql/client';
import { drizzle as drizzleLibsql } from 'drizzle-orm/libsql';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';

/** The driver connection under a handle, for the few things drizzle does not do (migrations). */
export type RawConnection = { dialect: 'postgres'; pool: pg.Pool } | { dialect: 'sqlite'; client: Client };

/**
 * A drizzle connection of its own to the platform database, for a store that keeps one implementation for both
 * dialects. Its tables have the same columns on libSQL and PostgreSQL, and drizzle's two builders take the same
 * calls and return the same values for them (booleans, Dates, text), so the store is written once against the
 * PostgreSQL types and handed the libSQL builder and tables as those.
 */
export interface DrizzleHandle<T> {
  readonly db: NodePgDatabase;
  readonly tables: T;
  readonly raw: RawConnection;
  /** Runs a read once the connection is ready. */
  read<R>(work: () => Promise<R>): Promise<R>;
  /** Runs a write: on libSQL one at a time, as two write statements at once on one client fail with SQLITE_BUSY. */
  write<R>(work: () => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

/**
 * Set on every libSQL connection: wait for another process's write lock, write-ahead logging, and foreign keys
 * enforced as PostgreSQL enforces them (SQLite leaves them off unless asked, per connection).
 */
const SQLITE_PRAGMAS = [
  'PRAGMA busy_timeout = 5000',
  'PRAGMA journal_mode = WAL',
  'PRAGMA foreign_keys = ON',
];

/** The platform database at `url` (postgres:// or file:) with the tables of its dialect; `what` names the caller in errors. */
export function openDrizzleHandle<T>(
  url: string,
  tables: { pg: T; sqlite: unknown },
  o: { what: string; poolMax?: number },
): DrizzleHandle<T> {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: o.poolMax ?? 5 });
    // An idle connection dropped by the server (restart, failover) must not crash the app: the next query reconnects.
    pool.on('error', () => {});
    const direct = <R>(work: () => Promise<R>) => work();
    return {
      db: drizzlePg(pool),
      tables: tables.pg,
      raw: { dialect: 'postgres', pool },
      read: direct,
      write: direct,
      close: () => pool.end(),
    };
  }
  if (url.startsWith('file:')) {
    mkdirSync(dirname(url.slice('file:'.length)), { recursive: true });
    const client = createClient({ url });
    const ready = (async () => {
      for (const pragma of SQLITE_PRAGMAS) await client.execute(pragma);
    })();
    let tail: Promise<unknown> = ready;
    return {
      db: drizzleLibsql(client) as unknown as NodePgDatabase,
      tables: tables.sqlite as T,
      raw: { dialect: 'sqlite', client },
      read: (work) => ready.then(work),
      write: (work) => {
        const run = tail.then(() => ready).then(work);
        tail = run.catch(() => undefined);
        return run;
      },
      close: async () => {
        await tail;
        client.close();
      },
    };
  }
  throw new Error(
    `${o.what} need a platform database that other connections can open (postgres:// or file:), not ${url.split(':')[0]}:…`,
  );
}
