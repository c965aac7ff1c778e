import Database from 'libsql';
import { ErrorCode, GuildmintError } from '../../errors.js';
import { planGroup, type AccountState, type GroupState, type OpOutcome } from '../../ledger/plan.js';
import { auditQueries, foldAudit, type AuditRows } from '../audit.js';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { sqliteMigrations } from '../migrations.generated.js';
import { classifySqliteError } from '../store-errors.js';
import {
  scopedKey,
  type LedgerAudit,
  type LedgerOp,
  type ListedTransfer,
  type ListQuery,
  type Store,
  type StoredTransfer,
} from '../types.js';
import { WriteBatcher } from '../write-batcher.js';

export interface LibsqlStoreOptions {
  /** `file:path/to/db`, `file:///abs/path`, or `:memory:`. */
  url: string;
  clock?: Clock;
  /** Most ops committed in one transaction (default 512). */
  maxGroupSize?: number;
  /** How long to keep retrying while another process holds the write lock (default 30 s). */
  busyRetryMs?: number;
}

type Row = Record<string, unknown>;
type Db = InstanceType<typeof Database>;
/** The statement surface used here (libsql's bundled typings declare a narrower one). */
interface Statement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/**
 * The embedded store. SQLite has one writer, so every write goes through one in-process queue that
 * commits groups of ops per transaction (WAL, synchronous=FULL). Each group runs synchronously from
 * BEGIN IMMEDIATE to COMMIT, so readers on this connection never see a transaction half-done.
 * Another process holding the lock surfaces as SQLITE_BUSY, retried with backoff off the event loop.
 */
export class LibsqlStore implements Store {
  readonly kind = 'libsql' as const;
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly batcher: WriteBatcher;
  private readonly statements = new Map<string, Statement>();

