/**
 * Reads by key from many concurrent callers, shared: every key asked for in one turn of the event loop
 * goes to the database in one statement, and each caller picks its rows out of the shared result.
 * An economy op reads ahead before it writes; under load that is one statement for all of them, not one each.
 */
export class ReadBatcher<K, V> {
  private pending = new Map<string, K>();
  private waiting: Array<{ resolve(rows: Map<string, V>): void; reject(error: unknown): void }> = [];

  /**
   * @param fetch reads the rows of these keys (distinct), keyed by `id`; a missing key has no row.
   * @param id names a key (and its row) in the shared result.
   */
  constructor(
    private readonly fetch: (keys: K[]) => Promise<Map<string, V>>,
    readonly id: (key: K) => string,
  ) {}

  /** The rows of these keys (and maybe others: look yours up with `id`). */
  read(keys: readonly K[]): Promise<Map<string, V>> {
    if (keys.length === 0) return Promise.resolve(new Map());
    if (this.waiting.length === 0) setImmediate(() => this.flush());
    for (const key of keys) this.pending.set(this.id(key), key);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private flush(): void {
    const keys = [...this.pending.values()];
    const waiting = this.waiting;
    this.pending = new Map();
    this.waiting = [];
    this.fetch(keys).then(
      (rows) => {
        for (const w of waiting) w.resolve(rows);
      },
      (error: unknown) => {
        for (const w of waiting) w.reject(error);
      },
    );
  }
}
