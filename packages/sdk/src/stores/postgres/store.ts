import type pg from 'pg';
import { type OpOutcome, stateKey } from '../../ledger/plan.js';
import type { OutboxEvent } from '../../ledger/records.js';
import { type LedgerOp, scopedKey } from '../../ledger/records.js';
import {
  analyticsQueries,
  memberFromRow,
  memberListParams,
  pgRollupCutsSql,
  rollupCutArrays,
  rollupFromRow,
  rollupPeriodParams,
} from '../analytics-sql.js';
import { assertStorableAudit, auditQueries, foldAudit } from '../audit.js';
import { type Clock, systemClock } from '../clock.js';
import { type CoalescedCall, Coalescer } from '../coalescer.js';
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
import { ReadBatcher } from '../read-batcher.js';
import { int64, type Row } from '../row-codecs.js';
import { classifyPostgresError, type RetryPolicy, storeCall } from '../store-errors.js';
import {
  type AuditCursor,
  type AuditEntry,
  type ConfigChange,
  type FlowRow,
  type LedgerAudit,
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
import { commitGroup } from '../write-path/commit-group.js';
import type { TenantStateKey, TenantValue } from '../write-path/group-keys.js';
import { ConfigListener } from './config-listener.js';
import * as configs from './configs.js';
import { createPool, type PostgresStoreOptions, type Query, transaction, waitsOf } from './connection.js';
import { refuseFenced, TenantFencedError } from './fence.js';
import { insertAudits, MAX_SYSTEM_SLOTS, postgresGroupAdapter } from './group-commit.js';
import { PostgresHosts } from './hosts.js';
import { migrate } from './migrate.js';
import * as outbox from './outbox.js';
import { insertOutbox } from './outbox.js';
import { recordProfiles } from './profiles.js';
import * as reads from './reads.js';

const analytics = analyticsQueries((i) => `$${i}`);
const ranks = memberRankQueries((i) => `$${i}`, '"C"');

export { POSTGRES_TIMEOUTS, type PostgresStoreOptions } from './connection.js';

/** The write path's defaults (also the floor's in bench:ledger, which must group as the store does). */
export const POSTGRES_WRITE_DEFAULTS = { maxGroupSize: 256, writeConcurrency: 2, systemSlots: 8 } as const;

/**
 * The PostgreSQL store: ops are grouped into transactions, several in flight (`write-path/` with the
 * adapter of `group-commit.ts`); reads are single statements on any pooled connection (`reads.ts`).
 * Serialization failures, deadlocks and racing inserts are retried, never surfaced. Every wait is
 * bounded (connect, statement, lock, idle-in-transaction timeouts; a retry budget).
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly clock: Clock;
  private readonly batcher: WriteBatcher;
  private readonly systemSlots: number;
  private nextSlot = 0;
  private readonly hosts: PostgresHosts;
  private readonly connectTimeoutMs: number;
  private configListener: ConfigListener | undefined;
  private readonly retry: RetryPolicy;
  /** One statement on any connection, retried, errors mapped. */
  private readonly query: Query = (sql, params) =>
    storeCall(
      async () => (await this.pool.query(sql, params)).rows as Row[],
      this.retry,
      `postgres: ${sql.slice(0, 60)}`,
    );

  // Concurrent callers' reads by key share one statement per turn of the event loop.
  private readonly transferReads = new ReadBatcher<TenantValue, StoredTransfer>(
    (keys) => reads.fetchTransfers(this.query, keys),
    (k) => scopedKey(k.tenant, k.value),
  );
  private readonly balanceReads = new ReadBatcher<TenantValue, bigint>(
    (keys) => reads.fetchBalances(this.query, keys),
    (k) => scopedKey(k.tenant, k.value),
  );
  private readonly stateReads = new ReadBatcher<TenantStateKey, StateRow>(
    (keys) => reads.fetchStateRows(this.query, keys),
    (k) => stateKey(k.tenant, k.scope, k.key),
  );
  private readonly profiles = new Coalescer<MemberProfileWrite, boolean>((calls) =>
    this.recordMemberProfiles(calls),
  );

  constructor(options: PostgresStoreOptions) {
    this.clock = options.clock ?? systemClock;
    this.systemSlots = Math.min(
      MAX_SYSTEM_SLOTS,
      Math.max(1, options.systemSlots ?? POSTGRES_WRITE_DEFAULTS.systemSlots),
    );
    const waits = waitsOf(options);
    this.connectTimeoutMs = waits.connectTimeoutMs;
    this.hosts = new PostgresHosts(options.url);
    this.pool = createPool(options, waits, this.hosts);
    this.retry = { classify: classifyPostgresError, budgetMs: waits.retryBudgetMs };
    this.batcher = new WriteBatcher({
      commitGroup: (ops, retry) => this.commitGroup(ops, retry),
      classify: classifyPostgresError,
      maxGroupSize: options.maxGroupSize ?? POSTGRES_WRITE_DEFAULTS.maxGroupSize,
      concurrency: options.writeConcurrency ?? POSTGRES_WRITE_DEFAULTS.writeConcurrency,
      retryBudgetMs: waits.retryBudgetMs,
      label: 'postgres',
    });
  }

  migrate(): Promise<void> {
    return this.write('migrate', migrate);
  }

  commit(op: LedgerOp): Promise<StoredTransfer[]> {
    return this.batcher.submit(op);
  }

  async balance(tenant: string, account: string): Promise<bigint> {
    const found = await this.balanceReads.read([{ tenant, value: account }]);
    return found.get(scopedKey(tenant, account)) ?? 0n;
  }

  async findTransfers(tenant: string, ids: readonly string[]): Promise<StoredTransfer[]> {
    const found = await this.transferReads.read(ids.map((value) => ({ tenant, value })));
    return ids.flatMap((id) => found.get(scopedKey(tenant, id)) ?? []);
  }

  findBatch(tenant: string, batchId: string): Promise<StoredTransfer[]> {
    return reads.findBatch(this.query, tenant, batchId);
  }

  listTransfers(tenant: string, query: ListQuery): Promise<ListedTransfer[]> {
    return reads.listTransfers(this.query, tenant, query);
  }

  findReversed(tenant: string, ids: readonly string[]): Promise<Set<string>> {
    return reads.findReversed(this.query, tenant, ids);
  }

  /** Every query sees one snapshot (REPEATABLE READ, READ ONLY, one connection): live writes cannot skew it. */
  audit(tenant: string): Promise<LedgerAudit> {
    const q = auditQueries('$1');
    return storeCall(
      () =>
        transaction(this.pool, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (client) => {
          const all = async (sql: string) => (await client.query(sql, [tenant])).rows;
          return foldAudit({
            balances: await all(q.balances),
            flows: await all(q.flows),
            forcedDebtors: await all(q.forcedDebtors),
            badReversals: await all(q.badReversals),
            unmarkedBanks: await all(q.unmarkedBanks),
            tableRows: await all(q.tableRows),
          });
        }),
      this.retry,
      'postgres: audit',
    );
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
    return this.write('setFrozen', async (client) => {
      await refuseFenced(client, [tenant]);
      const spent = await client.query(
        `INSERT INTO gm_state (tenant_id, scope, key, value, json, version, updated_at) VALUES ($1, $2, $3, 0, $4, 1, now())
         ON CONFLICT (tenant_id, scope, key) DO UPDATE SET json = excluded.json, version = 1 WHERE gm_state.version = 0`,
        [tenant, once.scope, once.key, once.json],
      );
      // The transaction stays empty (nothing else is written) when the key was spent before.
      if (spent.rowCount === 0) return false;
      await client.query(
        `INSERT INTO gm_balances (tenant_id, account, slot, balance, version, frozen) VALUES ($1, $2, 0, 0, 1, $3)
         ON CONFLICT (tenant_id, account, slot) DO UPDATE SET frozen = excluded.frozen, version = gm_balances.version + 1`,
        [tenant, account, frozen],
      );
      await insertAudits(client, [{ ...audit, tenant }]);
      await insertOutbox(client, tenant, events, audit.createdAt);
      return true;
    });
  }

  async recordEvents(tenant: string, on: boolean): Promise<void> {
    assertEventSwitch(tenant, on);
    await this.fenced('recordEvents', [tenant], (q) => outbox.recordEvents(q, tenant, on, this.clock.now()));
  }

  claimEvents(limit: number, now: Date, leaseUntil: Date): Promise<ClaimedEvent[]> {
    return outbox.claimEvents(this.query, limit, now, leaseUntil);
  }

  dispatchEvents(
    events: readonly { tenant: string; id: string }[],
    deliveries: readonly DeliveryKey[],
    now: Date,
  ): Promise<void> {
    const tenants = [...events, ...deliveries].map((row) => row.tenant);
    return this.fenced('dispatchEvents', tenants, (q) => outbox.dispatchEvents(q, events, deliveries, now));
  }

  claimDeliveries(limit: number, now: Date, leaseUntil: Date): Promise<ClaimedDelivery[]> {
    return outbox.claimDeliveries(this.query, limit, now, leaseUntil);
  }

  recordAttempts(attempts: readonly AttemptRecord[]): Promise<void> {
    if (attempts.length === 0) return Promise.resolve();
    const tenants = attempts.map((a) => a.tenant);
    return this.fenced('recordAttempts', tenants, (q) => outbox.recordAttempts(q, attempts));
  }

  listDeliveries(tenant: string, query: DeliveryQuery): Promise<DeliveryRow[]> {
    return outbox.listDeliveries(this.query, tenant, query);
  }

  listAttempts(tenant: string, eventId: string, endpointId: string): Promise<LoggedAttempt[]> {
    return outbox.listAttempts(this.query, tenant, eventId, endpointId);
  }

  replayDeliveries(tenant: string, query: ReplayQuery, now: Date): Promise<number> {
    return this.fenced('replayDeliveries', [tenant], (q) => outbox.replayDeliveries(q, tenant, query, now));
  }

  cancelDeliveries(tenant: string, endpointId: string): Promise<number> {
    return this.fenced('cancelDeliveries', [tenant], (q) => outbox.cancelDeliveries(q, tenant, endpointId));
  }

  pruneOutbox(before: Date, limit: number): Promise<number> {
    return outbox.pruneOutbox(this.query, before, limit);
  }

  async readStates(tenant: string, refs: readonly StateRef[]): Promise<Map<string, StateRow>> {
    const found = await this.stateReads.read(refs.map(({ scope, key }) => ({ tenant, scope, key })));
    const rows = new Map<string, StateRow>();
    for (const { scope, key } of refs) {
      const row = found.get(stateKey(tenant, scope, key));
      if (row) rows.set(stateRef(scope, key), row);
    }
    return rows;
  }

  scanState(tenant: string, scope: string, prefix: string): Promise<Array<StateRow & { key: string }>> {
    return reads.scanState(this.query, tenant, scope, prefix);
  }

  listAudit(tenant: string, query: { limit: number; before?: AuditCursor }): Promise<AuditEntry[]> {
    return reads.listAudit(this.query, tenant, query);
  }

  flows(tenant: string, sinceDay: string): Promise<FlowRow[]> {
    return reads.flows(this.query, tenant, sinceDay);
  }

  topBalances(tenant: string, limit: number): Promise<Array<{ account: string; balance: bigint }>> {
    return reads.topBalances(this.query, tenant, limit);
  }

  userBalances(tenant: string): Promise<Array<{ account: string; balance: bigint; activeAt: Date | null }>> {
    return reads.userBalances(this.query, tenant);
  }

  putConfig(
    tenant: string,
    config: string,
    actor: string | null,
    basedOn?: number,
    events?: readonly OutboxEvent[],
  ): Promise<number | null> {
    const now = this.clock.now();
    return this.fenced('putConfig', [tenant], (q) =>
      configs.putConfig(q, tenant, config, actor, now, basedOn, events),
    );
  }

  getConfig(
    tenant: string,
    version?: number,
  ): Promise<{ version: number; config: string; createdAt: Date } | undefined> {
    return configs.getConfig(this.query, tenant, version);
  }

  latestConfigVersion(tenant: string): Promise<number> {
    return configs.latestConfigVersion(this.query, tenant);
  }

  listConfigs(tenant: string): Promise<Array<{ version: number; actor: string | null; createdAt: Date }>> {
    return configs.listConfigs(this.query, tenant);
  }

  isFrozen(tenant: string, account: string): Promise<boolean> {
    return reads.isFrozen(this.query, tenant, account);
  }

  async rankedMembers(tenant: string, by: RankOrder, limit: number): Promise<RankedMember[]> {
    return (await this.query(ranks.ranked(by), [tenant, limit])).map(rankedMemberFromRow);
  }

  async rankedMembersPage(
    tenant: string,
    by: RankOrder,
    offset: number,
    limit: number,
  ): Promise<{ ranked: number; members: ProfiledRankedMember[] }> {
    return rankedPageFromRows(await this.query(ranks.page(by), [tenant, offset, limit]));
  }

  async memberBalances(tenant: string, after: string, limit: number): Promise<RankedMember[]> {
    return (await this.query(ranks.byId, [tenant, after, limit])).map(rankedMemberFromRow);
  }

  async memberCensus(tenant: string, userId: string): Promise<MemberCensus> {
    return censusFromRow((await this.query(ranks.census, [tenant, userId]))[0]!);
  }

  async memberRank(
    tenant: string,
    userId: string,
    by: RankOrder,
  ): Promise<{ place: number | null; ranked: number }> {
    return placeFromRow((await this.query(ranks.rank(by), [tenant, userId]))[0]!);
  }

  async moneySupply(tenant: string): Promise<bigint> {
    return int64((await this.query(analytics.moneySupply, [tenant]))[0]!.supply);
  }

  async readRollups(tenant: string, q: RollupQuery): Promise<StoredRollup[]> {
    if (q.metrics.length === 0) return [];
    const rows = await this.query(analytics.readRollups(q), [tenant, q.from, q.to]);
    return rows.map(rollupFromRow);
  }

  async readRollupPeriods(tenant: string, q: RollupQuery, periods: RollupPeriods): Promise<StoredRollup[]> {
    if (q.metrics.length === 0) return [];
    const rows = await this.query(analytics.readRollupPeriods(q), [
      tenant,
      ...rollupPeriodParams(q, periods),
    ]);
    return rows.map(rollupFromRow);
  }

  async readRollupCuts(
    tenant: string,
    q: Pick<RollupQuery, 'metrics' | 'perKey'>,
    cuts: readonly RollupCut[],
  ): Promise<StoredRollup[]> {
    if (q.metrics.length === 0 || cuts.length === 0) return [];
    return (await this.query(pgRollupCutsSql(q), [tenant, ...rollupCutArrays(cuts)])).map(rollupFromRow);
  }

  replaceRollups(tenant: string, rows: readonly StoredRollup[]): Promise<void> {
    return this.write('replaceRollups', async (client) => {
      await refuseFenced(client, [tenant]);
      await client.query(analytics.deleteRollups, [tenant]);
      await client.query(
        `INSERT INTO gm_rollups (tenant_id, bucket, metric, key, slot, amount, count)
         SELECT $1, b, m, k, 0, a, n FROM unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])
           AS r(b, m, k, a, n)`,
        [
          tenant,
          rows.map((r) => r.bucket),
          rows.map((r) => r.metric),
          rows.map((r) => r.key),
          rows.map((r) => r.amount),
          rows.map((r) => r.count),
        ],
      );
    });
  }

  recordMemberProfile(tenant: string, profile: MemberProfile, now: Date): Promise<boolean> {
    return this.profiles.submit({ tenant, profile, now });
  }

  /**
   * Profiles recorded at once (see the libSQL store), one statement for the lot with its fence probe. A fenced
   * tenant's calls are refused (`TenantFencedError`, nothing written for them) while the others' are written.
   */
  private async recordMemberProfiles(
    calls: Array<CoalescedCall<MemberProfileWrite, boolean>>,
  ): Promise<void> {
    const { fenced, changed } = await recordProfiles(
      this.query,
      calls.map((call) => call.input),
    );
    for (const [i, call] of calls.entries()) {
      if (fenced.has(call.input.tenant)) call.reject(new TenantFencedError([call.input.tenant]));
      else call.resolve(changed[i]!);
    }
  }

  async listMembers(tenant: string, q: MemberQuery): Promise<ListedMember[]> {
    const { search, params } = memberListParams(q);
    return (await this.query(analytics.listMembers(search), [tenant, ...params])).map(memberFromRow);
  }

  watchConfigs(listener: (change: ConfigChange) => void, live?: (listening: boolean) => void): () => void {
    this.configListener ??= new ConfigListener(this.hosts, configs.CONFIG_CHANNEL, this.connectTimeoutMs);
    return this.configListener.add(listener, live);
  }

  async close(): Promise<void> {
    await this.batcher.close();
    await this.profiles.idle();
    await Promise.all([this.pool.end(), this.configListener?.close()]);
  }

  private commitGroup(ops: LedgerOp[], retry: boolean): Promise<OpOutcome[]> {
    const slot = this.nextSlot++ % this.systemSlots;
    return transaction(this.pool, 'BEGIN', (client) =>
      commitGroup(postgresGroupAdapter(client, slot), ops, this.clock.now(), retry),
    );
  }

  /**
   * A tenant-scoped write outside the grouped path: one transaction that first refuses it whole when any
   * tenant it names is fenced here (`refuseFenced`), then runs `work`'s statements on the same connection.
   */
  private fenced<T>(name: string, tenants: readonly string[], work: (q: Query) => Promise<T>): Promise<T> {
    return this.write(name, async (client) => {
      await refuseFenced(client, tenants);
      return work(async (sql, params) => (await client.query(sql, params)).rows as Row[]);
    });
  }

  /** A write outside the grouped path (migrations, freezes): one transaction, retried, errors mapped. */
  private write<T>(name: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return storeCall(() => transaction(this.pool, 'BEGIN', work), this.retry, `postgres: ${name}`);
  }
}
