import { MAX_AMOUNT } from '../../ledger/amounts.js';
import type { OpOutcome } from '../../ledger/plan.js';
import type { OutboxEvent } from '../../ledger/records.js';
import {
  analyticsQueries,
  memberFromRow,
  memberListParams,
  rollupCutParams,
  rollupCutSlots,
  rollupFromRow,
  rollupPeriodParams,
} from '../analytics-sql.js';
import { assertStorableAudit, auditEntryFromRow, auditQueries, foldAudit } from '../audit.js';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { Coalescer, inOrder } from '../coalescer.js';
import {
  censusFromRow,
  type MemberCensus,
  memberRankQueries,
  type ProfiledRankedMember,
  placeFromRow,
  type RankedMember,
  type RankOrder,
  rankedMemberFromRow,
  rankedPageFromRows,
} from '../member-ranks-sql.js';
import {
  type AttemptRecord,
  assertEventSwitch,
  type ClaimedDelivery,
  type ClaimedEvent,
  type DeliveryKey,
  type DeliveryQuery,
  type DeliveryRow,
  type LoggedAttempt,
  type ReplayQuery,
} from '../outbox.js';
import {
  flag,
  flowFromRow,
  instant,
  int64,
  type Row,
  stateRowFromRow,
  transferFromRow,
} from '../row-codecs.js';
import { classifySqliteError, type RetryPolicy, storeCall } from '../store-errors.js';
import {
  type AuditCursor,
  type AuditEntry,
  type FlowRow,
  type LedgerAudit,
  type LedgerOp,
  type ListedMember,
  type ListedTransfer,
  type ListQuery,
  type MemberProfile,
  type MemberProfileWrite,
  type MemberQuery,
  type OnceRow,
  type RollupCut,
  type RollupPeriods,
  type RollupQuery,
  type StateRef,
  type StateRow,
  type Store,
  type StoredRollup,
  type StoredTransfer,
  stateRef,
} from '../types.js';
import { WriteBatcher } from '../write-batcher.js';
import { type Db, libsqlPath, openConnection, type Statement, statementCache } from './connection.js';
import { ThreadExecutor } from './thread-executor.js';
import { inlineExecutor, type WriteExecutor } from './write-executor.js';
import { LibsqlWriter } from './writer.js';

const analytics = analyticsQueries((i) => `?${i}`);
const ranks = memberRankQueries((i) => `?${i}`, 'BINARY');

/** The write path's defaults (also the floor's in bench:ledger, which must group as the store does). */
export const LIBSQL_WRITE_DEFAULTS = { maxGroupSize: 512 } as const;

export interface LibsqlStoreOptions {
  /** `file:path/to/db`, `file:///abs/path`, or `:memory:`. */
  url: string;
  clock?: Clock;
  /** Most ops committed in one transaction (default 512). */
  maxGroupSize?: number;
  /** How long to keep retrying while another process holds the write lock (default 30 s). */
  busyRetryMs?: number;
  /**
   * Write a file on a thread of its own (default false; `:memory:` always writes inline): SQLite's work
   * and fsyncs then leave this thread free, and a second group forms while one commits. Measured on a
   * 2-core machine it is no faster at 64 callers and costs ~80 µs of CPU per lone transfer (the hop
   * between threads), so it is off unless the process's own thread is the bottleneck.
   */
  writerThread?: boolean;
}

/**
 * The embedded store. SQLite has one writer, so every write of this process goes through one
 * connection, owned by the writer (./writer.ts), which commits groups of ops per transaction (WAL,
 * synchronous=FULL). With `writerThread` the writer runs on its own thread and reads run here on a
 * second connection: WAL readers see every committed transaction, so a caller whose commit resolved
 * reads it back. Another process holding the lock surfaces as SQLITE_BUSY at once (busy timeout 0), retried
 * with backoff until the busy budget is spent.
 */
export class LibsqlStore implements Store {
  readonly kind = 'libsql' as const;
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly batcher: WriteBatcher;
  private readonly writer: WriteExecutor;
  private readonly stmt: (sql: string) => Statement;
  private readonly retry: RetryPolicy;
  /**
   * Profiles recorded at once share a transaction: a bot records one with the first interaction of every
   * member it has not seen since it started, and a transaction each (an fsync each, on this thread unless
   * the writer has its own) is what a busy bot spent most on after a restart.
   */
  private readonly profiles = new Coalescer<MemberProfileWrite, boolean>(
    inOrder((profiles) =>
      this.call('recordMemberProfile', () => this.writer.run('recordMemberProfiles', profiles)),
    ),
  );

