import type { OpOutcome } from '../../ledger/plan.js';
import type { OutboxEvent } from '../../ledger/records.js';
import { analyticsQueries } from '../analytics-sql.js';
import { sqliteMigrations } from '../migrations.generated.js';
import type {
  AttemptRecord,
  ClaimedDelivery,
  ClaimedEvent,
  DeliveryKey,
  DeliveryQuery,
  DeliveryRow,
  LoggedAttempt,
  ReplayQuery,
} from '../outbox.js';
import type { Row } from '../row-codecs.js';
import type { AuditEntry, LedgerOp, MemberProfileWrite, OnceRow, StoredRollup } from '../types.js';
import type { SyncGroupAdapter } from '../write-path/commit-group.js';
import { commitGroup } from '../write-path/commit-group.js';
import { type Db, type Statement, statementCache } from './connection.js';
import { libsqlGroupAdapter, writeAudits, writeOutbox } from './group-sql.js';
import { jsonRows } from './json-rows.js';
import * as outbox from './outbox-sql.js';

const analytics = analyticsQueries((i) => `?${i}`);

/**
 * Every write the store makes, each one transaction on the write connection. Plain data in and out, so
 * that the same calls run inline (`:memory:`) or on the writer thread (a file).
 */
export interface WriterCalls {
  migrate(): void;
  /** One transaction for the whole group: read state, apply the money rules, write the result. */
  commitGroup(ops: LedgerOp[], now: Date, retry: boolean): OpOutcome[];
  setFrozen(
    tenant: string,
    account: string,
    frozen: boolean,
    audit: AuditEntry,
    once: OnceRow,
    events?: readonly OutboxEvent[],
  ): boolean;
  // The outbox calls (stores/outbox.ts), each in its own transaction.
  recordEvents(tenant: string, on: boolean, now: Date): void;
  claimEvents(limit: number, now: Date, leaseUntil: Date): ClaimedEvent[];
  dispatchEvents(
    events: readonly { tenant: string; id: string }[],
    deliveries: readonly DeliveryKey[],
    now: Date,
  ): void;
  claimDeliveries(limit: number, now: Date, leaseUntil: Date): ClaimedDelivery[];
  recordAttempts(attempts: readonly AttemptRecord[]): void;
  listDeliveries(tenant: string, query: DeliveryQuery): DeliveryRow[];
  listAttempts(tenant: string, eventId: string, endpointId: string): LoggedAttempt[];
  replayDeliveries(tenant: string, query: ReplayQuery, now: Date): number;
  cancelDeliveries(tenant: string, endpointId: string): number;
  pruneOutbox(before: Date, limit: number): number;
  putConfig(
    tenant: string,
    config: string,
    actor: string | null,
    basedOn: number | undefined,
    now: Date,
    events: readonly OutboxEvent[],
  ): number | null;
  replaceRollups(tenant: string, rows: StoredRollup[]): void;
  /** Each profile in one transaction; for each, true when it changed (and was written). */
  recordMemberProfiles(profiles: MemberProfileWrite[]): boolean[];
}

/** The calls of `WriterCalls` on one connection, which must be the only one of this process that writes. */
export class LibsqlWriter implements WriterCalls {
  private readonly stmt: (sql: string) => Statement;
  private readonly adapter: SyncGroupAdapter;

  constructor(private readonly db: Db) {
    this.stmt = statementCache(db);
    this.adapter = libsqlGroupAdapter(this.stmt);
  }

  migrate(): void {
    this.transaction(() => {
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
    });
  }

  commitGroup(ops: LedgerOp[], now: Date, retry: boolean): OpOutcome[] {
    return this.transaction(() => commitGroup(this.adapter, ops, now, retry));
  }

  /**
   * Several groups that queued up while the previous transaction committed, as one transaction: one
   * fsync and one write of each shared page for all of them. If that fails, each group runs alone,
   * so one group's failure (split further by the batcher) never fails another's. Each group gets its
   * outcomes or its error; the latest `now` stamps them all.
   */
  commitGroups(
    groups: ReadonlyArray<{ ops: LedgerOp[]; now: Date; retry: boolean }>,
  ): Array<OpOutcome[] | { error: unknown }> {
    if (groups.length > 1) {
      try {
        const outcomes = this.commitGroup(
          groups.flatMap((g) => g.ops),
          groups[groups.length - 1]!.now,
          groups.some((g) => g.retry),
        );
        let start = 0;
        return groups.map((g) => {
          start += g.ops.length;
          return outcomes.slice(start - g.ops.length, start);
        });
      } catch {
        // Fall through: alone, each group meets its own fate.
      }
    }
    return groups.map((g) => {
      try {
        return this.commitGroup(g.ops, g.now, g.retry);
      } catch (error) {
        return { error };
      }
    });
  }

