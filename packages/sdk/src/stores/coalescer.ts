/**
 * Calls that are cheap alone but each cost a transaction (and on libSQL an fsync on the caller's thread),
 * run together: the calls made while none is running go out at the next turn of the event loop as one
 * `flush`, and the calls made while a flush runs form the next one. `flush` answers every input in order;
 * when it throws, every call of that flush rejects with its error.
 */
export class Coalescer<I, R> {
  private queue: Array<{ input: I; resolve(result: R): void; reject(error: unknown): void }> = [];
  private running = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly flush: (inputs: I[]) => Promise<R[]>,
    private readonly maxBatch = 256,
  ) {}

  submit(input: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (!this.running && this.queue.length === 1) setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const results = await this.flush(batch.map((call) => call.input));
          for (const [i, call] of batch.entries()) call.resolve(results[i]!);
        } catch (error) {
          for (const call of batch) call.reject(error);
        }
      }
    } finally {
      this.running = false;
      for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /** Resolves once every call submitted so far has been answered. */
  idle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