  constructor(options: LibsqlStoreOptions) {
    this.clock = options.clock ?? systemClock;
    const path = libsqlPath(options.url);
    this.db = openConnection(path, options.url);
    this.stmt = statementCache(this.db);
    const threaded = path !== ':memory:' && options.writerThread === true;
    this.writer = threaded
      ? new ThreadExecutor(path, options.url)
      : inlineExecutor(new LibsqlWriter(this.db));
    this.retry = { classify: classifySqliteError, budgetMs: options.busyRetryMs ?? 30_000 };
    this.batcher = new WriteBatcher({
      commitGroup: (ops, retry) => this.commitGroup(ops, retry),
      classify: classifySqliteError,
      maxGroupSize: options.maxGroupSize ?? LIBSQL_WRITE_DEFAULTS.maxGroupSize,
      // On the thread, one group commits while the next one forms; inline, each blocks until done.
      concurrency: threaded ? 2 : 1,
      retryBudgetMs: this.retry.budgetMs,
      label: 'libsql',
    });
  }

  async migrate(): Promise<void> {
    await this.call('migrate', () => this.writer.run('migrate'));
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
          unmarkedBanks: all(q.unmarkedBanks),
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
    events: readonly OutboxEvent[] = [],
  ): Promise<boolean> {
    assertStorableAudit(audit);
    return this.call('setFrozen', () =>
      this.writer.run('setFrozen', tenant, account, frozen, audit, once, events),
    );
  }

  async recordEvents(tenant: string, on: boolean): Promise<void> {
    assertEventSwitch(tenant, on);
    await this.call('recordEvents', () => this.writer.run('recordEvents', tenant, on, this.clock.now()));
  }

  claimEvents(limit: number, now: Date, leaseUntil: Date): Promise<ClaimedEvent[]> {
    return this.call('claimEvents', () => this.writer.run('claimEvents', limit, now, leaseUntil));
  }

  async dispatchEvents(
    events: readonly { tenant: string; id: string }[],
    deliveries: readonly DeliveryKey[],
    now: Date,
  ): Promise<void> {
    await this.call('dispatchEvents', () => this.writer.run('dispatchEvents', events, deliveries, now));
  }

  claimDeliveries(limit: number, now: Date, leaseUntil: Date): Promise<ClaimedDelivery[]> {
    return this.call('claimDeliveries', () => this.writer.run('claimDeliveries', limit, now, leaseUntil));
  }

  async recordAttempts(attempts: readonly AttemptRecord[]): Promise<void> {
    await this.call('recordAttempts', () => this.writer.run('recordAttempts', attempts));
  }

  listDeliveries(tenant: string, query: DeliveryQuery): Promise<DeliveryRow[]> {
    return this.call('listDeliveries', () => this.writer.run('listDeliveries', tenant, query));
  }

  listAttempts(tenant: string, eventId: string, endpointId: string): Promise<LoggedAttempt[]> {
    return this.call('listAttempts', () => this.writer.run('listAttempts', tenant, eventId, endpointId));
  }

  replayDeliveries(tenant: string, query: ReplayQuery, now: Date): Promise<number> {
    return this.call('replayDeliveries', () => this.writer.run('replayDeliveries', tenant, query, now));
  }

