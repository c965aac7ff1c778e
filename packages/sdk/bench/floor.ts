import { createEconomy, type Economy, type Store } from '@guildmint/sdk';
import pg from 'pg';
import { newTransferId } from '../src/ledger/normalize.js';
import { type GroupPlan, type GroupState, type OpOutcome, planGroup } from '../src/ledger/plan.js';
import { type LedgerOp, scopedKey } from '../src/ledger/records.js';
import { type Db, openConnection, statementCache } from '../src/stores/libsql/connection.js';
import { libsqlGroupAdapter } from '../src/stores/libsql/group-sql.js';
import { LIBSQL_WRITE_DEFAULTS } from '../src/stores/libsql/store.js';
import { transaction } from '../src/stores/postgres/connection.js';
import { postgresGroupAdapter } from '../src/stores/postgres/group-commit.js';
import { POSTGRES_WRITE_DEFAULTS } from '../src/stores/postgres/store.js';
import {
  classifyPostgresError,
  classifySqliteError,
  type StoreErrorKind,
} from '../src/stores/store-errors.js';
import { WriteBatcher } from '../src/stores/write-batcher.js';
import { collectGroupKeys, emptyGroupState } from '../src/stores/write-path/group-keys.js';
import type { Backend, CellTarget } from './baseline.js';
import { FUNDING, type Move, userAccount } from './harness.js';

/**
 * The floor under the SDK's write path: the same moves, grouped by the SDK's own batcher, planned by its
 * own money rules (`planGroup`) and written by its store's own group statements in one transaction each
 * (libSQL: WAL, synchronous=FULL; PostgreSQL: its default commit), with everything before the write left
 * out: no public API, no reads and no locks (balances are kept in memory), no idempotency lookups. It
 * writes exactly the SDK's rows, so the SDK cannot beat it on this machine; the gap between the two is
 * what the SDK's reading, checking and API cost. Bench-only: nothing here is safe to run as a store.
 */

/** One group's rows in one transaction, on one store's connection(s). */
interface GroupWriter {
  write(plan: GroupPlan, now: Date): Promise<void>;
  classify(error: unknown): StoreErrorKind;
  concurrency: number;
  maxGroupSize: number;
  close(): Promise<void>;
}

class FloorBackend implements Backend {
  /** Balances and last moves as the rows hold them, by `scopedKey`: the reads the floor leaves out. */
  private readonly balances = new Map<string, bigint>();
  private readonly activeAt = new Map<string, Date>();
  private readonly batcher: WriteBatcher;

  constructor(
    readonly label: string,
    private readonly writer: GroupWriter,
    /** The same database through the SDK, which migrates it and verifies the books the floor wrote. */
    private readonly economy: Economy,
  ) {
    this.batcher = new WriteBatcher({
      commitGroup: (ops) => this.commitGroup(ops),
      classify: writer.classify,
      maxGroupSize: writer.maxGroupSize,
      concurrency: writer.concurrency,
      label,
    });
  }

  async cell(tag: string, users: number): Promise<CellTarget> {
    // The SDK backend uses `tag` in the same PostgreSQL database.
    const tenant = `floor_${tag}`;
    await Promise.all(
      Array.from({ length: users }, (_, i) =>
        this.transfer(tenant, {
          from: 'faucet:seed',
          to: userAccount(i),
          amount: FUNDING,
          code: 'bench.funding',
        }),
      ),
    );
    return {
      transfer: (move) => this.transfer(tenant, move),
      check: async () => {
        const result = await this.economy.tenant(tenant).ledger.verify();
        return {
          ok: result.ok,
          detail: result.ok ? 'ok' : `BROKEN: ${result.problems.slice(0, 3).join('; ')}`,
        };
      },
    };
  }

  async close(): Promise<void> {
    await this.batcher.close();
    await this.writer.close();
    await this.economy.close();
  }

  private transfer(tenant: string, move: Move): Promise<unknown> {
    return this.batcher.submit({
      tenant,
      batchId: null,
      freshIds: move.id === undefined,
      transfers: [{ ...move, id: move.id ?? newTransferId(), metadata: null, reverses: null, forced: false }],
    });
  }

  private async commitGroup(ops: LedgerOp[]): Promise<OpOutcome[]> {
    const now = new Date();
    const plan = planGroup(ops, this.remembered(ops), now);
    await this.writer.write(plan, now);
    for (const delta of plan.deltas) {
      const key = scopedKey(delta.tenant, delta.account);
      this.balances.set(key, (this.balances.get(key) ?? 0n) + delta.delta);
      if (delta.moved) this.activeAt.set(key, now);
    }
    return plan.outcomes;
  }

  /** The group's state as the store's read would find it, from memory. */
  private remembered(ops: readonly LedgerOp[]): GroupState {
    const keys = collectGroupKeys(ops, false);
    const state = emptyGroupState(keys);
    for (const { tenant, value } of [...keys.users, ...keys.systemAccounts]) {
      const key = scopedKey(tenant, value);
      const balance = this.balances.get(key);
      state.accounts.set(key, { balance: balance ?? 0n, frozen: false });
      if (balance !== undefined) state.activeAt.set(key, this.activeAt.get(key) ?? null);
    }
    return state;
  }
}

/** The floor on a libSQL file: the store's connection settings and group statements, inline. */
export async function libsqlFloor(
  path: string,
  sdkStore: Store,
  maxGroupSize: number = LIBSQL_WRITE_DEFAULTS.maxGroupSize,
): Promise<Backend> {
  const economy = createEconomy({ storage: sdkStore });
  await economy.migrate();
  const db: Db = openConnection(path, `file:${path}`);
  const adapter = libsqlGroupAdapter(statementCache(db));
  return new FloorBackend(
    'floor-libsql',
    {
      async write(plan, now) {
        db.exec('BEGIN IMMEDIATE');
        try {
          adapter.write(plan, now);
          db.exec('COMMIT');
        } catch (error) {
          db.exec('ROLLBACK');
          throw error;
        }
      },
      classify: classifySqliteError,
      concurrency: 1,
      maxGroupSize,
      close: async () => {
        db.close();
      },
    },
    economy,
  );
}

export interface PostgresFloorOptions {
  maxGroupSize?: number;
  writeConcurrency?: number;
  systemSlots?: number;
}

/** The floor on PostgreSQL: the store's group statement, groups in flight and system-account slots. */
export async function postgresFloor(
  url: string,
  sdkStore: Store,
  options: PostgresFloorOptions = {},
): Promise<Backend> {
  const economy = createEconomy({ storage: sdkStore });
  await economy.migrate();
  const concurrency = options.writeConcurrency ?? POSTGRES_WRITE_DEFAULTS.writeConcurrency;
  const slots = options.systemSlots ?? POSTGRES_WRITE_DEFAULTS.systemSlots;
  const pool = new pg.Pool({ connectionString: url, max: concurrency });
  pool.on('error', () => {});
  let nextSlot = 0;
  return new FloorBackend(
    'floor-postgres',
    {
      async write(plan, now) {
        const slot = nextSlot++ % slots;
        await transaction(pool, 'BEGIN', (client) => postgresGroupAdapter(client, slot).write(plan, now));
      },
      classify: classifyPostgresError,
      concurrency,
      maxGroupSize: options.maxGroupSize ?? POSTGRES_WRITE_DEFAULTS.maxGroupSize,
      close: () => pool.end(),
    },
    economy,
  );
}
