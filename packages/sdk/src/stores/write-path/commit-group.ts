import { type GroupPlan, type GroupState, type OpOutcome, planGroup } from '../../ledger/plan.js';
import type { LedgerOp } from '../../ledger/records.js';
import { collectGroupKeys, type GroupKeys } from './group-keys.js';

/**
 * A dialect's half of the write path, run inside the transaction its store opened: read (and lock)
 * what the group's keys name, then write what the plan accepted. The libSQL adapter is synchronous,
 * so its transaction never yields to the event loop; the PostgreSQL adapter awaits its statements.
 */
export interface SyncGroupAdapter {
  read(keys: GroupKeys): GroupState;
  write(plan: GroupPlan, now: Date): void;
}

export interface AsyncGroupAdapter {
  read(keys: GroupKeys): Promise<GroupState>;
  write(plan: GroupPlan, now: Date): Promise<void>;
}

/**
 * The write path of every store, one group in one transaction: collect the keys the ops name, let the
 * adapter read them, apply the money rules (`planGroup`), let the adapter write the result. `retry`: an
 * earlier attempt of the same ops failed (see `LedgerOp.freshIds`).
 */
export function commitGroup(
  adapter: SyncGroupAdapter,
  ops: readonly LedgerOp[],
  now: Date,
  retry: boolean,
): OpOutcome[];
export function commitGroup(
  adapter: AsyncGroupAdapter,
  ops: readonly LedgerOp[],
  now: Date,
  retry: boolean,
): Promise<OpOutcome[]>;
export function commitGroup(
  adapter: SyncGroupAdapter | AsyncGroupAdapter,
  ops: readonly LedgerOp[],
  now: Date,
  retry: boolean,
): OpOutcome[] | Promise<OpOutcome[]> {
  return then(adapter.read(collectGroupKeys(ops, retry)), (state) => {
    const plan = planGroup(ops, state, now);
    return then(adapter.write(plan, now), () => plan.outcomes);
  });
}

/** Continues synchronously after a plain value, asynchronously after a promise. */
function then<T, U>(value: T | Promise<T>, next: (value: T) => U | Promise<U>): U | Promise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}
