import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'libsql';
import { ErrorCode, GuildmintError } from '../../errors.js';

export type Db = InstanceType<typeof Database>;

/** The statement surface used here (libsql's bundled typings declare a narrower one). */
export interface Statement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/**
 * Pages the WAL may hold before the committing connection copies them back into the database file
 * (SQLite's default is 1,000). A busy group rewrites the same balance, flow and index pages commit after
 * commit; a checkpoint copies each page once however often it was rewritten, so checkpointing a tenth as
 * often copies far fewer pages per transfer: +25 % transfers/s at 64 concurrent callers (bench:ledger).
 * The WAL file grows to about 40 MB under load and is reused from its start after each checkpoint.
 */
export const WAL_CHECKPOINT_PAGES = 10_000;
/** A WAL left larger than this (a long read held a checkpoint back) is truncated to it after the next one. */
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * One connection set up the way every guarantee needs it: WAL (readers never block the writer),
 * synchronous=FULL (a resolved commit survives power loss), 64-bit integers as bigint, and busy
 * timeout 0: the driver is synchronous, so SQLite's own busy wait would stop the thread; the callers
 * retry SQLITE_BUSY with backoff instead. Checkpoints: see `WAL_CHECKPOINT_PAGES`.
 */
export function openConnection(path: string, url: string): Db {
  let db: Db;
  try {
    db = new Database(path, { timeout: 0 } as never);
  } catch (error) {
    throw new GuildmintError(
      ErrorCode.STORE_UNAVAILABLE,
      `cannot open the database at ${url}${whyNot(path)}`,
      {
        cause: error,
      },
    );
  }
  db.defaultSafeIntegers(true);
  if (path !== ':memory:') {
    db.pragma('journal_mode = WAL');
    db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  }
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 0');
  return db;
}

/** What a developer can fix when a database file cannot be opened: a folder that is not there. */
function whyNot(path: string): string {
  const folder = dirname(resolve(path));
  return existsSync(folder)
    ? ''
    : `: the folder ${folder} does not exist (the SDK creates the database file, not its folders: create it first)`;
}

/** Prepares each SQL text once per connection. */
export function statementCache(db: Db): (sql: string) => Statement {
  const statements = new Map<string, Statement>();
  return (sql) => {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql) as unknown as Statement;
      statements.set(sql, stmt);
    }
    return stmt;
  };
}

/** Accepts `file:relative.db`, `file:/abs.db`, `file:///abs.db` and `:memory:`. */
export function libsqlPath(url: string): string {
  if (url === ':memory:' || url === 'file::memory:') return ':memory:';
  if (!url.startsWith('file:')) {
    throw new GuildmintError(
      ErrorCode.INVALID_INPUT,
      `not a libSQL URL: ${url} (use file:<path> or :memory:)`,
    );
  }
  const rest = url.slice('file:'.length);
  return rest.startsWith('//') ? decodeURIComponent(new URL(url).pathname) : rest;
}
