import { createHash } from 'node:crypto';
import type { EconomyConfig } from '../config/schema.js';
import { STATE } from '../context/state-scopes.js';
import type { TenantContext } from '../context/tenant-context.js';
import { ErrorCode, GuildmintError, internalError, invalidInput, isGuildmintError } from '../errors.js';
import { assertTransferId, canonicalJson, newTransferId } from '../ledger/normalize.js';
import {
  type OnceRow,
  readScope,
  type StateEffect,
  type StateRef,
  type StateRow,
  type StoredTransfer,
  stateRef,
} from '../stores/types.js';

const MAX_KEY_LENGTH = 100;
const MAX_ATTEMPTS = 8;

/**
 * An idempotency key bound to the one request it was made for, as Stripe binds its keys: the
 * operation's name and a hash of its arguments travel with the key and are stored when it is spent.
 */
export interface BoundKey {
  /** The caller's key (a Discord interaction id), or one the SDK made before the first attempt. */
  readonly key: string;
  /** False when the SDK made the key: nothing can have spent it before this call's own first attempt. */
  readonly given: boolean;
  readonly operation: string;
  /** SHA-256 of the canonical JSON of the operation and its arguments. */
  readonly fingerprint: string;
}

/** What the store keeps under a spent key (`gm_state`, scope `op`). */
export interface SpentKey {
  operation: string;
  fingerprint: string;
  /** What the operation returned, for operations whose result is not in their transfers. */
  result?: unknown;
}

/**
 * Binds a key to an operation and its arguments. Without a key, one is made now — before the first
 * attempt — so that a retry of the same call (a lost COMMIT) can never apply twice.
 * `args` must be JSON (amounts as strings): every argument that changes what the operation does.
 */
export function bindKey(operation: string, key: unknown, args: Record<string, unknown>): BoundKey {
  if (key !== undefined) {
    assertTransferId(key, 'key');
    if (key.length > MAX_KEY_LENGTH)
      throw invalidInput('key', `must be at most ${MAX_KEY_LENGTH} characters`);
  }
  const fingerprint = createHash('sha256')
    .update(canonicalJson({ operation, args }, 'arguments'))
    .digest('hex');
  return { key: key ?? newTransferId(), given: key !== undefined, operation, fingerprint };
}

/** The state row that records a spent key: created once, with the operation it was spent on. */
export function spentKeyRow(bound: BoundKey, result?: unknown): OnceRow {
  const spent: SpentKey = {
    operation: bound.operation,
    fingerprint: bound.fingerprint,
    ...(result !== undefined && { result }),
  };
  return { scope: STATE.operation, key: bound.key, json: JSON.stringify(spent) };
}

/**
 * The state change that spends the key, committed in the same transaction as the operation's
 * money and state: a second spend of the key (a racing duplicate, a retried commit) fails the op.
 */
export function spendKey(bound: BoundKey, result?: unknown): StateEffect {
  const row = spentKeyRow(bound, result);
  // Only the words of keySpent: an error object (and its stack) per operation would be thrown away.
  const fail = { code: ErrorCode.IDEMPOTENCY_CONFLICT, message: keySpentMessage(bound) };
  return { kind: 'set', ...row, value: 0n, version: 0n, spendsKey: true, fail };
}

/** The refusal of an attempt that found its key spent meanwhile; runKeyed answers it from the key. */
export function keySpent(bound: BoundKey): GuildmintError {
  return new GuildmintError(ErrorCode.IDEMPOTENCY_CONFLICT, keySpentMessage(bound));
}

function keySpentMessage(bound: BoundKey): string {
  return `key ${bound.key} has already been used`;
}

/** What one attempt of a keyed operation starts from: one config, one moment, the state it read ahead. */
export interface Attempt {
  readonly config: EconomyConfig;
  readonly now: Date;
  /** A committed row the operation asked for in `reads` (undefined: no such row). */
  state(scope: string, key: string): StateRow | undefined;
}

/** A keyed operation, as `runKeyed` runs it. */
export interface KeyedOperation<R> {
  /** The member whose rate limit a new (not replayed) operation counts against. */
  member?: string;
  /**
   * The state rows an attempt needs, read ahead in one statement together with the key. Must not
   * refuse anything (an unknown faucet reads nothing): a replay is answered whatever changed since.
   */
  reads?(config: EconomyConfig, now: Date): StateRef[];
  /**
   * Rows the attempt needs that every writer changes only under a version guard, and that the attempt
   * guards too (a member's seeds): read ahead like `reads`, unless this process knows the row as it last
   * committed it (`ctx.known`). A row changed elsewhere meanwhile fails the commit's guard
   * (CONCURRENT_UPDATE), and the next attempt reads it.
   */
  guarded?(config: EconomyConfig, now: Date): StateRef[];
  /** Plans and commits the operation; must commit `spendKey(bound)` with its changes. */
  attempt(from: Attempt): Promise<R>;
  /** The answer to a request already made with this key. */
  replay(spent: SpentKey): R | Promise<R>;
}

