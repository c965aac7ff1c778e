import { createHash, randomUUID } from 'node:crypto';
import { ErrorCode, GuildmintError, invalidInput } from '../errors.js';
import { assertStorableText } from '../text.js';
import { parseAccount } from './accounts.js';
import { type AuditNote, auditOf } from './audit-note.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { type EventNote, eventOf } from './event-note.js';
import type { LedgerStore } from './ledger-store.js';
import {
  assertStoredId,
  assertTransferId,
  canonicalMetadata,
  derivedId,
  type NewTransfer,
  normalizeTransfer,
  REVERSAL_CODE,
} from './normalize.js';
import type { LedgerOp, StoredTransfer } from './records.js';
import type { Transfer, TransferInput, TransferPage, VerifyResult } from './types.js';
import { checkInvariants } from './verify.js';

export interface Ledger {
  /**
   * Move money between two accounts, atomically and idempotently (the `id` is the key). With `audit`,
   * an audit-log entry is written in the same transaction (once: a replay writes none); with `event`,
   * a webhook event, likewise.
   */
  transfer(t: TransferInput, o?: { audit?: AuditNote; event?: EventNote }): Promise<Transfer>;
  /** Several transfers, all or none, applied in order. */
  transferAll(ts: TransferInput[]): Promise<Transfer[]>;
  balance(account: string): Promise<bigint>;
  /** Newest first; pass `next` back as `cursor` for older ones. */
  transfers(q?: { account?: string; limit?: number; cursor?: string }): Promise<TransferPage>;
  /**
   * Undo a transfer (or, given a batch id, a whole batch) with mirror transfers; once only. With `audit`,
   * an audit-log entry (its reason: `reason`) is written in the same transaction; with `event`, a
   * webhook event, likewise.
   */
  reverse(transferId: string, opts: ReverseOptions): Promise<Transfer[]>;
  /** Recompute every balance from transfers and check the invariants. */
  verify(): Promise<VerifyResult>;
}

export interface ReverseOptions {
  id?: string;
  reason: string;
  force?: boolean;
  audit?: AuditNote;
  event?: EventNote;
}

export const MAX_BATCH_SIZE = 1000;
export const MAX_PAGE_SIZE = 1000;
const DEFAULT_PAGE_SIZE = 50;

/**
 * What a ledger call runs inside: the economy's gate (`Lifecycle`) for the public `tenant.ledger`, which
 * waits for migrations and lets `close()` drain it; `UNGATED` for the primitives' own ledger, whose calls
 * belong to the operation that makes them.
 */
export interface Gate {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export const UNGATED: Gate = { run: (work) => work() };

/** The ledger of one tenant; every call is scoped to it. */
export class TenantLedger implements Ledger {
  constructor(
    private readonly tenant: string,
    private readonly store: LedgerStore,
    private readonly gate: Gate,
    /** When audit entries asked for beside a call are written (the tenant's clock). */
    private readonly now: () => Date = () => new Date(),
  ) {}

  async transfer(input: TransferInput, o: { audit?: AuditNote; event?: EventNote } = {}): Promise<Transfer> {
    const transfer = normalizeTransfer(input);
    const audit = o.audit && auditOf(o.audit, transfer.to, null, this.now());
    const event = o.event && eventOf(this.tenant, o.event, this.now());
    const [committed] = await this.commit([transfer], null, {
      ...(audit && { audit: [audit] }),
      ...(event && { events: [event] }),
      freshIds: input.id === undefined,
    });
    return toPublic(committed!);
  }

  async transferAll(inputs: TransferInput[]): Promise<Transfer[]> {
    if (!Array.isArray(inputs) || inputs.length === 0) {
      throw invalidInput('transfers', 'must be a non-empty array');
    }
    if (inputs.length > MAX_BATCH_SIZE) {
      throw invalidInput(
        'transfers',
        `holds ${inputs.length} transfers; at most ${MAX_BATCH_SIZE} per batch`,
      );
    }
    const transfers = inputs.map((input, i) => normalizeTransfer(input, `transfers[${i}]`));
    assertDistinctIds(transfers);
    const freshIds = inputs.every((input) => input.id === undefined);
    return (await this.commit(transfers, batchIdFor(this.tenant, transfers), { freshIds })).map(toPublic);
  }

  async balance(account: string): Promise<bigint> {
    parseAccount(account);
    return this.gate.run(() => this.store.balance(this.tenant, account));
  }

