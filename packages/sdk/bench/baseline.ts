import { randomUUID } from 'node:crypto';
import Database from 'libsql';
import pg from 'pg';
import { FUNDING, type Move, userAccount } from './harness.js';

/** What a benchmark cell runs against: a freshly funded set of accounts on one backend. */
export interface CellTarget {
  transfer(move: Move): Promise<unknown>;
  /** Are the books still balanced after the cell? */
  check(): Promise<{ ok: boolean; detail: string }>;
}

export interface Backend {
  readonly label: string;
  /** A new tenant named `tag` with `users` accounts holding FUNDING each. */
  cell(tag: string, users: number): Promise<CellTarget>;
  close(): Promise<void>;
}

// The usual hand-rolled ledger: a balance row per account, a transfer row per transfer.
// Same indexes a history query needs (by sender, by receiver); no grouping, no slots.
const PG_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS bl_balances (
     tenant_id text NOT NULL, account text NOT NULL, balance bigint NOT NULL,
     PRIMARY KEY (tenant_id, account))`,
  `CREATE TABLE IF NOT EXISTS bl_transfers (
     tenant_id text NOT NULL, id text NOT NULL, from_account text NOT NULL, to_account text NOT NULL,
     amount bigint NOT NULL CHECK (amount > 0), code text NOT NULL, created_at timestamptz NOT NULL,
     PRIMARY KEY (tenant_id, id))`,
  'CREATE INDEX IF NOT EXISTS bl_transfers_from_idx ON bl_transfers (tenant_id, from_account)',
  'CREATE INDEX IF NOT EXISTS bl_transfers_to_idx ON bl_transfers (tenant_id, to_account)',
];

const RETRYABLE_PG = new Set(['40001', '40P01']);

class InsufficientFunds extends Error {
  override name = 'InsufficientFunds';
}

/**
 * Baseline on PostgreSQL through `pg` directly: one transaction per transfer,
 * BEGIN; SELECT … FOR UPDATE of both balance rows (in account order, so no deadlocks);
 * balance check; two UPDATEs; INSERT of the transfer; COMMIT.
 */
export class PostgresBaseline implements Backend {
  readonly label = 'baseline-pg';
  private readonly pool: pg.Pool;

  private constructor(url: string, poolSize: number) {
    this.pool = new pg.Pool({ connectionString: url, max: poolSize });
    this.pool.on('error', () => {});
  }

  static async open(url: string, poolSize: number): Promise<PostgresBaseline> {
    const baseline = new PostgresBaseline(url, poolSize);
    for (const statement of PG_SCHEMA) await baseline.pool.query(statement);
    return baseline;
  }

  async cell(tag: string, users: number): Promise<CellTarget> {
    const accounts = Array.from({ length: users }, (_, i) => userAccount(i));
    await this.pool.query(
      `INSERT INTO bl_balances (tenant_id, account, balance)
       SELECT $1, a, $3::bigint FROM unnest($2::text[]) AS a
       UNION ALL SELECT $1, 'faucet:daily', 0
       UNION ALL SELECT $1, 'faucet:seed', $4::bigint`,
      [tag, accounts, FUNDING.toString(), (-FUNDING * BigInt(users)).toString()],
    );
    return {
      transfer: (move) => this.transfer(tag, move),
      check: () => this.check(tag),
    };
  }

  private async transfer(tenant: string, move: Move): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
        const { rows } = await client.query<{ account: string; balance: string }>(
          `SELECT account, balance FROM bl_balances WHERE tenant_id = $1 AND account IN ($2, $3)
           ORDER BY account FOR UPDATE`,
          [tenant, move.from, move.to],
        );
        const from = rows.find((r) => r.account === move.from);
        if (!from || rows.length !== 2) throw new Error(`unknown account in ${move.from} → ${move.to}`);
        if (move.from.startsWith('user:') && BigInt(from.balance) < move.amount) {
          throw new InsufficientFunds(`${move.from} has ${from.balance}`);
        }
        const amount = move.amount.toString();
        await client.query(
          'UPDATE bl_balances SET balance = balance - $3 WHERE tenant_id = $1 AND account = $2',
          [tenant, move.from, amount],
        );
        await client.query(
          'UPDATE bl_balances SET balance = balance + $3 WHERE tenant_id = $1 AND account = $2',
          [tenant, move.to, amount],
        );
        await client.query(
          `INSERT INTO bl_transfers (tenant_id, id, from_account, to_account, amount, code, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, now())`,
          [tenant, move.id ?? randomUUID(), move.from, move.to, amount, move.code],
        );
        await client.query('COMMIT');
        return;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        const code = (error as { code?: string }).code;
        if (code === undefined || !RETRYABLE_PG.has(code) || attempt >= 20) throw error;
      } finally {
        client.release();
      }
    }
  }

  private async check(tenant: string): Promise<{ ok: boolean; detail: string }> {
    const { rows } = await this.pool.query<{ total: string; negative: string; transfers: string }>(
      `SELECT (SELECT SUM(balance) FROM bl_balances WHERE tenant_id = $1) AS total,
              (SELECT COUNT(*) FROM bl_balances WHERE tenant_id = $1 AND account LIKE 'user:%' AND balance < 0) AS negative,
              (SELECT COUNT(*) FROM bl_transfers WHERE tenant_id = $1) AS transfers`,
      [tenant],
    );
    return conservation(rows[0]!);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

type SqliteDb = InstanceType<typeof Database>;
interface Statement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/**
 * Baseline on a libSQL file through the `libsql` package directly (WAL, synchronous=FULL, like the
 * SDK): one BEGIN IMMEDIATE … COMMIT per transfer, reading both balances, checking, two UPDATEs and
 * an INSERT. Calls are synchronous, so concurrent callers simply take turns.
 */
export class LibsqlBaseline implements Backend {
  readonly label = 'baseline-libsql';
  private readonly db: SqliteDb;
  private readonly select: Statement;
  private readonly debit: Statement;
  private readonly credit: Statement;
  private readonly insert: Statement;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.defaultSafeIntegers(true);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS bl_balances (
      tenant_id TEXT NOT NULL, account TEXT NOT NULL, balance INTEGER NOT NULL, PRIMARY KEY (tenant_id, account))`);
    this.db.exec(`CREATE TABLE IF NOT EXISTS bl_transfers (
      tenant_id TEXT NOT NULL, id TEXT NOT NULL, from_account TEXT NOT NULL, to_account TEXT NOT NULL,
      amount INTEGER NOT NULL CHECK (amount > 0), code TEXT NOT NULL, created_at INTEGER NOT NULL,
      PRIMARY KEY (tenant_id, id))`);
    this.db.exec(
      'CREATE INDEX IF NOT EXISTS bl_transfers_from_idx ON bl_transfers (tenant_id, from_account)',
    );
    this.db.exec('CREATE INDEX IF NOT EXISTS bl_transfers_to_idx ON bl_transfers (tenant_id, to_account)');
    const prepare = (sql: string) => this.db.prepare(sql) as unknown as Statement;
    this.select = prepare('SELECT balance FROM bl_balances WHERE tenant_id = ? AND account = ?');
    this.debit = prepare('UPDATE bl_balances SET balance = balance - ? WHERE tenant_id = ? AND account = ?');
    this.credit = prepare('UPDATE bl_balances SET balance = balance + ? WHERE tenant_id = ? AND account = ?');
    this.insert = prepare(
      `INSERT INTO bl_transfers (tenant_id, id, from_account, to_account, amount, code, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  async cell(tag: string, users: number): Promise<CellTarget> {
    const add = this.db.prepare(
      'INSERT INTO bl_balances (tenant_id, account, balance) VALUES (?, ?, ?)',
    ) as unknown as Statement;
    this.db.exec('BEGIN IMMEDIATE');
    for (let i = 0; i < users; i++) add.run(tag, userAccount(i), FUNDING);
    add.run(tag, 'faucet:daily', 0n);
    add.run(tag, 'faucet:seed', -FUNDING * BigInt(users));
    this.db.exec('COMMIT');
    return {
      transfer: async (move) => this.transfer(tag, move),
      check: async () => this.check(tag),
    };
  }

  private transfer(tenant: string, move: Move): void {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const from = this.select.get(tenant, move.from) as { balance: bigint } | undefined;
      const to = this.select.get(tenant, move.to) as { balance: bigint } | undefined;
      if (!from || !to) throw new Error(`unknown account in ${move.from} → ${move.to}`);
      if (move.from.startsWith('user:') && from.balance < move.amount) {
        throw new InsufficientFunds(`${move.from} has ${from.balance}`);
      }
      this.debit.run(move.amount, tenant, move.from);
      this.credit.run(move.amount, tenant, move.to);
      this.insert.run(
        tenant,
        move.id ?? randomUUID(),
        move.from,
        move.to,
        move.amount,
        move.code,
        Date.now(),
      );
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  private check(tenant: string): { ok: boolean; detail: string } {
    const row = this.db
      .prepare(
        `SELECT (SELECT SUM(balance) FROM bl_balances WHERE tenant_id = ?1) AS total,
                (SELECT COUNT(*) FROM bl_balances WHERE tenant_id = ?1 AND account LIKE 'user:%' AND balance < 0) AS negative,
                (SELECT COUNT(*) FROM bl_transfers WHERE tenant_id = ?1) AS transfers`,
      )
      .get(tenant) as { total: bigint; negative: bigint; transfers: bigint };
    return conservation(row);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

function conservation(row: { total: unknown; negative: unknown; transfers: unknown }): {
  ok: boolean;
  detail: string;
} {
  const total = BigInt(String(row.total));
  const negative = BigInt(String(row.negative));
  const ok = total === 0n && negative === 0n;
  return {
    ok,
    detail: ok
      ? `ok (${row.transfers} transfers, balances sum to 0)`
      : `BROKEN: balances sum to ${total}, ${negative} users below zero`,
  };
}