/**
 * Runs an operation keyed by `bound`.
 * - A key already spent on the same request answers with that request's result (`replay`), whatever
 *   state changed since: a retried interaction is answered, never charged twice, and not counted
 *   against the rate limit. A key spent on any other request → IDEMPOTENCY_CONFLICT, nothing written.
 * - A guarded state change that lost a race (CONCURRENT_UPDATE) is recomputed and retried.
 * - A racing duplicate of the same key ends up returning the winner's result.
 * At most one read before the write: the caller's key together with the operation's `reads` (and the
 * `guarded` rows this process does not know), in one statement. An operation that reads nothing goes
 * ahead without reading its key (a key the SDK made
 * cannot be spent yet; a spent caller's key is refused by the commit's spend-key guard, and only then
 * read to answer), so it costs one commit, like a ledger transfer. The member's rate limit is counted
 * meanwhile; a request its key answers or refuses gets its count back.
 */
export async function runKeyed<R>(
  ctx: TenantContext,
  bound: BoundKey,
  operation: KeyedOperation<R>,
): Promise<R> {
  const { member } = operation;
  const keyRef = { scope: STATE.operation, key: bound.key };
  let counted = false;
  const refund = async () => {
    if (!counted || member === undefined) return;
    counted = false;
    await ctx.refundLimit(member);
  };
  /** The request the key was spent on, if any (its count given back); IDEMPOTENCY_CONFLICT if another. */
  const answeredBy = async (row: StateRow | undefined): Promise<SpentKey | undefined> => {
    let spent: SpentKey | undefined;
    try {
      spent = spentKeyOf(bound, row);
    } catch (error) {
      await refund();
      throw error;
    }
    if (spent) await refund();
    return spent;
  };

  for (let i = 1; ; i++) {
    const { config } = await ctx.config();
    const now = ctx.clock.now();
    const refs = operation.reads?.(config, now) ?? [];
    const known = new Map<string, StateRow>();
    for (const ref of operation.guarded?.(config, now) ?? []) {
      // Only a first attempt trusts what it knows: after a lost race, the rows are read again.
      const row = i === 1 ? ctx.known.get(ref) : undefined;
      if (row) known.set(stateRef(ref.scope, ref.key), row);
      else refs.push(ref);
    }
    // After a lost race, a racing duplicate may have spent even a key the SDK made.
    const keyRead = i > 1 || (bound.given && refs.length > 0);
    if (keyRead) refs.push(keyRef);
    const limiting = i === 1 && member !== undefined;
    // Both only read and both must pass before the write: the limiter's round trip (Redis) overlaps the store's.
    const [read, limited] = await Promise.allSettled([
      refs.length === 0 ? NO_ROWS : ctx.store.readStates(ctx.tenant, refs),
      limiting ? ctx.limit(member, config) : undefined,
    ]);
    // A refused command counts too; only a failure of the limiter itself counted nothing.
    counted ||=
      limiting &&
      (limited.status === 'fulfilled' || isGuildmintError(limited.reason, ErrorCode.RATE_LIMITED));
    if (read.status === 'rejected') {
      await refund();
      throw read.reason;
    }
    const rows = read.value;
    // A limited request may be the replay of one answered, which is no new command: its key decides.
    const keyRow = keyRead
      ? rows.get(stateRef(keyRef.scope, keyRef.key))
      : limited.status === 'rejected' && bound.given
        ? await readKeyRow(ctx, bound)
        : undefined;
    const spent = await answeredBy(keyRow);
    if (spent) return operation.replay(spent);
    if (limited.status === 'rejected') throw limited.reason;
    try {
      return await operation.attempt({
        config,
        now,
        state: (scope, key) => {
          const ref = stateRef(scope, key);
          return known.get(ref) ?? rows.get(ref);
        },
      });
    } catch (error) {
      // A racing call with the same key may have committed first; its guards (cooldown, stock, the
      // key itself) then refuse this one. Whatever the refusal, the spent key decides the answer; a
      // lost race reads it with the next attempt's state.
      const retry = isGuildmintError(error, ErrorCode.CONCURRENT_UPDATE) && i < MAX_ATTEMPTS;
      if (retry) continue;
      if (isGuildmintError(error)) {
        const spent = await answeredBy(await readKeyRow(ctx, bound));
        if (spent) return operation.replay(spent);
      }
      throw error;
    }
  }
}

const NO_ROWS: ReadonlyMap<string, StateRow> = new Map();

/** The transfers an operation committed under its key: the main one, and its batch if it has one. */
export async function keyedTransfers(ctx: TenantContext, key: string): Promise<StoredTransfer[]> {
  const [main] = await ctx.store.findTransfers(ctx.tenant, [key]);
  if (!main) {
    throw internalError(new Error(`key ${key} is spent but its transfers are missing`), 'keyed replay');
  }
  return main.batchId ? ctx.store.findBatch(ctx.tenant, main.batchId) : [main];
}

async function readKeyRow(ctx: TenantContext, bound: BoundKey): Promise<StateRow | undefined> {
  return (await readScope(ctx.store, ctx.tenant, STATE.operation, [bound.key])).get(bound.key);
}

/** The request a key was spent on (undefined: not spent); IDEMPOTENCY_CONFLICT if it was another. */
function spentKeyOf(bound: BoundKey, row: StateRow | undefined): SpentKey | undefined {
  if (!row?.json) return undefined;
  const spent = JSON.parse(row.json) as SpentKey;
  if (spent.fingerprint !== bound.fingerprint) {
    throw new GuildmintError(
      ErrorCode.IDEMPOTENCY_CONFLICT,
      spent.operation === bound.operation
        ? `key ${bound.key} was already used for a ${spent.operation} with other arguments; use a new key for a new request`
        : `key ${bound.key} was already used for a ${spent.operation}, not a ${bound.operation}; use a new key for a new request`,
    );
  }
  return spent;
}
