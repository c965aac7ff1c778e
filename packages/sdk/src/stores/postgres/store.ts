import pg from 'pg';
import { ErrorCode, GuildmintError } from '../../errors.js';
import { isUserAccount } from '../../ledger/accounts.js';
import { planGroup, type GroupState, type OpOutcome } from '../../ledger/plan.js';
import { auditQueries, foldAudit } from '../audit.js';
import { systemClock, type Clock } from '../clock.js';
import { postgresMigrations } from '../migrations.generated.js';
import { classifyPostgresError } from '../store-errors.js';
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
   * Rows a system account's balance is spread over (default 8). Concurrent transactions credit or
   * debit different rows of a hot faucet instead of queueing on one row lock.
   */
  systemSlots?: number;
  /** How long transient failures and outages are retried before STORE_UNAVAILABLE (default 10 s). */
  retryBudgetMs?: number;
}

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

/**
 * The PostgreSQL store. Ops are grouped into transactions (several in flight); inside each, the user
 * accounts involved are locked in (tenant, account) order with SELECT … FOR UPDATE, so two groups
 * never deadlock; system accounts are not locked at all (they may go negative) and are credited
 * through per-slot deltas. Serialization failures, deadlocks and racing inserts are retried here.
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  readonly pool: pg.Pool;
  private readonly clock: Clock;
  private readonly batcher: WriteBatcher;
  private readonly systemSlots: number;
  private nextSlot = 0;

  constructor(options: PostgresStoreOptions) {
    this.clock = options.clock ?? systemClock;
    this.systemSlots = Math.max(1, options.systemSlots ?? 8);
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      types: typeParsers,
      connectionTimeoutMillis: 5_000,
    });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    this.pool.on('error', () => {});
    this.batcher = new WriteBatcher({
      commitGroup: (ops) => this.commitGroup(ops),
      classify: classifyPostgresError,
      maxGroupSize: options.maxGroupSize ?? 256,
      concurrency: options.writeConcurrency ?? 4,
      retryBudgetMs: options.retryBudgetMs ?? 10_000,
    });
  }

  async migrate(): Promise<void> {
    await this.transaction(async (client) => {
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
    const rows = await this.all('SELECT * FROM gm_transfers WHERE tenant_id = $1 AND batch_id = $2 ORDER BY seq', [
      tenant,
      batchId,
    ]);
    return rows.map(toTransfer);
  }

  async listTransfers(tenant: string, query: ListQuery): Promise<ListedTransfer[]> {
    const before = (query.beforeSeq ?? 2n ** 63n - 1n).toString();
    const rows = query.account
      ? await this.all(
          `SELECT * FROM (
             (SELECT * FROM gm_transfers WHERE tenant_id = $1 AND from_account = $2 AND seq < $3 ORDER BY seq DESC LIMIT $4)
             UNION ALL
             (SELECT * FROM gm_transfers WHERE tenant_id = $1 AND to_account = $2 AND seq < $3 ORDER BY seq DESC LIMIT $4)
           ) t ORDER BY seq DESC LIMIT $4`,
          [tenant, query.account, before, query.limit],
        )
      : await this.all('SELECT * FROM gm_transfers WHERE tenant_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3', [
          tenant,
          before,
          query.limit,
        ]);
    return rows.map((row) => ({ ...toTransfer(row), seq: row.seq as bigint }));
  }

  async audit(tenant: string): Promise<LedgerAudit> {
    const q = auditQueries('$1');
    const [balances, flows, forcedDebtors, badReversals, count] = await Promise.all([
      this.all(q.balances, [tenant]),
      this.all(q.flows, [tenant]),
      this.all(q.forcedDebtors, [tenant]),
      this.all(q.badReversals, [tenant]),
      this.one(q.transferCount, [tenant]),
    ]);
    return foldAudit({
      balances: balances as never,
      flows: flows as never,
      forcedDebtors: forcedDebtors as never,
      badReversals: badReversals as never,
      transferCount: count.n as bigint,
    });
  }

  async setFrozen(tenant: string, account: string, frozen: boolean): Promise<void> {
    await this.pool.query(
      `INSERT INTO gm_balances (tenant_id, account, slot, balance, version, frozen) VALUES ($1, $2, 0, 0, 1, $3)
       ON CONFLICT (tenant_id, account, slot) DO UPDATE SET frozen = excluded.frozen, version = gm_balances.version + 1`,
      [tenant, account, frozen],
    );
  }

  async isFrozen(tenant: string, account: string): Promise<boolean> {
    const rows = await this.all(
      'SELECT frozen FROM gm_balances WHERE tenant_id = $1 AND account = $2 AND slot = 0',
      [tenant, account],
    );
    return rows[0]?.frozen === true;
  }

  async close(): Promise<void> {
    await this.batcher.close();
    await this.pool.end();
  }

  private async commitGroup(ops: LedgerOp[]): Promise<OpOutcome[]> {
    return this.transaction(async (client) => {
      const state = await readState(client, ops);
      const plan = planGroup(ops, state, this.clock.now());
      if (plan.inserts.length > 0) await insertTransfers(client, plan.inserts);
      if (plan.deltas.length > 0) {
        const slot = this.nextSlot++ % this.systemSlots;
        await client.query(
          `INSERT INTO gm_balances (tenant_id, account, slot, balance, version)
           SELECT tenant_id, account, slot, delta, 1
           FROM unnest($1::text[], $2::text[], $3::smallint[], $4::bigint[]) AS d(tenant_id, account, slot, delta)
           ORDER BY tenant_id, account, slot
           ON CONFLICT (tenant_id, account, slot)
           DO UPDATE SET balance = gm_balances.balance + excluded.balance, version = gm_balances.version + 1`,
          [
            plan.deltas.map((d) => d.tenant),
            plan.deltas.map((d) => d.account),
            plan.deltas.map((d) => (isUserAccount(d.account) ? 0 : slot)),
            plan.deltas.map((d) => d.delta.toString()),
          ],
        );
      }
      return plan.outcomes;
    });
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw Object.assign(new Error('cannot connect to PostgreSQL', { cause: error }), {
        code: (error as { code?: string }).code ?? 'ECONNREFUSED',
      });
    }
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  private async all(sql: string, params: unknown[]): Promise<Row[]> {
    try {
      return (await this.pool.query(sql, params)).rows as Row[];
    } catch (error) {
      throw mapReadError(error);
    }
  }

  private async one(sql: string, params: unknown[]): Promise<Row> {
    return (await this.all(sql, params))[0]!;
  }
}

/** Lock the group's user accounts in a fixed order and read what the money rules need. */
async function readState(client: pg.PoolClient, ops: LedgerOp[]): Promise<GroupState> {
  const state: GroupState = { accounts: new Map(), existing: new Map(), reversed: new Set() };
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
  for (const [key] of users) state.accounts.set(key, { balance: 0n, frozen: false });
  if (users.size > 0) {
    const pairs = [...users.values()];
    const { rows } = await client.query(
      `SELECT tenant_id, account, balance, frozen FROM gm_balances
       WHERE slot = 0 AND (tenant_id, account) IN (SELECT * FROM unnest($1::text[], $2::text[]))
       ORDER BY tenant_id, account FOR UPDATE`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
    for (const row of rows as Row[]) {
      state.accounts.set(scopedKey(String(row.tenant_id), String(row.account)), {
        balance: row.balance as bigint,
        frozen: row.frozen === true,
      });
    }
  }
  const idPairs = [...ids.values()];
  const { rows: existing } = await client.query(
    'SELECT * FROM gm_transfers WHERE (tenant_id, id) IN (SELECT * FROM unnest($1::text[], $2::text[]))',
    [idPairs.map((p) => p[0]), idPairs.map((p) => p[1])],
  );
  for (const row of existing as Row[]) state.existing.set(scopedKey(String(row.tenant_id), String(row.id)), toTransfer(row));
  if (targets.size > 0) {
    const pairs = [...targets.values()];
    const { rows } = await client.query(
      'SELECT tenant_id, reverses FROM gm_transfers WHERE (tenant_id, reverses) IN (SELECT * FROM unnest($1::text[], $2::text[]))',
      [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
    for (const row of rows as Row[]) state.reversed.add(scopedKey(String(row.tenant_id), String(row.reverses)));
  }
  return state;
}

async function insertTransfers(client: pg.PoolClient, inserts: StoredTransfer[]): Promise<void> {
  const column = <K extends keyof StoredTransfer>(key: K) => inserts.map((t) => t[key]);
  await client.query(
    `INSERT INTO gm_transfers (tenant_id, id, batch_id, from_account, to_account, amount, code, metadata, reverses, forced, created_at)
     SELECT tenant_id, id, batch_id, from_account, to_account, amount, code, metadata, reverses, forced, created_at
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[],
                 $9::text[], $10::boolean[], $11::timestamptz[])
       WITH ORDINALITY AS t(tenant_id, id, batch_id, from_account, to_account, amount, code, metadata, reverses, forced, created_at, n)
     ORDER BY n`,
    [
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
  );
}

function mapReadError(error: unknown): unknown {
  const kind = classifyPostgresError(error);
  if (kind === 'unavailable') {
    return new GuildmintError(ErrorCode.STORE_UNAVAILABLE, 'the database could not be reached; try again', {
      cause: error,
    });
  }
  return error;
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