  setFrozen(
    tenant: string,
    account: string,
    frozen: boolean,
    audit: AuditEntry,
    once: OnceRow,
    events: readonly OutboxEvent[] = [],
  ): boolean {
    return this.transaction(() => {
      const spent = this.stmt(
        `INSERT INTO gm_state (tenant_id, scope, key, value, json, version, updated_at) VALUES (?, ?, ?, 0, ?, 1, ?)
         ON CONFLICT (tenant_id, scope, key) DO UPDATE SET json = excluded.json, version = 1 WHERE gm_state.version = 0`,
      ).run(tenant, once.scope, once.key, once.json, audit.createdAt.getTime());
      // The key was spent already: nothing written, and nothing to write.
      if (spent.changes === 0) return false;
      this.stmt(
        `INSERT INTO gm_balances (tenant_id, account, slot, balance, version, frozen) VALUES (?, ?, 0, 0, 1, ?)
         ON CONFLICT (tenant_id, account, slot) DO UPDATE SET frozen = excluded.frozen, version = version + 1`,
      ).run(tenant, account, frozen ? 1 : 0);
      writeAudits(this.stmt, [{ ...audit, tenant }]);
      writeOutbox(
        this.stmt,
        events.map((e) => ({ ...e, tenant })),
        audit.createdAt.getTime(),
      );
      return true;
    });
  }

  putConfig(
    tenant: string,
    config: string,
    actor: string | null,
    basedOn: number | undefined,
    now: Date,
    events: readonly OutboxEvent[],
  ): number | null {
    return this.transaction(() => {
      const row = this.stmt('SELECT COALESCE(MAX(version), 0) AS v FROM gm_configs WHERE tenant_id = ?').get(
        tenant,
      ) as Row;
      if (basedOn !== undefined && Number(row.v) !== basedOn) return null;
      const version = Number(row.v) + 1;
      this.stmt(
        'INSERT INTO gm_configs (tenant_id, version, config, actor, created_at) VALUES (?, ?, ?, ?, ?)',
      ).run(tenant, version, config, actor, now.getTime());
      writeOutbox(
        this.stmt,
        events.map((e) => ({ ...e, tenant })),
        now.getTime(),
      );
      return version;
    });
  }

  replaceRollups(tenant: string, rows: StoredRollup[]): void {
    this.transaction(() => {
      this.stmt(analytics.deleteRollups).run(tenant);
      this.stmt(
        `INSERT INTO gm_rollups (tenant_id, bucket, metric, key, slot, amount, count)
         SELECT ?1, value ->> 0, value ->> 1, value ->> 2, 0, value ->> 3, value ->> 4 FROM json_each(?2)`,
      ).run(tenant, jsonRows(rows.map((r) => [r.bucket, r.metric, r.key, r.amount, r.count])));
    });
  }

  recordMemberProfiles(profiles: MemberProfileWrite[]): boolean[] {
    return this.transaction(() =>
      profiles.map(
        ({ tenant, profile, now }) =>
          this.stmt(analytics.upsertProfile).all(
            tenant,
            profile.userId,
            profile.name,
            profile.name.toLowerCase(),
            profile.avatar,
            now.getTime(),
          ).length > 0,
      ),
    );
  }

  recordEvents(tenant: string, on: boolean, now: Date): void {
    this.transaction(() => outbox.recordEvents(this.stmt, tenant, on, now));
  }

  claimEvents(limit: number, now: Date, leaseUntil: Date): ClaimedEvent[] {
    return this.transaction(() => outbox.claimEvents(this.stmt, limit, now, leaseUntil));
  }

  dispatchEvents(
    events: readonly { tenant: string; id: string }[],
    deliveries: readonly DeliveryKey[],
    now: Date,
  ): void {
    this.transaction(() => outbox.dispatchEvents(this.stmt, events, deliveries, now));
  }

  claimDeliveries(limit: number, now: Date, leaseUntil: Date): ClaimedDelivery[] {
    return this.transaction(() => outbox.claimDeliveries(this.stmt, limit, now, leaseUntil));
  }

  recordAttempts(attempts: readonly AttemptRecord[]): void {
    this.transaction(() => outbox.recordAttempts(this.stmt, attempts));
  }

  listDeliveries(tenant: string, query: DeliveryQuery): DeliveryRow[] {
    return outbox.listDeliveries(this.stmt, tenant, query);
  }

  listAttempts(tenant: string, eventId: string, endpointId: string): LoggedAttempt[] {
    return outbox.listAttempts(this.stmt, tenant, eventId, endpointId);
  }

  replayDeliveries(tenant: string, query: ReplayQuery, now: Date): number {
    return this.transaction(() => outbox.replayDeliveries(this.stmt, tenant, query, now));
  }

  cancelDeliveries(tenant: string, endpointId: string): number {
    return this.transaction(() => outbox.cancelDeliveries(this.stmt, tenant, endpointId));
  }

  pruneOutbox(before: Date, limit: number): number {
    return this.transaction(() => outbox.pruneOutbox(this.stmt, before, limit));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** BEGIN IMMEDIATE takes the write lock first, so no read inside can go stale before the write. */
  private transaction<T>(work: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }
}
