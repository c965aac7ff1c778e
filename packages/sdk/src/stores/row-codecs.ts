import type { StateRow, StoredTransfer } from '../ledger/records.js';

/** A row as a driver returns it: column name → value. */
export type Row = Record<string, unknown>;

// Both drivers return 64-bit integers as bigint (the PostgreSQL store installs its parsers, libSQL runs
// with safe integers). They differ in time (timestamptz → Date, SQLite → ms) and flags (boolean, 0/1).

export function int64(value: unknown): bigint {
  return typeof value === 'bigint' ? value : BigInt(value as number | string);
}

export function instant(value: unknown): Date {
  return value instanceof Date ? value : new Date(Number(value));
}

export function flag(value: unknown): boolean {
  return value === true || value === 1n || value === 1;
}

function text(value: unknown): string | null {
  return (value as string | null | undefined) ?? null;
}

/** A `gm_transfers` row (every column) as the ledger's record. */
export function transferFromRow(row: Row): StoredTransfer {
  return {
    tenant: String(row.tenant_id),
    id: String(row.id),
    batchId: text(row.batch_id),
    from: String(row.from_account),
    to: String(row.to_account),
    amount: int64(row.amount),
    code: String(row.code),
    metadata: text(row.metadata),
    reverses: text(row.reverses),
    forced: flag(row.forced),
    createdAt: instant(row.created_at),
  };
}

/** The `value, json, version` columns of a `gm_state` row. */
export function stateRowFromRow(row: Row): StateRow {
  return { value: int64(row.value), json: text(row.json), version: int64(row.version) };
}
