import type { ErrorCode } from '../errors.js';
import type { NewTransfer } from '../ledger/normalize.js';

/** Why a guarded state change refused, as the caller should hear it. */
export interface EffectFailure {
  code: ErrorCode;
  message: string;
  retryAt?: Date;
}

/**
 * A change to per-tenant state (`gm_state`) committed in the same transaction as the op's transfers,
 * and only if every guard holds: cooldowns, stock, caps, inventories, streaks, game rounds, seeds.
 */
export type StateEffect =
  | {
      kind: 'add';
      scope: string;
      key: string;
      delta: bigint;
      /** The value after adding must stay within [min, max]. */
      min?: bigint;
      max?: bigint;
      fail: EffectFailure;
    }
  | {
      kind: 'set';
      scope: string;
      key: string;
      value: bigint;
      /** New JSON document; absent keeps the current one. */
      json?: string | null;
      /** The current value must be at most this (a cooldown: last claim ≤ now − cooldown). */
      atMost?: bigint;
      /** The current version must be exactly this (0: the row must not exist yet). */
      version?: bigint;
      fail: EffectFailure;
    };

/** A state row that may be created only once (value 0, version 1): an idempotency key being spent. */
export interface OnceRow {
  scope: string;
  key: string;
  json: string;
}

/** Names one state row of a tenant. */
export interface StateRef {
  scope: string;
  key: string;
}

/** The key under which `readStates` returns a row. */
export function stateRef(scope: string, key: string): string {
  return `${scope}\u0000${key}`;
}

export interface StateRow {
  value: bigint;
  json: string | null;
  version: bigint;
}

/**
 * A page boundary in the audit log: a moment (entries strictly older), or an entry (entries written
 * before it, in commit order). An entry's place is exact, so entries sharing a millisecond are never
 * skipped between pages, as they are when a page is cut at a moment.
 */
export type AuditCursor = Date | { id: string };

export interface AuditEntry {
  id: string;
  actor: string;
  action: string;
  target: string | null;
  reason: string | null;
  /** Canonical JSON of what changed. */
  details: string | null;
  createdAt: Date;
}

/** One unit of work for the write path: transfers, state changes and audit entries, all or none. */
export interface LedgerOp {
  tenant: string;
  transfers: NewTransfer[];
  /** null for a single transfer; shared by the transfers of a `transferAll` or a batch reversal. */
  batchId: string | null;
  effects?: StateEffect[];
  audit?: AuditEntry[];
  /** An admin action (revoke) may take from a frozen account; members' own sends may not. */
  overrideFreeze?: boolean;
}

/** A transfer as stored: immutable once written. */
export interface StoredTransfer extends NewTransfer {
  tenant: string;
  batchId: string | null;
  createdAt: Date;
}

export interface ListedTransfer extends StoredTransfer {
  /** Commit order within the store; drives cursor pagination. */
  seq: bigint;
}

export interface ConfigChange {
  tenant: string;
  version: number;
}

export interface FlowRow {
  day: string;
  account: string;
  credit: bigint;
  debit: bigint;
  count: bigint;
}

export interface ListQuery {
  account?: string;
  limit: number;
  /** Only transfers older than this position (exclusive). */
  beforeSeq?: bigint;
  /** Only transfers created at or after this time (a rollback's window), still in commit order. */
  since?: Date;
}

/** Raw facts about one tenant, from which `verify()` draws its conclusions. */
export interface LedgerAudit {
  /** Materialized balances (slots summed), by account. */
  balances: Map<string, bigint>;
  /** Credits minus debits recomputed from every transfer, by account. */
  recomputed: Map<string, bigint>;
  /** Accounts that a forced reversal was allowed to overdraw. */
  forcedDebtors: Set<string>;
  /** Reversal targets that do not exist, or are reversed more than once. */
  badReversals: string[];
  /** Rows per table (every table of `TENANT_TABLES`), for checks that a refused op left no trace. */
  tableRows: Record<string, number>;
}

