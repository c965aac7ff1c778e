import pg from 'pg';
import type { Clock } from '../clock.js';
import type { Row } from '../row-codecs.js';
import { classifyPostgresError, PG_READ_ONLY } from '../store-errors.js';
import type { PostgresHosts } from './hosts.js';

export interface PostgresStoreOptions {
  /**
   * `postgres://user@host:port/db` or `postgresql://…`. Several hosts (`postgres://h1:5432,h2:5432/db`, with
   * `target_session_attrs=read-write` or without) name a highly available cluster: the store connects to the
   * one that accepts writes and follows a failover (see `PostgresHosts`).
   */
  url: string;
  clock?: Clock;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /**
   * Group transactions in flight at once (default 2: one committing while the next forms; measured on
   * 2 cores, 4 made groups smaller and cost ~30 % more CPU per transfer, 1 left the database idle).
   */
  writeConcurrency?: number;
  /** Most ops per transaction (default 256). */
  maxGroupSize?: number;
  /**
   * Rows a system account's balance is spread over (default 8, at most 16). Concurrent transactions
   * credit or debit different rows of a hot faucet instead of queueing on one row lock.
   */
  systemSlots?: number;
  /**
   * How long transient failures, held locks and outages are retried before STORE_UNAVAILABLE (default 8 s).
   * A caller waits at most about retryBudgetMs + statementTimeoutMs + connectTimeoutMs (≤ 15 s by default).
   */
  retryBudgetMs?: number;
  /** Connecting (TCP and start-up) may take this long (default 2 s): a server that accepts and never answers. */
  connectTimeoutMs?: number;
  /** A statement may run this long on the server (default 5 s); the client gives up 1 s later if no answer comes. */
  statementTimeoutMs?: number;
  /** Waiting for a row lock held by another session may take this long (default 2 s). */
  lockTimeoutMs?: number;
  /** The server ends a session of ours that sits idle inside a transaction this long, releasing its locks (default 10 s). */
  idleInTransactionTimeoutMs?: number;
}

/** The defaults of the waits above: see `PostgresStoreOptions`. */
export const POSTGRES_TIMEOUTS = {
  retryBudgetMs: 8_000,
  connectTimeoutMs: 2_000,
  statementTimeoutMs: 5_000,
  lockTimeoutMs: 2_000,
  idleInTransactionTimeoutMs: 10_000,
} as const;

export type Waits = { [K in keyof typeof POSTGRES_TIMEOUTS]: number };

/** The store's waits: each option given, else its default. */
export function waitsOf(options: PostgresStoreOptions): Waits {
  const d = POSTGRES_TIMEOUTS;
  return {
    retryBudgetMs: options.retryBudgetMs ?? d.retryBudgetMs,
    connectTimeoutMs: options.connectTimeoutMs ?? d.connectTimeoutMs,
    statementTimeoutMs: options.statementTimeoutMs ?? d.statementTimeoutMs,
    lockTimeoutMs: options.lockTimeoutMs ?? d.lockTimeoutMs,
    idleInTransactionTimeoutMs: options.idleInTransactionTimeoutMs ?? d.idleInTransactionTimeoutMs,
  };
}

// int8 and numeric (SUM of int8) come back as bigint, never as a lossy number.
const BIGINT_OIDS = new Set([20, 1700]);
const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    BIGINT_OIDS.has(oid) && format !== 'binary'
      ? (value: string) => BigInt(value)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * A pool whose every wait is bounded, on the server and on the client. With several hosts, each new
 * connection goes to the host `hosts` names and is checked to be the primary (a standby is refused as
 * `25006` and the next host tried): see `PostgresHosts`.
 */
export function createPool(options: PostgresStoreOptions, waits: Waits, hosts: PostgresHosts): pg.Pool {
  const pool = new pg.Pool({
    connectionString: hosts.current(),
    ...(hosts.several && {
      Client: hostClient(hosts),
      onConnect: (client: pg.ClientBase) => requirePrimary(client, hosts),
    }),
    max: options.poolSize ?? 10,
    types: typeParsers,
    connectionTimeoutMillis: waits.connectTimeoutMs,
    // Server-side bounds (a held lock, a runaway statement, a session of ours stuck mid-transaction) …
    statement_timeout: waits.statementTimeoutMs,
    lock_timeout: waits.lockTimeoutMs,
    idle_in_transaction_session_timeout: waits.idleInTransactionTimeoutMs,
    // … and client-side ones for a server that stops answering altogether (half-open socket).
    query_timeout: waits.statementTimeoutMs + 1_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return pool;
}

/** A client class that connects to the host `hosts` names now; a refused or timed-out host is passed over next time. */
function hostClient(hosts: PostgresHosts): typeof pg.Client {
  return class HostClient extends pg.Client {
    readonly hostUrl: string;
    constructor(config: pg.ClientConfig) {
      const hostUrl = hosts.current();
      super({ ...config, connectionString: hostUrl });
      this.hostUrl = hostUrl;
      // The pool connects with a callback (its only form here); a failure marks the host.
      const connect = this.connect.bind(this) as (callback: (error: Error | null) => void) => void;
      this.connect = ((callback: (error: Error | null) => void) =>
        connect((error) => {
          if (error) hosts.failed(hostUrl);
          callback(error);
        })) as pg.Client['connect'];
    }
  };
}

/** A new connection of a multi-host pool must reach the primary; a standby is refused (and passed over). */
async function requirePrimary(client: pg.ClientBase, hosts: PostgresHosts): Promise<void> {
  const { rows } = await client.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
  if (!rows[0]?.standby) return;
  hosts.failed((client as pg.ClientBase & { hostUrl: string }).hostUrl);
  throw Object.assign(new Error('connected to a standby, which cannot take writes'), { code: PG_READ_ONLY });
}

/** Runs one statement on some connection of the pool. */
export type Query = (sql: string, params: unknown[]) => Promise<Row[]>;

/** One transaction on one connection; raw errors come out as they are (the caller maps them). */
export async function transaction<T>(
  pool: pg.Pool,
  begin: string,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  // The pool listens for errors on idle clients only. A connection lost while this one is checked out
  // and between statements (Node planning the group) is an 'error' event with no listener, which
  // would crash the process; the next statement fails on the dead connection and is mapped as usual.
  const lost = () => {
    broken = true;
  };
  client.on('error', lost);
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A connection that failed or timed out is dropped, not asked to roll back: the server rolls
    // back when it goes, and a ROLLBACK on a dead socket would only wait out another timeout.
    broken ||= classifyPostgresError(error) === 'unavailable';
    if (!broken) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
    }
    throw error;
  } finally {
    client.off('error', lost);
    client.release(broken);
  }
}
