import pg from 'pg';
import { isUserAccount } from '../../ledger/accounts.js';
import { type GroupPlan, type GroupState, type OpOutcome, planGroup, stateKey } from '../../ledger/plan.js';
import { assertStorableAudit, auditEntryFromRow, auditQueries, foldAudit } from '../audit.js';
import { type Clock, systemClock } from '../clock.js';
import { postgresMigrations } from '../migrations.generated.js';
import { classifyPostgresError, type RetryPolicy, storeCall } from '../store-errors.js';
import {
  type AuditCursor,
  type AuditEntry,
  type ConfigChange,
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
  scopedKey,
  stateRef,
} from '../types.js';
import { WriteBatcher } from '../write-batcher.js';
import { ConfigListener } from './config-listener.js';

export interface PostgresStoreOptions {
  /** `postgres://user@host:port/db` or `postgresql://…`. */
  url: string;
  clock?: Clock;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Group transactions in flight at once (default 4). */
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

type Row = Record<string, unknown>;

// int8 and numeric (SUM of int8) come back as bigint, never as a lossy number.
const BIGINT_OIDS = new Set([20, 1700]);
const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    BIGINT_OIDS.has(oid) && format !== 'binary'
      ? (value: string) => BigInt(value)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

const MIGRATION_LOCK_KEY = 0x67_6d_69_67; // 'gmig'
const CONFIG_CHANNEL = 'guildmint_config';

/**
 * The PostgreSQL store. Ops are grouped into transactions (several in flight); inside each, the existing
 * user accounts and state rows involved are locked in one fixed order (SELECT … FOR UPDATE sorted by key),
 * so two groups never wait on each other in a cycle. Rows that do not exist yet are not created up front:
 * only the ops the money rules accept write them, so a refused op leaves no row behind; two groups
 * inserting the same new state row race on its primary key, and the loser is retried as transient.
 * System accounts are not locked (they may go negative) and are credited through per-slot deltas, as are
 * the daily flow rollups. Serialization failures, deadlocks and racing inserts are retried, never surfaced.
 * Every wait is bounded (connect, statement, lock, idle-in-transaction timeouts; a retry budget).
 * The write path's statements are named (prepared once per connection, not re-planned per group).
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly clock: Clock;
  private readonly batcher: WriteBatcher;
  private readonly systemSlots: number;
  private nextSlot = 0;
  private readonly url: string;
  private configListener: ConfigListener | undefined;
  private readonly retry: RetryPolicy;

  constructor(options: PostgresStoreOptions) {
    this.clock = options.clock ?? systemClock;
    this.url = options.url;
    this.systemSlots = Math.min(MAX_SYSTEM_SLOTS, Math.max(1, options.systemSlots ?? 8));
    const t = waitsOf(options);
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      types: typeParsers,
      connectionTimeoutMillis: t.connectTimeoutMs,
      // Server-side bounds (a held lock, a runaway statement, a session of ours stuck mid-transaction) …
      statement_timeout: t.statementTimeoutMs,
      lock_timeout: t.lockTimeoutMs,
      idle_in_transaction_session_timeout: t.idleInTransactionTimeoutMs,
      // … and client-side ones for a server that stops answering altogether (half-open socket).
      query_timeout: t.statementTimeoutMs + 1_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    this.pool.on('error', () => {});
    this.retry = { classify: classifyPostgresError, budgetMs: t.retryBudgetMs };
    this.batcher = new WriteBatcher({
      commitGroup: (ops) => this.commitGroup(ops),
      classify: classifyPostgresError,
      maxGroupSize: options.maxGroupSize ?? 256,
      concurrency: options.writeConcurrency ?? 4,
      retryBudgetMs: t.retryBudgetMs,
      label: 'postgres',
    });
  }

  async migrate(): Promise<void> {
    await this.write('migrate', async (client) => {
      // One migrator at a time across every process; the lock ends with the transaction.
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await client.query(
        'CREATE TABLE IF NOT EXISTS gm_migrations (tag text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const { rows } = await client.query<{ tag: string }>('SELECT tag FROM gm_migrations');
      const applied = new Set(rows.map((r) => r.tag));
      for (const migration of postgresMigrations) {
        if (applied.has(migration.tag)) continue;
        for (const statement of migration.statements) await client.query(statement);
        await client.query('INSERT INTO gm_migrations (tag) VALUES ($1)', [migration.tag]);
      }
    });
  }

  commit(op: LedgerOp): Promise<StoredTransfer[]> {
    return this.batcher.submit(op);
  }

  async balance(tenant: string, account: string): Promise<bigint> {
    const row = await this.one(
      'SELECT COALESCE(SUM(balance), 0) AS balance FROM gm_balances WHERE tenant_id = $1 AND account = $2',
      [tenant, account],
    );
    return row.balance as bigint;
  }

  async findTransfers(tenant: string, ids: readonly string[]): Promise<StoredTransfer[]> {
    const rows = await this.all('SELECT * FROM gm_transfers WHERE tenant_id = $1 AND id = ANY($2::text[])', [
      tenant,
      ids,
    ]);
    const byId = new Map(rows.map((row) => [String(row.id), toTransfer(row)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async findBatch(tenant: string, batchId: string): Promise<StoredTransfer[]> {
    const rows = await this.all(
      'SELECT * FROM gm_transfers WHERE tenant_id = $1 AND batch_id = $2 ORDER BY seq',
      [tenant, batchId],
    );
    return rows.map(toTransfer);
  }

  async listTransfers(tenant: string, query: ListQuery): Promise<ListedTransfer[]> {
    const before = (query.beforeSeq ?? 2n ** 63n - 1n).toString();
    const since = query.since ?? new Date(0);
    const rows = query.account
      ? await this.all(
          `SELECT * FROM (
             (SELECT * FROM gm_transfers WHERE tenant_id = $1 AND from_account = $2 AND seq < $3 AND created_at >= $5 ORDER BY seq DESC LIMIT $4)
             UNION ALL
             (SELECT * FROM gm_transfers WHERE tenant_id = $1 AND to_account = $2 AND seq < $3 AND created_at >= $5 ORDER BY seq DESC LIMIT $4)
           ) t ORDER BY seq DESC LIMIT $4`,
          [tenant, query.account, before, query.limit, since],
        )
      : await this.all(
          'SELECT * FROM gm_transfers WHERE tenant_id = $1 AND seq < $2 AND created_at >= $4 ORDER BY seq DESC LIMIT $3',
          [tenant, before, query.limit, since],
        );
    return rows.map((row) => ({ ...toTransfer(row), seq: row.seq as bigint }));
  }

  async findReversed(tenant: string, ids: readonly string[]): Promise<Set<string>> {
    const rows = await this.all(
      'SELECT reverses FROM gm_transfers WHERE tenant_id = $1 AND reverses = ANY($2::text[])',
      [tenant, ids],
    );
    return new Set(rows.map((row) => String(row.reverses)));
  }

  /** Every query sees one snapshot (REPEATABLE READ, READ ONLY, one connection): live writes cannot skew it. */
  async audit(tenant: string): Promise<LedgerAudit> {
    const q = auditQueries('$1');
    return storeCall(
      () =>
        this.transaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (client) => {
          const all = async (sql: string) => (await client.query(sql, [tenant])).rows;
          return foldAudit({
            balances: await all(q.balances),
            flows: await all(q.flows),
            forcedDebtors: await all(q.forcedDebtors),
            badReversals: await all(q.badReversals),
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
  ): Promise<boolean> {
    assertStorableAudit(audit);
    return this.write('setFrozen', async (client) => {
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
      return true;
    });
  }

  async readState(tenant: string, scope: string, keys: readonly string[]): Promise<Map<string, StateRow>> {
    const rows = await this.all(
      'SELECT key, value, json, version FROM gm_state WHERE tenant_id = $1 AND scope = $2 AND key = ANY($3::text[]) AND version > 0',
      [tenant, scope, keys],
    );
    return new Map(rows.map((row) => [String(row.key), toStateRow(row)]));
  }

  async readStates(tenant: string, refs: readonly StateRef[]): Promise<Map<string, StateRow>> {
    if (refs.length === 0) return new Map();
    const rows = await this.all(
      `SELECT scope, key, value, json, version FROM gm_state
       WHERE tenant_id = $1 AND (scope, key) IN (SELECT * FROM unnest($2::text[], $3::text[])) AND version > 0`,
      [tenant, refs.map((r) => r.scope), refs.map((r) => r.key)],
    );
    return new Map(rows.map((row) => [stateRef(String(row.scope), String(row.key)), toStateRow(row)]));
  }

  async scanState(tenant: string, scope: string, prefix: string): Promise<Array<StateRow & { key: string }>> {
    const rows = await this.all(
      `SELECT key, value, json, version FROM gm_state
       WHERE tenant_id = $1 AND scope = $2 AND key >= $3 AND key < $4 ORDER BY key COLLATE "C"`,
      [tenant, scope, prefix, `${prefix}\uffff`],
    );
    return rows.map((row) => ({ key: String(row.key), ...toStateRow(row) }));
  }

  async listAudit(tenant: string, query: { limit: number; before?: AuditCursor }): Promise<AuditEntry[]> {
    const before = query.before;
    const rows =
      before instanceof Date || before === undefined
        ? await this.all(
            `SELECT * FROM gm_audit WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR created_at < $2)
             ORDER BY seq DESC LIMIT $3`,
            [tenant, before?.toISOString() ?? null, query.limit],
          )
        : await this.all(
            `SELECT * FROM gm_audit WHERE tenant_id = $1
               AND seq < (SELECT seq FROM gm_audit WHERE tenant_id = $1 AND id = $2)
             ORDER BY seq DESC LIMIT $3`,
            [tenant, before.id, query.limit],
          );
    return rows.map((row) => auditEntryFromRow(row, row.created_at as Date));
  }

  async flows(tenant: string, sinceDay: string): Promise<FlowRow[]> {
    const rows = await this.all(
      `SELECT day, account, SUM(credit) AS credit, SUM(debit) AS debit, SUM(count) AS count
       FROM gm_flows WHERE tenant_id = $1 AND day >= $2 GROUP BY day, account`,
      [tenant, sinceDay],
    );
    return rows.map((row) => ({
      day: String(row.day),
      account: String(row.account),
      credit: row.credit as bigint,
      debit: row.debit as bigint,
      count: row.count as bigint,
    }));
  }

  async topBalances(tenant: string, limit: number): Promise<Array<{ account: string; balance: bigint }>> {
    const rows = await this.all(
      `SELECT account, balance FROM gm_balances
       WHERE tenant_id = $1 AND slot = 0 AND account LIKE 'user:%' AND balance > 0
       ORDER BY balance DESC, account LIMIT $2`,
      [tenant, limit],
    );
    return rows.map((row) => ({ account: String(row.account), balance: row.balance as bigint }));
  }

  async userBalances(
    tenant: string,
  ): Promise<Array<{ account: string; balance: bigint; activeAt: Date | null }>> {
    const rows = await this.all(
      `SELECT account, balance, active_at FROM gm_balances WHERE tenant_id = $1 AND slot = 0 AND account LIKE 'user:%'`,
      [tenant],
    );
    return rows.map((row) => ({
      account: String(row.account),
      balance: row.balance as bigint,
      activeAt: (row.active_at as Date | null) ?? null,
    }));
  }

  async putConfig(
    tenant: string,
    config: string,
    actor: string | null,
    basedOn?: number,
  ): Promise<number | null> {
    // Two publishers racing for the same version number is transient: the retry takes the next one, or,
    // with `basedOn`, finds the latest version moved on and inserts nothing.
    // The notification is sent on commit, so listeners never hear of a version they cannot read yet.
    const rows = await this.all(
      `WITH published AS (
             INSERT INTO gm_configs (tenant_id, version, config, actor, created_at)
             SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4 FROM gm_configs WHERE tenant_id = $1
             HAVING $5::bigint IS NULL OR COALESCE(MAX(version), 0) = $5::bigint
             RETURNING version
           )
           SELECT version, pg_notify('${CONFIG_CHANNEL}', $1 || ':' || version) FROM published`,
      [tenant, config, actor, this.clock.now().toISOString(), basedOn ?? null],
    );
    return rows[0] ? Number(rows[0].version) : null;
  }

  async getConfig(
    tenant: string,
    version?: number,
  ): Promise<{ version: number; config: string; createdAt: Date } | undefined> {
    const rows = await this.all(
      `SELECT version, config, created_at FROM gm_configs WHERE tenant_id = $1 AND ($2::bigint IS NULL OR version = $2)
       ORDER BY version DESC LIMIT 1`,
      [tenant, version ?? null],
    );
    const row = rows[0];
    return (
      row && { version: Number(row.version), config: String(row.config), createdAt: row.created_at as Date }
    );
  }

  async listConfigs(
    tenant: string,
  ): Promise<Array<{ version: number; actor: string | null; createdAt: Date }>> {
    const rows = await this.all(
      'SELECT version, actor, created_at FROM gm_configs WHERE tenant_id = $1 ORDER BY version DESC',
      [tenant],
    );
    return rows.map((row) => ({
      version: Number(row.version),
      actor: (row.actor as string | null) ?? null,
      createdAt: row.created_at as Date,
    }));
  }

  async isFrozen(tenant: string, account: string): Promise<boolean> {
    const rows = await this.all(
      'SELECT frozen FROM gm_balances WHERE tenant_id = $1 AND account = $2 AND slot = 0',
      [tenant, account],
    );
    return rows[0]?.frozen === true;
  }

  watchConfigs(listener: (change: ConfigChange) => void): () => void {
    this.configListener ??= new ConfigListener(this.url, CONFIG_CHANNEL);
    return this.configListener.add(listener);
  }

  async close(): Promise<void> {
    await this.batcher.close();
    await Promise.all([this.pool.end(), this.configListener?.close()]);
  }

  private async commitGroup(ops: LedgerOp[]): Promise<OpOutcome[]> {
    return this.transaction('BEGIN', async (client) => {
      const state = await readGroupState(client, ops);
      const now = this.clock.now();
      const plan = planGroup(ops, state, now);
      if (plan.inserts.length > 0) await insertTransfers(client, plan.inserts);
      const slot = this.nextSlot++ % this.systemSlots;
      if (plan.deltas.length > 0) {
        const { rows } = await client.query({
          name: 'gm.balance-deltas',
          text: `INSERT INTO gm_balances (tenant_id, account, slot, balance, version, active_at)
           SELECT tenant_id, account, slot, delta, 1, $5
           FROM unnest($1::text[], $2::text[], $3::smallint[], $4::bigint[]) AS d(tenant_id, account, slot, delta)
           ORDER BY tenant_id, account, slot
           ON CONFLICT (tenant_id, account, slot)
           DO UPDATE SET balance = gm_balances.balance + excluded.balance, version = gm_balances.version + 1,
                         active_at = excluded.active_at
           RETURNING tenant_id, account, balance`,
          values: [
            plan.deltas.map((d) => d.tenant),
            plan.deltas.map((d) => d.account),
            plan.deltas.map((d) => (isUserAccount(d.account) ? 0 : slot)),
            plan.deltas.map((d) => d.delta.toString()),
            now.toISOString(),
          ],
        });
        await assertSystemTotalsInRange(client, rows as Row[]);
      }
      await writeStateAndRollups(client, plan, now, slot);
      return plan.outcomes;
    });
  }

  /** A write outside the grouped path (migrations, freezes): one transaction, retried, errors mapped. */
  private write<T>(name: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return storeCall(() => this.transaction('BEGIN', work), this.retry, `postgres: ${name}`);
  }

  /** One transaction on one connection; raw errors come out as they are (the caller maps them). */
  private async transaction<T>(begin: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection that failed or timed out is dropped, not asked to roll back: the server rolls
      // back when it goes, and a ROLLBACK on a dead socket would only wait out another timeout.
      broken = classifyPostgresError(error) === 'unavailable';
      if (!broken) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  private async all(sql: string, params: unknown[]): Promise<Row[]> {
    return storeCall(
      async () => (await this.pool.query(sql, params)).rows as Row[],
      this.retry,
      `postgres: ${sql.slice(0, 60)}`,
    );
  }

  private async one(sql: string, params: unknown[]): Promise<Row> {
    return (await this.all(sql, params))[0]!;
  }
}

/** Lock the group's user accounts and state rows in a fixed order and read what the money rules need. */
async function readGroupState(client: pg.PoolClient, ops: LedgerOp[]): Promise<GroupState> {
  const state: GroupState = {
    accounts: new Map(),
    existing: new Map(),
    reversed: new Set(),
    state: new Map(),
  };
  const stateKeys = new Map<string, [string, string, string]>();
  for (const op of ops) {
    for (const e of op.effects ?? [])
      stateKeys.set(stateKey(op.tenant, e.scope, e.key), [op.tenant, e.scope, e.key]);
  }
  const users = new Map<string, [string, string]>();
  const ids = new Map<string, [string, string]>();
  const targets = new Map<string, [string, string]>();
  for (const op of ops) {
    for (const t of op.transfers) {
      for (const account of [t.from, t.to]) {
        if (isUserAccount(account)) users.set(scopedKey(op.tenant, account), [op.tenant, account]);
      }
      ids.set(scopedKey(op.tenant, t.id), [op.tenant, t.id]);
      if (t.reverses) targets.set(scopedKey(op.tenant, t.reverses), [op.tenant, t.reverses]);
    }
  }
  if (users.size > 0) {
    // Lock the user rows that exist in (tenant, account) byte order, so two groups never lock out of
    // order. A user without a row has nothing yet: balance 0, not frozen. Its row is created by the
    // balance upsert, and only if an accepted op moves its balance (concurrent creators add up there).
    const pairs = [...users.values()];
    for (const [tenant, account] of pairs) {
      state.accounts.set(scopedKey(tenant, account), { balance: 0n, frozen: false });
    }
    const { rows } = await client.query({
      name: 'gm.lock-users',
      text: `SELECT tenant_id, account, balance, frozen FROM gm_balances
       WHERE slot = 0 AND (tenant_id, account) IN (SELECT * FROM unnest($1::text[], $2::text[]))
       ORDER BY tenant_id COLLATE "C", account COLLATE "C" FOR UPDATE`,
      values: [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    });
    for (const row of rows as Row[]) {
      state.accounts.set(scopedKey(String(row.tenant_id), String(row.account)), {
        balance: row.balance as bigint,
        frozen: row.frozen === true,
      });
    }
  }
  const idPairs = [...ids.values()];
  const { rows: existing } = await client.query({
    name: 'gm.existing-ids',
    text: 'SELECT * FROM gm_transfers WHERE (tenant_id, id) IN (SELECT * FROM unnest($1::text[], $2::text[]))',
    values: [idPairs.map((p) => p[0]), idPairs.map((p) => p[1])],
  });
  for (const row of existing as Row[])
    state.existing.set(scopedKey(String(row.tenant_id), String(row.id)), toTransfer(row));
  if (targets.size > 0) {
    const pairs = [...targets.values()];
    const { rows } = await client.query({
      name: 'gm.reversed',
      text: 'SELECT tenant_id, reverses FROM gm_transfers WHERE (tenant_id, reverses) IN (SELECT * FROM unnest($1::text[], $2::text[]))',
      values: [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    });
    for (const row of rows as Row[])
      state.reversed.add(scopedKey(String(row.tenant_id), String(row.reverses)));
  }
  if (stateKeys.size > 0) {
    // The same for state rows: lock those that exist, in order; a missing one is inserted by the write,
    // where a racing insert of the same key fails on the primary key and the group is retried.
    // A row of version 0 (a placeholder written by earlier versions) plans exactly like a missing one.
    const keys = [...stateKeys.values()];
    const { rows } = await client.query({
      name: 'gm.lock-state',
      text: `SELECT tenant_id, scope, key, value, json, version FROM gm_state
       WHERE (tenant_id, scope, key) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))
       ORDER BY tenant_id COLLATE "C", scope COLLATE "C", key COLLATE "C" FOR UPDATE`,
      values: [keys.map((k) => k[0]), keys.map((k) => k[1]), keys.map((k) => k[2])],
    });
    for (const row of rows as Row[]) {
      state.state.set(stateKey(String(row.tenant_id), String(row.scope), String(row.key)), toStateRow(row));
    }
  }
  return state;
}

async function writeStateAndRollups(
  client: pg.PoolClient,
  plan: GroupPlan,
  now: Date,
  slot: number,
): Promise<void> {
  const updates = plan.stateWrites.filter((w) => w.existed);
  if (updates.length > 0) {
    // These rows were found and locked by readGroupState.
    await client.query({
      name: 'gm.update-state',
      text: `UPDATE gm_state SET value = w.v, json = w.j, version = w.ver, updated_at = $7
       FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[]) AS w(t, s, k, v, j, ver)
       WHERE gm_state.tenant_id = w.t AND gm_state.scope = w.s AND gm_state.key = w.k`,
      values: stateColumns(updates, now),
    });
  }
  const inserts = plan.stateWrites.filter((w) => !w.existed);
  if (inserts.length > 0) {
    // No ON CONFLICT: a group that inserted the same key first makes this one fail and be retried.
    await client.query({
      name: 'gm.insert-state',
      text: `INSERT INTO gm_state (tenant_id, scope, key, value, json, version, updated_at)
       SELECT t, s, k, v, j, ver, $7
       FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[]) AS w(t, s, k, v, j, ver)
       ORDER BY t COLLATE "C", s COLLATE "C", k COLLATE "C"`,
      values: stateColumns(inserts, now),
    });
  }
  if (plan.flows.length > 0) {
    await client.query({
      name: 'gm.flows',
      text: `INSERT INTO gm_flows (tenant_id, day, account, slot, credit, debit, count)
       SELECT t, d, a, $7, c, db, n FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[])
         AS f(t, d, a, c, db, n)
       ORDER BY 1, 2, 3
       ON CONFLICT (tenant_id, day, account, slot) DO UPDATE SET
         credit = LEAST(gm_flows.credit::numeric + excluded.credit, 9223372036854775807)::bigint,
         debit = LEAST(gm_flows.debit::numeric + excluded.debit, 9223372036854775807)::bigint,
         count = gm_flows.count + excluded.count`,
      values: [
        plan.flows.map((f) => f.tenant),
        plan.flows.map((f) => f.day),
        plan.flows.map((f) => f.account),
        plan.flows.map((f) => f.credit.toString()),
        plan.flows.map((f) => f.debit.toString()),
        plan.flows.map((f) => f.count.toString()),
        slot,
      ],
    });
  }
  if (plan.audits.length > 0) await insertAudits(client, plan.audits);
}

async function insertAudits(
  client: pg.PoolClient,
  entries: Array<AuditEntry & { tenant: string }>,
): Promise<void> {
  await client.query({
    name: 'gm.audit',
    text: `INSERT INTO gm_audit (tenant_id, id, actor, action, target, reason, details, created_at)
     SELECT t, i, ac, act, tg, r, d, c
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
       WITH ORDINALITY AS a(t, i, ac, act, tg, r, d, c, n) ORDER BY n`,
    values: [
      entries.map((a) => a.tenant),
      entries.map((a) => a.id),
      entries.map((a) => a.actor),
      entries.map((a) => a.action),
      entries.map((a) => a.target),
      entries.map((a) => a.reason),
      entries.map((a) => a.details),
      entries.map((a) => a.createdAt.toISOString()),
    ],
  });
}

export const MAX_SYSTEM_SLOTS = 16;

/**
 * A system account's balance is the sum of its slots, which no single row's BIGINT guards: after the
 * slot writes, sum each touched system account (its rows are few and indexed) and fail like an overflow
 * when one left the 64-bit range (the batcher then isolates the op that did it).
 */
async function assertSystemTotalsInRange(client: pg.PoolClient, updated: Row[]): Promise<void> {
  const system = updated.filter((row) => !isUserAccount(String(row.account)));
  if (system.length === 0) return;
  const { rows } = await client.query({
    name: 'gm.system-totals',
    text: `SELECT tenant_id, account FROM gm_balances
     WHERE (tenant_id, account) IN (SELECT * FROM unnest($1::text[], $2::text[]))
     GROUP BY tenant_id, account
     HAVING SUM(balance) > 9223372036854775807 OR SUM(balance) < -9223372036854775808`,
    values: [system.map((r) => r.tenant_id), system.map((r) => r.account)],
  });
  if (rows.length > 0) {
    throw Object.assign(
      new Error(`system account ${String(rows[0]!.account)} would leave the 64-bit range`),
      {
        code: '22003',
      },
    );
  }
}

function stateColumns(writes: GroupPlan['stateWrites'], now: Date): unknown[] {
  return [
    writes.map((w) => w.tenant),
    writes.map((w) => w.scope),
    writes.map((w) => w.key),
    writes.map((w) => w.row.value.toString()),
    writes.map((w) => w.row.json),
    writes.map((w) => w.row.version.toString()),
    now.toISOString(),
  ];
}

/** The store's waits: each option given, else its default. */
function waitsOf(options: PostgresStoreOptions): { [K in keyof typeof POSTGRES_TIMEOUTS]: number } {
  const d = POSTGRES_TIMEOUTS;
  return {
    retryBudgetMs: options.retryBudgetMs ?? d.retryBudgetMs,
    connectTimeoutMs: options.connectTimeoutMs ?? d.connectTimeoutMs,
    statementTimeoutMs: options.statementTimeoutMs ?? d.statementTimeoutMs,
    lockTimeoutMs: options.lockTimeoutMs ?? d.lockTimeoutMs,
    idleInTransactionTimeoutMs: options.idleInTransactionTimeoutMs ?? d.idleInTransactionTimeoutMs,
  };
}

function toStateRow(row: Row): StateRow {
  return {
    value: row.value as bigint,
    json: (row.json as string | null) ?? null,
    version: row.version as bigint,
  };
}

async function insertTransfers(client: pg.PoolClient, inserts: StoredTransfer[]): Promise<void> {
  const column = <K extends keyof StoredTransfer>(key: K) => inserts.map((t) => t[key]);
  await client.query({
    name: 'gm.insert-transfers',
    text: `INSERT INTO gm_transfers (tenant_id, id, batch_id, from_account, to_account, amount, code, metadata, reverses, forced, created_at)
     SELECT tenant_id, id, batch_id, from_account, to_account, amount, code, metadata, reverses, forced, created_at
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[],
                 $9::text[], $10::boolean[], $11::timestamptz[])
       WITH ORDINALITY AS t(tenant_id, id, batch_id, from_account, to_account, amount, code, metadata, reverses, forced, created_at, n)
     ORDER BY n`,
    values: [
      column('tenant'),
      column('id'),
      column('batchId'),
      column('from'),
      column('to'),
      inserts.map((t) => t.amount.toString()),
      column('code'),
      column('metadata'),
      column('reverses'),
      column('forced'),
      inserts.map((t) => t.createdAt.toISOString()),
    ],
  });
}

function toTransfer(row: Row): StoredTransfer {
  return {
    tenant: String(row.tenant_id),
    id: String(row.id),
    batchId: (row.batch_id as string | null) ?? null,
    from: String(row.from_account),
    to: String(row.to_account),
    amount: row.amount as bigint,
    code: String(row.code),
    metadata: (row.metadata as string | null) ?? null,
    reverses: (row.reverses as string | null) ?? null,
    forced: row.forced === true,
    createdAt: row.created_at as Date,
  };
}
