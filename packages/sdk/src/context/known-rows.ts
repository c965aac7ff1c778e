import type { StateRef, StateRow } from '../stores/types.js';

/** How many rows one tenant remembers: the members playing now, not every member ever seen. */
const DEFAULT_CAPACITY = 4096;

/**
 * State rows as this process last committed them, for rows that every writer changes only under a
 * version guard (a member's fair seeds). An operation may start from such a row instead of reading it
 * ahead: its commit guards the version it started from, so a row changed elsewhere meanwhile (another
 * process, a rotation) fails that commit with CONCURRENT_UPDATE, and the retry reads the row. Versions
 * only grow (every write of a row adds one, rows are never deleted), so an equal version is the same row.
 * Never the source of truth: forgetting a row only costs the read it saved.
 */
export class KnownRows {
  private readonly rows = new Map<string, StateRow>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  get(ref: StateRef): StateRow | undefined {
    return this.rows.get(keyOf(ref));
  }

  /** A row as a commit that guarded its version just wrote it; an older one never replaces a newer. */
  remember(ref: StateRef, row: StateRow): void {
    const key = keyOf(ref);
    const known = this.rows.get(key);
    if (known && known.version >= row.version) return;
    // Most recently written last: the first entry is the one written longest ago.
    this.rows.delete(key);
    this.rows.set(key, row);
    if (this.rows.size > this.capacity) this.rows.delete(this.rows.keys().next().value!);
  }

  forget(ref: StateRef): void {
    this.rows.delete(keyOf(ref));
  }
}

function keyOf(ref: StateRef): string {
  return `${ref.scope}\u0000${ref.key}`;
}