/**
 * A ledger store. Two implementations (libSQL and PostgreSQL) pass one conformance suite.
 * Stores hold no money rules: those live in `ledger/plan.ts`, applied inside each store's transaction.
 */
export interface Store {
  readonly kind: 'libsql' | 'postgres';
  /** Create or upgrade tables; safe to call repeatedly and from several processes at once. */
  migrate(): Promise<void>;
  /** Queue an op for the grouped write path; resolves once durably committed (or replayed). */
  commit(op: LedgerOp): Promise<StoredTransfer[]>;
  balance(tenant: string, account: string): Promise<bigint>;
  findTransfers(tenant: string, ids: readonly string[]): Promise<StoredTransfer[]>;
  findBatch(tenant: string, batchId: string): Promise<StoredTransfer[]>;
  listTransfers(tenant: string, query: ListQuery): Promise<ListedTransfer[]>;
  /** Which of these transfer ids have been reversed. */
  findReversed(tenant: string, ids: readonly string[]): Promise<Set<string>>;
  audit(tenant: string): Promise<LedgerAudit>;
  /**
   * Freeze or unfreeze a user account (a frozen account cannot send), with its audit entry, creating
   * the `once` state row in the same transaction. When that row exists already (its key was spent)
   * nothing is written and the result is false.
   */
  setFrozen(
    tenant: string,
    account: string,
    frozen: boolean,
    audit: AuditEntry,
    once: OnceRow,
  ): Promise<boolean>;
  /** Committed state rows (no lock): for reading ahead of a write, which re-checks under guard. */
  readState(tenant: string, scope: string, keys: readonly string[]): Promise<Map<string, StateRow>>;
  /**
   * Committed state rows of several scopes in one read (no lock), keyed by `stateRef(scope, key)`;
   * a missing entry means no row. Concurrent callers' reads may share one statement.
   */
  readStates(tenant: string, refs: readonly StateRef[]): Promise<Map<string, StateRow>>;
  /** Rows of one scope whose key starts with a prefix (inventories). */
  scanState(tenant: string, scope: string, prefix: string): Promise<Array<StateRow & { key: string }>>;
  /** Newest first (commit order); see `AuditCursor` for `before`. */
  listAudit(tenant: string, query: { limit: number; before?: AuditCursor }): Promise<AuditEntry[]>;
  /** Flow rows from `sinceDay` (YYYY-MM-DD, UTC) on. */
  flows(tenant: string, sinceDay: string): Promise<FlowRow[]>;
  /** User balances, largest first. */
  topBalances(tenant: string, limit: number): Promise<Array<{ account: string; balance: bigint }>>;
  /** Every user balance (stats: supply, Gini) and when it last moved. */
  userBalances(tenant: string): Promise<Array<{ account: string; balance: bigint; activeAt: Date | null }>>;
  /**
   * Store a new config version (the next number) and return it. With `basedOn`, only if the latest
   * version is still that one (0: none yet): otherwise nothing is written and the result is null.
   */
  putConfig(tenant: string, config: string, actor: string | null, basedOn?: number): Promise<number | null>;
  /** The latest config (or the given version), if any. */
  getConfig(
    tenant: string,
    version?: number,
  ): Promise<{ version: number; config: string; createdAt: Date } | undefined>;
  listConfigs(tenant: string): Promise<Array<{ version: number; actor: string | null; createdAt: Date }>>;
  /**
   * Hear about configs published by other processes (PostgreSQL: LISTEN/NOTIFY). Stores that cannot
   * (an embedded file) leave it out; readers then see a new version within the config cache's lifetime.
   */
  watchConfigs?(listener: (change: ConfigChange) => void): () => void;
  isFrozen(tenant: string, account: string): Promise<boolean>;
  /** Wait for queued writes, then release connections. */
  close(): Promise<void>;
}

/** Separator for composite in-memory keys; cannot appear in tenant ids, accounts or transfer ids. */
export function scopedKey(tenant: string, value: string): string {
  return `${tenant}\u0000${value}`;
}
