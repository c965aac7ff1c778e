import { ErrorCode, GuildmintError } from '../errors.js';
import type { OpOutcome } from '../ledger/plan.js';
import { isRetryable, retryTransient, type StoreErrorKind, toPublicError } from './store-errors.js';
import type { LedgerOp, StoredTransfer } from './types.js';

export interface WriteBatcherOptions {
  /**
   * Commit every op in one database transaction; throw if the transaction as a whole failed. `retry`: an
   * attempt of these ops failed before and may have committed (see `LedgerOp.freshIds`).
   */
  commitGroup(ops: LedgerOp[], retry: boolean): Promise<OpOutcome[]>;
  /** Sort a store error into what to do about it. */
  classify(error: unknown): StoreErrorKind;
  /** Most ops in one transaction. */
  maxGroupSize?: number;
  /** Transactions in flight at once (1 for SQLite, a few for PostgreSQL). */
  concurrency?: number;
  /** How long transient failures are retried before the caller gets STORE_UNAVAILABLE. */
  retryBudgetMs?: number;
  /** Names the store in the log line of an INTERNAL error. */
  label?: string;
}

/** The fewest ops a group takes when the queue is shared between free transactions. */
const MIN_SHARE = 16;

interface Pending {
  op: LedgerOp;
  resolve(transfers: StoredTransfer[]): void;
  reject(error: unknown): void;
}

/**
 * The write path: callers queue ops; the batcher commits them in groups, one transaction per
 * group, each caller awaiting its own outcome. A failed group is retried when the failure is
 * transient. When it is not, some op is at fault: a group of several tenants is split by tenant, each
 * tenant's ops retried at once in a transaction of their own, so another tenant's bad op costs a
 * tenant one more transaction and no wait; a one-tenant group is halved until the op at fault fails
 * alone, about 2·log2(group size) transactions, not one per op.
 */
export class WriteBatcher {
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  private readonly maxGroupSize: number;
  private readonly concurrency: number;
  private readonly retryBudgetMs: number;
  private readonly label: string;

  constructor(private readonly options: WriteBatcherOptions) {
    this.maxGroupSize = options.maxGroupSize ?? 256;
    this.concurrency = options.concurrency ?? 1;
    this.retryBudgetMs = options.retryBudgetMs ?? 10_000;
    this.label = options.label ?? 'store';
  }

  submit(op: LedgerOp): Promise<StoredTransfer[]> {
    if (this.closed) {
      return Promise.reject(new GuildmintError(ErrorCode.STORE_UNAVAILABLE, 'the economy has been closed'));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      this.schedule();
    });
  }

  /** Stop taking ops and wait until every queued one has been committed or rejected. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.queue.length === 0 && this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.concurrency || this.queue.length === 0) return;
    this.scheduled = true;
    // setImmediate lets every op submitted in this turn of the event loop join the group.
    setImmediate(() => {
      this.scheduled = false;
      // Share the queue evenly between the free slots: callers of a finished group resubmit in one
      // turn, and one group taking them all would leave the other connections idle. A share is never
      // smaller than MIN_SHARE: a small burst is cheaper as one transaction than as several.
      const free = this.concurrency - this.inFlight;
      const share = Math.max(MIN_SHARE, Math.ceil(this.queue.length / Math.max(1, free)));
      const size = Math.min(this.maxGroupSize, share);
      while (this.inFlight < this.concurrency && this.queue.length > 0) {
        const group = this.queue.splice(0, size);
        this.inFlight++;
        void this.run(group).finally(() => {
          this.inFlight--;
          this.schedule();
          if (this.queue.length === 0 && this.inFlight === 0) this.notifyIdle();
        });
      }
    });
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private async run(group: Pending[], failedBefore = false): Promise<void> {
    const ops = group.map((p) => p.op);
    try {
      const outcomes = await retryTransient((retry) => this.options.commitGroup(ops, retry || failedBefore), {
        classify: this.options.classify,
        budgetMs: this.retryBudgetMs,
      });
      for (const [i, pending] of group.entries()) settle(pending, outcomes[i]!);
    } catch (error) {
      const kind = this.options.classify(error);
      if (group.length > 1 && !isRetryable(kind)) {
        // Not the store's fault but some op's: find the guilty op without making other tenants wait for the search.
        const tenants = byTenant(group);
        if (tenants.length > 1) {
          await Promise.all(tenants.map((ops) => this.run(ops, true)));
          return;
        }
        const middle = Math.ceil(group.length / 2);
        await this.run(group.slice(0, middle), true);
        await this.run(group.slice(middle), true);
        return;
      }
      const reason = toPublicError(error, kind, `${this.label}: commit`);
      for (const pending of group) pending.reject(reason);
    }
  }
}

/** The group's ops by tenant, each tenant's in the order they came. */
function byTenant(group: Pending[]): Pending[][] {
  const tenants = new Map<string, Pending[]>();
  for (const pending of group) {
    const ops = tenants.get(pending.op.tenant);
    if (ops) ops.push(pending);
    else tenants.set(pending.op.tenant, [pending]);
  }
  return [...tenants.values()];
}

function settle(pending: Pending, outcome: OpOutcome): void {
  if (outcome.ok) pending.resolve(outcome.transfers);
  else pending.reject(outcome.error);
}