  cancelDeliveries(tenant: string, endpointId: string): Promise<number> {
    return this.call('cancelDeliveries', () => this.writer.run('cancelDeliveries', tenant, endpointId));
  }
  pruneOutbox(before: Date, limit: number): Promise<number> {
    return this.call('pruneOutbox', () => this.writer.run('pruneOutbox', before, limit));
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
      return rows.map(flowFromRow);
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
    events: readonly OutboxEvent[] = [],
  ): Promise<number | null> {
    return this.call('putConfig', () =>
      this.writer.run('putConfig', tenant, config, actor, basedOn, this.clock.now(), events),
    );
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

  async latestConfigVersion(tenant: string): Promise<number> {
    return this.call('latestConfigVersion', () => {
      const row = this.stmt(
        'SELECT COALESCE(MAX(version), 0) AS version FROM gm_configs WHERE tenant_id = ?',
      ).get(tenant) as Row;
      return Number(row.version);
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

  async rankedMembers(tenant: string, by: RankOrder, limit: number): Promise<RankedMember[]> {
    return this.call('rankedMembers', () =>
      (this.stmt(ranks.ranked(by)).all(tenant, limit) as Row[]).map(rankedMemberFromRow),
    );
  }

  async rankedMembersPage(
    tenant: string,
    by: RankOrder,
    offset: number,
    limit: number,
  ): Promise<{ ranked: number; members: ProfiledRankedMember[] }> {
    return this.call('rankedMembersPage', () =>
      rankedPageFromRows(this.stmt(ranks.page(by)).all(tenant, offset, limit) as Row[]),
    );
  }

  async memberBalances(tenant: string, after: string, limit: number): Promise<RankedMember[]> {
    return this.call('memberBalances', () =>
      (this.stmt(ranks.byId).all(tenant, after, limit) as Row[]).map(rankedMemberFromRow),
    );
  }

  async memberCensus(tenant: string, userId: string): Promise<MemberCensus> {
    return this.call('memberCensus', () => censusFromRow(this.stmt(ranks.census).get(tenant, userId) as Row));
  }

  async memberRank(
    tenant: string,
    userId: string,
    by: RankOrder,
  ): Promise<{ place: number | null; ranked: number }> {
    return this.call('memberRank', () => placeFromRow(this.stmt(ranks.rank(by)).get(tenant, userId) as Row));
  }

  async moneySupply(tenant: string): Promise<bigint> {
    return this.call('moneySupply', () =>
      int64((this.stmt(analytics.moneySupply).get(tenant) as Row).supply),
    );
  }

  async readRollups(tenant: string, q: RollupQuery): Promise<StoredRollup[]> {
    if (q.metrics.length === 0) return [];
    return this.call('readRollups', () =>
      (this.stmt(analytics.readRollups(q)).all(tenant, q.from, q.to) as Row[]).map(rollupFromRow),
    );
  }

  async readRollupPeriods(tenant: string, q: RollupQuery, periods: RollupPeriods): Promise<StoredRollup[]> {
    if (q.metrics.length === 0) return [];
    return this.call('readRollupPeriods', () =>
      (this.stmt(analytics.readRollupPeriods(q)).all(tenant, ...rollupPeriodParams(q, periods)) as Row[]).map(
        rollupFromRow,
      ),
    );
  }

  async readRollupCuts(
    tenant: string,
    q: Pick<RollupQuery, 'metrics' | 'perKey'>,
    cuts: readonly RollupCut[],
  ): Promise<StoredRollup[]> {
    if (q.metrics.length === 0 || cuts.length === 0) return [];
    return this.call('readRollupCuts', () =>
      (
        this.stmt(analytics.readRollupCuts(q, rollupCutSlots(cuts.length))).all(
          tenant,
          ...rollupCutParams(cuts),
        ) as Row[]
      ).map(rollupFromRow),
    );
  }

  async replaceRollups(tenant: string, rows: readonly StoredRollup[]): Promise<void> {
    await this.call('replaceRollups', () => this.writer.run('replaceRollups', tenant, [...rows]));
  }

  recordMemberProfile(tenant: string, profile: MemberProfile, now: Date): Promise<boolean> {
    return this.profiles.submit({ tenant, profile, now });
  }

  async listMembers(tenant: string, q: MemberQuery): Promise<ListedMember[]> {
    const { search, params } = memberListParams(q);
    return this.call('listMembers', () =>
      (this.stmt(analytics.listMembers(search)).all(tenant, ...params) as Row[]).map(memberFromRow),
    );
  }

  async close(): Promise<void> {
    await this.batcher.close();
    await this.profiles.idle();
    await this.writer.close();
    if (this.db.open) this.db.close();
  }

  /** One transaction for the whole group, on the writer; the clock is read here, where tests set it. */
  private commitGroup(ops: LedgerOp[], retry: boolean): Promise<OpOutcome[]> {
    return this.writer.run('commitGroup', ops, this.clock.now(), retry);
  }

  /** Every call outside the batcher: SQLITE_BUSY retried off the event loop, errors mapped in one place. */
  private call<T>(name: string, work: () => T | Promise<T>): Promise<T> {
    return storeCall(work, this.retry, `libsql: ${name}`);
  }
}