  async transfers(q: { account?: string; limit?: number; cursor?: string } = {}): Promise<TransferPage> {
    if (typeof q !== 'object' || q === null) throw invalidInput('query', 'must be an object');
    if (q.account !== undefined) parseAccount(q.account);
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw invalidInput('limit', `must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
    }
    const beforeSeq = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    const rows = await this.gate.run(() =>
      this.store.listTransfers(this.tenant, {
        limit: limit + 1,
        ...(q.account !== undefined && { account: q.account }),
        ...(beforeSeq !== undefined && { beforeSeq }),
      }),
    );
    const items = rows.slice(0, limit);
    const page: TransferPage = { items: items.map(toPublic) };
    if (rows.length > limit) page.next = encodeCursor(items[items.length - 1]!.seq);
    return page;
  }

  async reverse(transferId: string, opts: ReverseOptions): Promise<Transfer[]> {
    assertStoredId(transferId, 'transferId');
    if (typeof opts !== 'object' || opts === null)
      throw invalidInput('opts', 'must be an object with a reason');
    if (typeof opts.reason !== 'string' || opts.reason.trim() === '' || opts.reason.length > 500) {
      throw invalidInput('reason', 'must be a non-empty string of at most 500 characters');
    }
    assertStorableText(opts.reason, 'reason');
    if (opts.id !== undefined) assertTransferId(opts.id, 'id');
    if (opts.force !== undefined && typeof opts.force !== 'boolean')
      throw invalidInput('force', 'must be a boolean');
    // Checked before anything is read: a bad note refuses the call whatever the transfer.
    if (opts.audit) auditOf(opts.audit, null, opts.reason, this.now());
    if (opts.event) eventOf(this.tenant, opts.event, this.now());
    return this.gate.run(() => this.reverseFound(transferId, opts));
  }

  private async reverseFound(transferId: string, opts: ReverseOptions) {
    const originals = await this.findReversible(transferId);
    const op: LedgerOp = { tenant: this.tenant, ...reversalOf(this.tenant, originals, opts) };
    if (opts.audit) op.audit = [auditOf(opts.audit, originals[0]!.to, opts.reason, this.now())];
    if (opts.event) op.events = [eventOf(this.tenant, opts.event, this.now())];
    return (await this.store.commit(op)).map(toPublic);
  }

  async verify(): Promise<VerifyResult> {
    return checkInvariants(await this.gate.run(() => this.store.audit(this.tenant)));
  }

  private commit(
    transfers: NewTransfer[],
    batchId: string | null,
    extra: Pick<LedgerOp, 'audit' | 'events' | 'freshIds'>,
  ): Promise<StoredTransfer[]> {
    const op: LedgerOp = { tenant: this.tenant, transfers, batchId, ...extra };
    return this.gate.run(() => this.store.commit(op));
  }

  /** A transfer id names that transfer; a batch id names every transfer of the batch. */
  private async findReversible(id: string): Promise<StoredTransfer[]> {
    const [single] = await this.store.findTransfers(this.tenant, [id]);
    const originals = single ? [single] : await this.store.findBatch(this.tenant, id);
    if (originals.length === 0) {
      throw new GuildmintError(
        ErrorCode.NOT_FOUND,
        `no transfer or batch with id ${id} in tenant ${this.tenant}`,
      );
    }
    const reversal = originals.find((t) => t.reverses !== null);
    if (reversal) {
      throw new GuildmintError(
        ErrorCode.INVALID_TRANSFER,
        `transfer ${reversal.id} is itself a reversal; reversals cannot be reversed`,
      );
    }
    return originals;
  }
}

/**
 * The mirror transfers that undo `originals` (code `reversal`, each naming what it reverses), in the
 * order given, as one batch when there are several. `force` lets a member's balance go below zero.
 */
export function reversalOf(
  tenant: string,
  originals: readonly StoredTransfer[],
  opts: { id?: string; reason: string; force?: boolean },
): { transfers: NewTransfer[]; batchId: string | null } {
  const force = opts.force === true;
  const metadata = canonicalMetadata({ reason: opts.reason, ...(force && { forced: true }) });
  const transfers: NewTransfer[] = originals.map((original, i) => ({
    id: reversalId(opts.id, i, originals.length),
    from: original.to,
    to: original.from,
    amount: original.amount,
    code: REVERSAL_CODE,
    metadata,
    reverses: original.id,
    forced: force,
  }));
  return { transfers, batchId: transfers.length > 1 ? batchIdFor(tenant, transfers) : null };
}

function reversalId(base: string | undefined, index: number, count: number): string {
  if (base === undefined) return randomUUID();
  return count === 1 ? base : derivedId(base, String(index));
}

function assertDistinctIds(transfers: NewTransfer[]): void {
  const seen = new Set<string>();
  transfers.forEach((t, i) => {
    if (seen.has(t.id)) throw invalidInput(`transfers[${i}].id`, `repeats id ${t.id} within one batch`);
    seen.add(t.id);
  });
}

/** Derived from the ids, so replaying the same batch finds the same batch id. */
export function batchIdFor(tenant: string, transfers: readonly NewTransfer[]): string {
  const hash = createHash('sha256').update(tenant);
  for (const t of transfers) hash.update('\u0000').update(t.id);
  return `batch_${hash.digest('base64url').slice(0, 32)}`;
}

export function toPublic(t: StoredTransfer): Transfer {
  return {
    id: t.id,
    tenant: t.tenant,
    from: t.from,
    to: t.to,
    amount: t.amount,
    code: t.code,
    ...(t.metadata !== null && { metadata: JSON.parse(t.metadata) as Record<string, unknown> }),
    ...(t.batchId !== null && { batchId: t.batchId }),
    ...(t.reverses !== null && { reverses: t.reverses }),
    createdAt: t.createdAt,
  };
}