  constructor(options: LibsqlStoreOptions) {
    this.clock = options.clock ?? systemClock;
    const path = libsqlPath(options.url);
    try {
      this.db = new Database(path, { timeout: 50 } as never);
    } catch (error) {
      throw new GuildmintError(ErrorCode.STORE_UNAVAILABLE, `cannot open the database at ${options.url}`, {
        cause: error,
      });
    }
    this.db.defaultSafeIntegers(true);
    if (path !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 50');
    this.batcher = new WriteBatcher({
      commitGroup: async (ops) => this.commitGroup(ops),
      classify: classifySqliteError,
      maxGroupSize: options.maxGroupSize ?? 512,
      concurrency: 1,
      retryBudgetMs: options.busyRetryMs ?? 30_000,
    });
  }

  async migrate(): Promise<void> {
    await this.retryBusy(() => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        this.db.exec(
          'CREATE TABLE IF NOT EXISTS gm_migrations (tag TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)',
        );
        const applied = new Set(
          (this.db.prepare('SELECT tag FROM gm_migrations').all() as Row[]).map((r) => String(r.tag)),
        );
        for (const migration of sqliteMigrations) {
          if (applied.has(migration.tag)) continue;
          for (const statement of migration.statements) this.db.exec(statement);
          this.stmt('INSERT INTO gm_migrations (tag, applied_at) VALUES (?, ?)').run(migration.tag, Date.now());
        }
        this.db.exec('COMMIT');
      } catch (error) {
        this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  commit(op: LedgerOp): Promise<StoredTransfer[]> {
    return this.batcher.submit(op);
  }

  async balance(tenant: string, account: string): Promise<bigint> {
    const row = this.stmt(
      'SELECT COALESCE(SUM(balance), 0) AS balance FROM gm_balances WHERE tenant_id = ? AND account = ?',
    ).get(tenant, account) as Row;
    return BigInt(row.balance as bigint);
  }

  async findTransfers(tenant: string, ids: readonly string[]): Promise<StoredTransfer[]> {
    const stmt = this.stmt('SELECT * FROM gm_transfers WHERE tenant_id = ? AND id = ?');
    return ids.flatMap((id) => {
      const row = stmt.get(tenant, id) as Row | undefined;
      return row ? [toTransfer(row)] : [];
    });
  }

  async findBatch(tenant: string, batchId: string): Promise<StoredTransfer[]> {
    const rows = this.stmt('SELECT * FROM gm_transfers WHERE tenant_id = ? AND batch_id = ? ORDER BY seq').all(
      tenant,
      batchId,
    ) as Row[];
    return rows.map(toTransfer);
  }

  async listTransfers(tenant: string, query: ListQuery): Promise<ListedTransfer[]> {
    const before = query.beforeSeq ?? 2n ** 63n - 1n;
    const rows = query.account
      ? (this.stmt(
          `SELECT * FROM (
             SELECT * FROM gm_transfers WHERE tenant_id = :tenant AND from_account = :account AND seq < :before
             UNION ALL
             SELECT * FROM gm_transfers WHERE tenant_id = :tenant AND to_account = :account AND seq < :before
           ) ORDER BY seq DESC LIMIT :limit`,
        ).all({ tenant, account: query.account, before, limit: query.limit }) as Row[])
      : (this.stmt(
          'SELECT * FROM gm_transfers WHERE tenant_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
        ).all(tenant, before, query.limit) as Row[]);
    return rows.map((row) => ({ ...toTransfer(row), seq: BigInt(row.seq as bigint) }));
  }

  async audit(tenant: string): Promise<LedgerAudit> {
    const q = auditQueries(':tenant');
    const all = (sql: string) => this.stmt(sql).all({ tenant }) as never;
    const rows: AuditRows = {
      balances: all(q.balances),
      flows: all(q.flows),
      forcedDebtors: all(q.forcedDebtors),
      badReversals: all(q.badReversals),
      transferCount: (this.stmt(q.transferCount).get({ tenant }) as Row).n as bigint,
    };
    return foldAudit(rows);
  }

  async setFrozen(tenant: string, account: string, frozen: boolean): Promise<void> {
    await this.retryBusy(() =>
      this.stmt(
        `INSERT INTO gm_balances (tenant_id, account, slot, balance, version, frozen) VALUES (?, ?, 0, 0, 1, ?)
         ON CONFLICT (tenant_id, account, slot) DO UPDATE SET frozen = excluded.frozen, version = version + 1`,
      ).run(tenant, account, frozen ? 1 : 0),
    );
  }

  async isFrozen(tenant: string, account: string): Promise<boolean> {
    const row = this.stmt('SELECT frozen FROM gm_balances WHERE tenant_id = ? AND account = ? AND slot = 0').get(
      tenant,
      account,
    ) as Row | undefined;
    return row !== undefined && BigInt(row.frozen as bigint) === 1n;
  }

  async close(): Promise<void> {
    await this.batcher.close();
    if (this.db.open) this.db.close();
  }

  /** One transaction for the whole group: read state, apply the money rules, write the result. */
  private commitGroup(ops: LedgerOp[]): OpOutcome[] {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const plan = planGroup(ops, this.readState(ops), this.clock.now());
      this.writeTransfers(plan.inserts);
      const upsert = this.stmt(
        `INSERT INTO gm_balances (tenant_id, account, slot, balance, version) VALUES (?, ?, 0, ?, 1)
         ON CONFLICT (tenant_id, account, slot) DO UPDATE SET balance = balance + excluded.balance, version = version + 1`,
      );
      for (const d of plan.deltas) upsert.run(d.tenant, d.account, d.delta);
      this.db.exec('COMMIT');
      return plan.outcomes;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  private readState(ops: LedgerOp[]): GroupState {
    const state: GroupState = { accounts: new Map(), existing: new Map(), reversed: new Set() };
    const balance = this.stmt(
      'SELECT COALESCE(SUM(balance), 0) AS balance, COALESCE(MAX(frozen), 0) AS frozen FROM gm_balances WHERE tenant_id = ? AND account = ?',
    );
    const existing = this.stmt('SELECT * FROM gm_transfers WHERE tenant_id = ? AND id = ?');
    const reversed = this.stmt('SELECT 1 FROM gm_transfers WHERE tenant_id = ? AND reverses = ?');
    for (const op of ops) {
      for (const t of op.transfers) {
        for (const account of [t.from, t.to]) {
          const key = scopedKey(op.tenant, account);
          if (state.accounts.has(key)) continue;
          const row = balance.get(op.tenant, account) as Row;
          const value: AccountState = { balance: BigInt(row.balance as bigint), frozen: BigInt(row.frozen as bigint) === 1n };
          state.accounts.set(key, value);
        }
        const key = scopedKey(op.tenant, t.id);
        if (!state.existing.has(key)) {
          const row = existing.get(op.tenant, t.id) as Row | undefined;
          if (row) state.existing.set(key, toTransfer(row));
        }
        if (t.reverses && reversed.get(op.tenant, t.reverses)) {
          state.reversed.add(scopedKey(op.tenant, t.reverses));
        }
      }
    }
    return state;
  }

  private writeTransfers(inserts: StoredTransfer[]): void {
    const nextSeq = new Map<string, bigint>();
    const maxSeq = this.stmt('SELECT COALESCE(MAX(seq), 0) AS seq FROM gm_transfers WHERE tenant_id = ?');
    const insert = this.stmt(
      `INSERT INTO gm_transfers (tenant_id, id, seq, batch_id, from_account, to_account, amount, code, metadata, reverses, forced, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const t of inserts) {
      const seq = (nextSeq.get(t.tenant) ?? BigInt((maxSeq.get(t.tenant) as Row).seq as bigint)) + 1n;
      nextSeq.set(t.tenant, seq);
      insert.run(
        t.tenant,
        t.id,
        seq,
        t.batchId,
        t.from,
        t.to,
        t.amount,
        t.code,
        t.metadata,
        t.reverses,
        t.forced ? 1 : 0,
        t.createdAt.getTime(),
      );
    }
  }

  private stmt(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql) as unknown as Statement;
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  /** Writes outside the batcher (migrations, freezes) wait out another process's lock the same way. */
  private async retryBusy<T>(work: () => T): Promise<T> {
    const deadline = Date.now() + 30_000;
    for (let attempt = 0; ; attempt++) {
      try {
        return work();
      } catch (error) {
        if (classifySqliteError(error) !== 'transient' || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(250, 2 ** attempt * 2)));
      }
    }
  }
}

/** Accepts `file:relative.db`, `file:/abs.db`, `file:///abs.db` and `:memory:`. */
export function libsqlPath(url: string): string {
  if (url === ':memory:' || url === 'file::memory:') return ':memory:';
  if (!url.startsWith('file:')) {
    throw new GuildmintError(ErrorCode.INVALID_INPUT, `not a libSQL URL: ${url} (use file:<path> or :memory:)`);
  }
  const rest = url.slice('file:'.length);
  return rest.startsWith('//') ? decodeURIComponent(new URL(url).pathname) : rest;
}

function toTransfer(row: Row): StoredTransfer {
  return {
    tenant: String(row.tenant_id),
    id: String(row.id),
    batchId: (row.batch_id as string | null) ?? null,
    from: String(row.from_account),
    to: String(row.to_account),
    amount: BigInt(row.amount as bigint),
    code: String(row.code),
    metadata: (row.metadata as string | null) ?? null,
    reverses: (row.reverses as string | null) ?? null,
    forced: BigInt(row.forced as bigint) === 1n,
    createdAt: new Date(Number(row.created_at)),
  };
}

