/** One call waiting in a `Coalescer`: its input, and how to answer it. */
export interface CoalescedCall<I, R> {
  input: I;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * Calls that are cheap alone but each cost a transaction (and on libSQL an fsync on the caller's thread),
 * run together: the calls made while none is running go out at the next turn of the event loop as one
 * `flush`, and the calls made while a flush runs form the next one. `flush` answers each call (a refusal
 * of one need not fail the others); when it throws, every call it left unanswered rejects with its error.
 */
export class Coalescer<I, R> {
  private queue: Array<CoalescedCall<I, R>> = [];
  private running = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly flush: (calls: Array<CoalescedCall<I, R>>) => Promise<void>,
    private readonly maxBatch = 256,
  ) {}

  submit(input: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (!this.running && this.queue.length === 1) setImmediate(() => void this.drain());
    });
  }

  /** Resolves once every call submitted so far has been answered. */
  idle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        // A call already answered ignores the rejection.
        await this.flush(batch).catch((error: unknown) => {
          for (const call of batch) call.reject(error);
        });
      }
    } finally {
      this.running = false;
      for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }
}

/** A flush whose answers come back in the calls' order, one per call. */
export function inOrder<I, R>(
  run: (inputs: I[]) => Promise<R[]>,
): (calls: Array<CoalescedCall<I, R>>) => Promise<void> {
  return async (calls) => {
    const results = await run(calls.map((call) => call.input));
    for (const [i, call] of calls.entries()) call.resolve(results[i]!);
  };
}
