/**
 * The hot path of activity rewards: most messages fall inside their author's window and earn nothing,
 * so each process remembers until when a member's messages earn nothing and answers those without
 * touching the store. Only a hint: the store's window row stays the truth (another process may have
 * rewarded the member; its guard refuses the second reward), and a forgotten entry only costs a read.
 */
export class ActivityWindow {
  readonly #until = new Map<string, number>();
  readonly #maxEntries: number;

  constructor(maxEntries = 100_000) {
    this.#maxEntries = maxEntries;
  }

  /** True when `userId` is known to earn nothing at `nowMs`. */
  closed(userId: string, nowMs: number): boolean {
    const until = this.#until.get(userId);
    if (until === undefined) return false;
    if (until > nowMs) return true;
    this.#until.delete(userId);
    return false;
  }

  /** Remember that `userId` earns nothing before `untilMs`. */
  close(userId: string, untilMs: number, nowMs: number): void {
    if (this.#until.size >= this.#maxEntries) this.#sweep(nowMs);
    this.#until.set(userId, untilMs);
  }

  /** Forget what is known of `userId` (a reward failed: the store decides their next message). */
  open(userId: string): void {
    this.#until.delete(userId);
  }

  /** Drops expired entries; if all are current, the oldest half (a forgotten window costs one read). */
  #sweep(nowMs: number): void {
    for (const [userId, until] of this.#until) if (until <= nowMs) this.#until.delete(userId);
    if (this.#until.size < this.#maxEntries) return;
    let drop = Math.floor(this.#until.size / 2);
    for (const userId of this.#until.keys()) {
      if (drop-- <= 0) break;
      this.#until.delete(userId);
    }
  }
}
