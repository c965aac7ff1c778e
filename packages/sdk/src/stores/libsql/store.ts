import Database from 'libsql';
import { ErrorCode, GuildmintError } from '../../errors.js';
import { MAX_AMOUNT } from '../../ledger/amounts.js';
import { type GroupPlan, type GroupState, type OpOutcome, stateKey } from '../../ledger/plan.js';
import { scopedKey } from '../../ledger/records.js';
import { assertStorableAudit, auditEntryFromRow, auditQueries, foldAudit } from '../audit.js';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { sqliteMigrations } from '../migrations.generated.js';
import { flag, instant, int64, type Row, stateRowFromRow, transferFromRow } from '../row-codecs.js';
import { classifySqliteError, type RetryPolicy, storeCall } from '../store-errors.js';
import {
  type AuditCursor,
  type AuditEntry,
  type FlowRow,
  type LedgerAudit,
  type LedgerOp,
  type ListedTransfer,
  type ListQuery,
  type OnceRow,
  type StateRef,
  type StateRow,
  type Store,
  type StoredTransfer,
  stateRef,
} from '../types.js';
import { WriteBatcher } from '../write-batcher.js';
import { commitGroup, type SyncGroupAdapter } from '../write-path/commit-group.js';
import { emptyGroupState, type GroupKeys } from '../write-path/group-keys.js';

export interface LibsqlStoreOptions {
  /** `file:path/to/db`, `file:///abs/path`, or `:memory:`. */
  url: string;
  clock?: Clock;
  /** Most ops committed in one transaction (default 512). */
  maxGroupSize?: number;
  /** How long to keep retrying while another process holds the write lock (default 30 s). */
  busyRetryMs?: number;
}

type Db = InstanceType<typeof Database>;
/** The statement surface used here (libsql's bundled typings declare a narrower one). */
interface Statement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/**
 * The embedded store. SQLite has one writer, so every write goes through one in-process queue that
 * commits groups of ops per transaction (WAL, synchronous=FULL). Each group runs synchronously from
 * BEGIN IMMEDIATE to COMMIT, so readers on this connection never see a transaction half-done.
 * Another process holding the lock surfaces as SQLITE_BUSY at once (busy timeout 0: the driver is
 * synchronous, so SQLite's own busy wait would stop the event loop), retried with backoff between turns
 * of the event loop until the busy budget is spent.
 */
export class LibsqlStore implements Store {
  readonly kind = 'libsql' as const;
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly batcher: WriteBatcher;
  private readonly statements = new Map<string, Statement>();
  private readonly retry: RetryPolicy;

