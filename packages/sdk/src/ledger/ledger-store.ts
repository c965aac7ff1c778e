import type { LedgerAudit, LedgerOp, ListedTransfer, ListQuery, StoredTransfer } from './records.js';

/**
 * What the ledger needs of a store: the part of `Store` (in `stores/types.ts`, which extends this)
 * that moves and reads money. Declared here so the ledger depends on no store.
 */
export interface LedgerStore {
  /** Queue an op for the grouped write path; resolves once durably committed (or replayed). */
  commit(op: LedgerOp): Promise<StoredTransfer[]>;
  balance(tenant: string, account: string): Promise<bigint>;
  findTransfers(tenant: string, ids: readonly string[]): Promise<StoredTransfer[]>;
  findBatch(tenant: string, batchId: string): Promise<StoredTransfer[]>;
  listTransfers(tenant: string, query: ListQuery): Promise<ListedTransfer[]>;
  /** Raw facts for `verify()`. */
  audit(tenant: string): Promise<LedgerAudit>;
}
