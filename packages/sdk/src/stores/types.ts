import type { NewTransfer } from '../ledger/normalize.js';

/** One unit of work for the write path: transfers applied all or none. */
export interface LedgerOp {
  tenant: string;
  transfers: NewTransfer[];
  /** null for a single transfer; shared by the transfers of a `transferAll` or a batch reversal. */
  batchId: string | null;
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

export interface ListQuery {
  account?: string;
  limit: number;
  /** Only transfers older than this position (exclusive). */
  beforeSeq?: bigint;
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
  transferCount: number;
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
  audit(tenant: string): Promise<LedgerAudit>;
  /** Freeze or unfreeze a user account: a frozen account cannot send. */
  setFrozen(tenant: string, account: string, frozen: boolean): Promise<void>;
  isFrozen(tenant: string, account: string): Promise<boolean>;
  /** Wait for queued writes, then release connections. */
  close(): Promise<void>;
}

/** Separator for composite in-memory keys; cannot appear in tenant ids, accounts or transfer ids. */
export function scopedKey(tenant: string, value: string): string {
  return `${tenant}\u0000${value}`;
}
