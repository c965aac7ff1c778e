import type { TenantContext } from '../context/tenant-context.js';
import { batchIdFor, toPublic } from '../ledger/ledger.js';
import type { NewTransfer } from '../ledger/normalize.js';
import type { OutboxEvent } from '../ledger/records.js';
import type { Transfer } from '../ledger/types.js';
import type { AuditEntry, StateEffect, StoredTransfer } from '../stores/types.js';

/** What a money-moving operation returns: its transfers and the amounts that matter to people. */
export interface Receipt {
  /** The operation's key: the id of its main transfer. */
  id: string;
  /** The amount the operation was about (paid, spent, granted). */
  amount: bigint;
  /** Transfer tax and fees taken on top (0n when none). */
  tax: bigint;
  fee: bigint;
  transfers: Transfer[];
  /** True when this is the stored result of an earlier call with the same key. */
  replayed: boolean;
}

/** Commits transfers (one, or several as a batch) with their state changes and audit entries. */
export async function commitTransfers(
  ctx: TenantContext,
  transfers: NewTransfer[],
  extra: {
    effects?: StateEffect[];
    audit?: AuditEntry[];
    overrideFreeze?: boolean;
    events?: OutboxEvent[];
  } = {},
): Promise<StoredTransfer[]> {
  return ctx.submit({
    transfers,
    batchId: transfers.length > 1 ? batchIdFor(ctx.tenant, transfers) : null,
    ...extra,
  });
}

/** A receipt from stored transfers: the first is the main one; `tax`/`fee` by their codes. */
export function receiptOf(stored: StoredTransfer[], replayed: boolean): Receipt {
  const main = stored[0]!;
  const sum = (code: string) =>
    stored.filter((t) => t.code === code).reduce((total, t) => total + t.amount, 0n);
  return {
    id: main.id,
    amount: main.amount,
    tax: sum('sink.tax'),
    fee: sum('sink.fee'),
    transfers: stored.map(toPublic),
    replayed,
  };
}

export function newTransfer(
  id: string,
  from: string,
  to: string,
  amount: bigint,
  code: string,
  metadata: string | null = null,
): NewTransfer {
  return { id, from, to, amount, code, metadata, reverses: null, forced: false };
}
