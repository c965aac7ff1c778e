import { ErrorCode, GuildmintError } from '../errors.js';
import type { OpOutcome } from '../ledger/plan.js';
import type { StoreErrorKind } from './store-errors.js';
import type { LedgerOp, StoredTransfer } from './types.js';

export interface WriteBatcherOptions {
  /** Commit every op in one database transaction; throw if the transaction as a whole failed. */
  commitGroup(ops: LedgerOp[]): Promise<OpOutcome[]>;
  /** Sort a store error into what to do about it. */
  classify(error: unknown): StoreErrorKind;
  /** Most ops in one transaction. */
  maxGroupSize?: number;
  /** Transactions in flight at once (1 for SQLite, a few for PostgreSQL). */
  concurrency?: number;
  /** How long transient failures are retried before the caller gets STORE_UNAVAILABLE. */
  retryBudgetMs?: number;
}

interface Pending {
  op: LedgerOp;
  resolve(transfers: StoredTransfer[]): void;
  reject(error: unknown): void;
}

/**
 * The write path: callers queue ops; the batcher commits them in groups, one transaction per
 * group, each caller awaiting its own outcome. A failed group is retried when the failure is
 * transient, and split into single ops when it is not, so one bad op never fails its neighbours.
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

  constructor(private readonly options: WriteBatcherOptions) {
    this.maxGroupSize = options.maxGroupSize ?? 256;
    this.concurrency = options.concurrency ?? 1;
    this.retryBudgetMs = options.retryBudgetMs ?? 10_000;
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
      while (this.inFlight < this.concurrency && this.queue.length > 0) {
        const group = this.queue.splice(0, this.maxGroupSize);
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

  private async run(group: Pending[]): Promise<void> {
    try {
      const outcomes = await this.commitWithRetry(group.map((p) => p.op));
      for (const [i, pending] of group.entries()) settle(pending, outcomes[i]!);
    } catch (error) {
      const kind = this.options.classify(error);
      if (group.length > 1 && kind !== 'transient' && kind !== 'unavailable') {
        // Not the store's fault but some op's: commit each op alone so only the guilty one fails.
        for (const pending of group) await this.run([pending]);
        return;
      }
      const reason = toPublicError(error, kind);
      for (const pending of group) pending.reject(reason);
    }
  }

  private async commitWithRetry(ops: LedgerOp[]): Promise<OpOutcome[]> {
    const deadline = Date.now() + this.retryBudgetMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.options.commitGroup(ops);
      } catch (error) {
        const kind = this.options.classify(error);
        const retryable = kind === 'transient' || kind === 'unavailable';
        if (!retryable || Date.now() >= deadline) throw error;
        await delay(backoff(attempt));
      }
    }
  }
}

function settle(pending: Pending, outcome: OpOutcome): void {
  if (outcome.ok) pending.resolve(outcome.transfers);
  else pending.reject(outcome.error);
}

/** Exponential backoff with full jitter, capped at 250 ms. */
function backoff(attempt: number): number {
  return Math.random() * Math.min(250, 2 ** attempt * 2);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function toPublicError(error: unknown, kind: StoreErrorKind): unknown {
  if (error instanceof GuildmintError) return error;
  if (kind === 'overflow') {
    return new GuildmintError(ErrorCode.AMOUNT_OVERFLOW, 'a balance would go beyond the 64-bit limit', {
      cause: error,
    });
  }
  if (kind === 'transient' || kind === 'unavailable') {
    return new GuildmintError(
      ErrorCode.STORE_UNAVAILABLE,
      'the database could not be reached or stayed busy; nothing was written, try again',
      { cause: error },
    );
  }
  return error;
}