  constructor(options: LibsqlStoreOptions) {
    this.clock = options.clock ?? systemClock;
    const path = libsqlPath(options.url);
    try {
      this.db = new Database(path, { timeout: 0 } as never);
    } catch (error) {
      throw new GuildmintError(ErrorCode.STORE_UNAVAILABLE, `cannot open the database at ${options.url}`, {
        cause: error,
      });
    }
    this.db.defaultSafeIntegers(true);
    if (path !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 0');
    this.retry = { classify: classifySqliteError, budgetMs: options.busyRetryMs ?? 30_000 };
    this.batcher = new WriteBatcher({
      commitGroup: async (ops) => this.commitGroup(ops),
      classify: classifySqliteError,
      maxGroupSize: options.maxGroupSize ?? 512,
      concurrency: 1,
      retryBudgetMs: this.retry.budgetMs,
      label: 'libsql',
    });
  }

  async migrate(): Promise<void> {
    await this.call('migrate', () => {
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
          this.stmt('INSERT INTO gm_migrations (tag, applied_at) VALUES (?, ?)').run(
            migration.tag,
            Date.now(),
          );
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
    return this.call('balance', () => {
      const row = this.stmt(
        'SELECT COALESCE(SUM(balance), 0) AS balance FROM gm_balances WHERE tenant_id = ? AND account = ?',
      ).get(tenant, account) as Row;
      return int64(row.balance);
    });
  }

  async findTransfers(tenant: string, ids: readonly string[]): Promise<StoredTransfer[]> {
    return this.call('findTransfers', () => {
      const stmt = this.stmt('SELECT * FROM gm_transfers WHERE tenant_id = ? AND id = ?');
      return ids.flatMap((id) => {
        const row = stmt.get(tenant, id) as Row | undefined;
        return row ? [transferFromRow(row)] : [];
      });
    });
  }

  async findBatch(tenant: string, batchId: string): Promise<StoredTransfer[]> {
    return this.call('findBatch', () => {
      const rows = this.stmt(
        'SELECT * FROM gm_transfers WHERE tenant_id = ? AND batch_id = ? ORDER BY seq',
      ).all(tenant, batchId) as Row[];
      return rows.map(transferFromRow);
    });
  }

  async listTransfers(tenant: string, query: ListQuery): Promise<ListedTransfer[]> {
    return this.call('listTransfers', () => {
      const before = query.beforeSeq ?? MAX_AMOUNT;
      const since = query.since?.getTime() ?? 0;
      const rows = query.account
        ? (this.stmt(
            `SELECT * FROM (
               SELECT * FROM gm_transfers WHERE tenant_id = :tenant AND from_account = :account AND seq < :before AND created_at >= :since
               UNION ALL
               SELECT * FROM gm_transfers WHERE tenant_id = :tenant AND to_account = :account AND seq < :before AND created_at >= :since
             ) ORDER BY seq DESC LIMIT :limit`,
          ).all({ tenant, account: query.account, before, since, limit: query.limit }) as Row[])
        : (this.stmt(
            'SELECT * FROM gm_transfers WHERE tenant_id = ? AND seq < ? AND created_at >= ? ORDER BY seq DESC LIMIT ?',
          ).all(tenant, before, since, query.limit) as Row[]);
      return rows.map((row) => ({ ...transferFromRow(row), seq: int64(row.seq) }));
    });
  }

  async findReversed(tenant: string, ids: readonly string[]): Promise<Set<string>> {
    return this.call('findReversed', () => {
      const rows = this.stmt(
        'SELECT reverses FROM gm_transfers WHERE tenant_id = ? AND reverses IN (SELECT value FROM json_each(?))',
      ).all(tenant, JSON.stringify(ids)) as Row[];
      return new Set(rows.map((row) => String(row.reverses)));
    });
  }

  /** One read transaction: another process writing the same file cannot skew what the queries see. */
  async audit(tenant: string): Promise<LedgerAudit> {
    const q = auditQueries(':tenant');
    const all = (sql: string) => this.stmt(sql).all({ tenant }) as never;
    return this.call('audit', () => {
      this.db.exec('BEGIN');
      try {
        return foldAudit({
          balances: all(q.balances),
          flows: all(q.flows),
          forcedDebtors: all(q.forcedDebtors),
          badReversals: all(q.badReversals),
          tableRows: all(q.tableRows),
        });
      } finally {
        this.db.exec('COMMIT');
      }
    });
  }

  async setFrozen(
    tenant: string,
    account: string,
    frozen: boolean,
    audit: AuditEntry,
    once: OnceRow,
  ): Promise<boolean> {
    assertStorableAudit(audit);
    return this.call('setFrozen', () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const spent = this.stmt(
          `INSERT INTO gm_state (tenant_id, scope, key, value, json, version, updated_at) VALUES (?, ?, ?, 0, ?, 1, ?)
           ON CONFLICT (tenant_id, scope, key) DO UPDATE SET json = excluded.json, version = 1 WHERE gm_state.version = 0`,
        ).run(tenant, once.scope, once.key, once.json, audit.createdAt.getTime());
        if (spent.changes === 0) {
          this.db.exec('ROLLBACK');
          return false;
        }
        this.stmt(
          `INSERT INTO gm_balances (tenant_id, account, slot, balance, version, frozen) VALUES (?, ?, 0, 0, 1, ?)
           ON CONFLICT (tenant_id, account, slot) DO UPDATE SET frozen = excluded.frozen, version = version + 1`,
        ).run(tenant, account, frozen ? 1 : 0);
        this.writeAudits([{ ...audit, tenant }]);
        this.db.exec('COMMIT');
        return true;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  async readState(tenant: string, scope: string, keys: readonly string[]): Promise<Map<string, StateRow>> {
    return this.call('readState', () => {
      const stmt = this.stmt(
        'SELECT value, json, version FROM gm_state WHERE tenant_id = ? AND scope = ? AND key = ?',
      );
      const rows = new Map<string, StateRow>();
      for (const key of keys) {
        const row = stmt.get(tenant, scope, key) as Row | undefined;
        if (row) rows.set(key, stateRowFromRow(row));
      }
      return rows;
    });
  }

  async readStates(tenant: string, refs: readonly StateRef[]): Promise<Map<string, StateRow>> {
    return this.call('readStates', () => {
      const stmt = this.stmt(
        'SELECT value, json, version FROM gm_state WHERE tenant_id = ? AND scope = ? AND key = ? AND version > 0',
      );
      const rows = new Map<string, StateRow>();
      for (const { scope, key } of refs) {
        const row = stmt.get(tenant, scope, key) as Row | undefined;
        if (row) rows.set(stateRef(scope, key), stateRowFromRow(row));
      }
      return rows;
    });
  }

  async scanState(tenant: string, scope: string, prefix: string): Promise<Array<StateRow & { key: string }>> {
    return this.call('scanState', () => {
      const rows = this.stmt(
        'SELECT key, value, json, version FROM gm_state WHERE tenant_id = ? AND scope = ? AND key >= ? AND key < ? ORDER BY key',
      ).all(tenant, scope, prefix, `${prefix}\uffff`) as Row[];
      return rows.map((row) => ({ key: String(row.key), ...stateRowFromRow(row) }));
    });
  }

  async listAudit(tenant: string, query: { limit: number; before?: AuditCursor }): Promise<AuditEntry[]> {
    return this.call('listAudit', () => {
      const before = query.before;
      const rows = (
        before instanceof Date || before === undefined
          ? this.stmt(
              'SELECT * FROM gm_audit WHERE tenant_id = ? AND created_at < ? ORDER BY seq DESC LIMIT ?',
            ).all(tenant, before?.getTime() ?? Number.MAX_SAFE_INTEGER, query.limit)
          : this.stmt(
              `SELECT * FROM gm_audit WHERE tenant_id = ?
                 AND seq < (SELECT seq FROM gm_audit WHERE tenant_id = ? AND id = ?)
               ORDER BY seq DESC LIMIT ?`,
            ).all(tenant, tenant, before.id, query.limit)
      ) as Row[];
      return rows.map((row) => auditEntryFromRow(row, instant(row.created_at)));
    });
  }

  async flows(tenant: string, sinceDay: string): Promise<FlowRow[]> {
    return this.call('flows', () => {
      const rows = this.stmt(
        `SELECT day, account, SUM(credit) AS credit, SUM(debit) AS debit, SUM(count) AS count
         FROM gm_flows WHERE tenant_id = ? AND day >= ? GROUP BY day, account`,
      ).all(tenant, sinceDay) as Row[];
      return rows.map((row) => ({
        day: String(row.day),
        account: String(row.account),
        credit: int64(row.credit),
        debit: int64(row.debit),
        count: int64(row.count),
      }));
    });
  }

  async topBalances(tenant: string, limit: number): Promise<Array<{ account: string; balance: bigint }>> {
    return this.call('topBalances', () => {
      const rows = this.stmt(
        `SELECT account, balance FROM gm_balances WHERE tenant_id = ? AND slot = 0 AND account >= 'user:' AND account < 'user;' AND balance > 0
         ORDER BY balance DESC, account LIMIT ?`,
      ).all(tenant, limit) as Row[];
      return rows.map((row) => ({ account: String(row.account), balance: int64(row.balance) }));
    });
  }

  async userBalances(
    tenant: string,
  ): Promise<Array<{ account: string; balance: bigint; activeAt: Date | null }>> {
    return this.call('userBalances', () => {
      const rows = this.stmt(
        `SELECT account, balance, active_at FROM gm_balances WHERE tenant_id = ? AND slot = 0 AND account >= 'user:' AND account < 'user;'`,
      ).all(tenant) as Row[];
      return rows.map((row) => ({
        account: String(row.account),
        balance: int64(row.balance),
        activeAt: row.active_at === null ? null : instant(row.active_at),
      }));
    });
  }

  async putConfig(
    tenant: string,
    config: string,
    actor: string | null,
    basedOn?: number,
  ): Promise<number | null> {
    return this.call('putConfig', () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const row = this.stmt(
          'SELECT COALESCE(MAX(version), 0) AS v FROM gm_configs WHERE tenant_id = ?',
        ).get(tenant) as Row;
        if (basedOn !== undefined && Number(row.v) !== basedOn) {
          this.db.exec('ROLLBACK');
          return null;
        }
        const version = Number(row.v) + 1;
        this.stmt(
          'INSERT INTO gm_configs (tenant_id, version, config, actor, created_at) VALUES (?, ?, ?, ?, ?)',
        ).run(tenant, version, config, actor, this.clock.now().getTime());
        this.db.exec('COMMIT');
        return version;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  async getConfig(
    tenant: string,
    version?: number,
  ): Promise<{ version: number; config: string; createdAt: Date } | undefined> {
    return this.call('getConfig', () => {
      const row = (
        version === undefined
          ? this.stmt('SELECT * FROM gm_configs WHERE tenant_id = ? ORDER BY version DESC LIMIT 1').get(
              tenant,
            )
          : this.stmt('SELECT * FROM gm_configs WHERE tenant_id = ? AND version = ?').get(tenant, version)
      ) as Row | undefined;
      return (
        row && {
          version: Number(row.version),
          config: String(row.config),
          createdAt: instant(row.created_at),
        }
      );
    });
  }

  async listConfigs(
    tenant: string,
  ): Promise<Array<{ version: number; actor: string | null; createdAt: Date }>> {
    return this.call('listConfigs', () => {
      const rows = this.stmt(
        'SELECT version, actor, created_at FROM gm_configs WHERE tenant_id = ? ORDER BY version DESC',
      ).all(tenant) as Row[];
      return rows.map((row) => ({
        version: Number(row.version),
        actor: (row.actor as string | null) ?? null,
        createdAt: instant(row.created_at),
      }));
    });
  }

  async isFrozen(tenant: string, account: string): Promise<boolean> {
    return this.call('isFrozen', () => {
      const row = this.stmt(
        'SELECT frozen FROM gm_balances WHERE tenant_id = ? AND account = ? AND slot = 0',
      ).get(tenant, account) as Row | undefined;
      return row !== undefined && flag(row.frozen);
    });
  }

  async close(): Promise<void> {
    await this.batcher.close();
    if (this.db.open) this.db.close();
  }

  /** One transaction for the whole group, run synchronously from BEGIN to COMMIT. */
  private commitGroup(ops: LedgerOp[]): OpOutcome[] {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const outcomes = commitGroup(this.groupAdapter, ops, this.clock.now());
      this.db.exec('COMMIT');
      return outcomes;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /** The libSQL half of the write path: one prepared statement per row read or written. */
  private readonly groupAdapter: SyncGroupAdapter = {
    read: (keys) => this.readGroupState(keys),
    write: (plan, now) => {
      this.writeTransfers(plan.inserts);
      const upsert = this.stmt(
        `INSERT INTO gm_balances (tenant_id, account, slot, balance, version, active_at) VALUES (?, ?, 0, ?, 1, ?)
         ON CONFLICT (tenant_id, account, slot)
         DO UPDATE SET balance = balance + excluded.balance, version = version + 1, active_at = excluded.active_at`,
      );
      for (const d of plan.deltas) upsert.run(d.tenant, d.account, d.delta, now.getTime());
      this.writeStateAndRollups(plan, now);
    },
  };

  private writeStateAndRollups(plan: GroupPlan, now: Date): void {
    const insert = this.stmt(
      'INSERT INTO gm_state (tenant_id, scope, key, value, json, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const update = this.stmt(
      'UPDATE gm_state SET value = ?, json = ?, version = ?, updated_at = ? WHERE tenant_id = ? AND scope = ? AND key = ?',
    );
    for (const w of plan.stateWrites) {
      if (w.existed)
        update.run(w.row.value, w.row.json, w.row.version, now.getTime(), w.tenant, w.scope, w.key);
      else insert.run(w.tenant, w.scope, w.key, w.row.value, w.row.json, w.row.version, now.getTime());
    }
    // Rollup counters saturate instead of overflowing: they are statistics, not money.
    const flow = this.stmt(
      `INSERT INTO gm_flows (tenant_id, day, account, slot, credit, debit, count) VALUES (?, ?, ?, 0, ?, ?, ?)
       ON CONFLICT (tenant_id, day, account, slot)
       DO UPDATE SET credit = MIN(credit + excluded.credit, ${MAX_AMOUNT}), debit = MIN(debit + excluded.debit, ${MAX_AMOUNT}),
         count = count + excluded.count`,
    );
    for (const f of plan.flows) flow.run(f.tenant, f.day, f.account, f.credit, f.debit, f.count);
    this.writeAudits(plan.audits);
  }

  private writeAudits(entries: Array<AuditEntry & { tenant: string }>): void {
    const insert = this.stmt(
      `INSERT INTO gm_audit (tenant_id, id, seq, actor, action, target, reason, details, created_at)
       VALUES (?1, ?2, (SELECT COALESCE(MAX(seq), 0) + 1 FROM gm_audit WHERE tenant_id = ?1), ?3, ?4, ?5, ?6, ?7, ?8)`,
    );
    for (const a of entries) {
      insert.run(a.tenant, a.id, a.actor, a.action, a.target, a.reason, a.details, a.createdAt.getTime());
    }
  }

  private readGroupState(keys: GroupKeys): GroupState {
    const state = emptyGroupState(keys);
    const balance = this.stmt(
      'SELECT COALESCE(SUM(balance), 0) AS balance, COALESCE(MAX(frozen), 0) AS frozen FROM gm_balances WHERE tenant_id = ? AND account = ?',
    );
    const existing = this.stmt('SELECT * FROM gm_transfers WHERE tenant_id = ? AND id = ?');
    const reversed = this.stmt('SELECT 1 FROM gm_transfers WHERE tenant_id = ? AND reverses = ?');
    const stateRow = this.stmt(
      'SELECT value, json, version FROM gm_state WHERE tenant_id = ? AND scope = ? AND key = ?',
    );
    // System accounts are read too: the plan keeps their balance within the 64-bit range.
    for (const { tenant, value } of [...keys.users, ...keys.systemAccounts]) {
      const row = balance.get(tenant, value) as Row;
      state.accounts.set(scopedKey(tenant, value), { balance: int64(row.balance), frozen: flag(row.frozen) });
    }
    for (const { tenant, value } of keys.transferIds) {
      const row = existing.get(tenant, value) as Row | undefined;
      if (row) state.existing.set(scopedKey(tenant, value), transferFromRow(row));
    }
    for (const { tenant, value } of keys.reversalTargets) {
      if (reversed.get(tenant, value)) state.reversed.add(scopedKey(tenant, value));
    }
    for (const { tenant, scope, key } of keys.stateKeys) {
      const row = stateRow.get(tenant, scope, key) as Row | undefined;
      if (row) state.state.set(stateKey(tenant, scope, key), stateRowFromRow(row));
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
      const seq = (nextSeq.get(t.tenant) ?? int64((maxSeq.get(t.tenant) as Row).seq)) + 1n;
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

  /** Every call outside the batcher: SQLITE_BUSY retried off the event loop, errors mapped in one place. */
  private call<T>(name: string, work: () => T): Promise<T> {
    return storeCall(work, this.retry, `libsql: ${name}`);
  }
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
