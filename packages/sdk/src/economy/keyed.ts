import { createHash } from 'node:crypto';
import { ErrorCode, GuildmintError, internalError, invalidInput, isGuildmintError } from '../errors.js';
import { assertTransferId, canonicalJson, newTransferId } from '../ledger/normalize.js';
import type { OnceRow, StateEffect, StoredTransfer } from '../stores/types.js';
import type { TenantContext } from './context.js';
import { STATE } from './state-scopes.js';

const MAX_KEY_LENGTH = 100;
const MAX_ATTEMPTS = 8;

/**
 * An idempotency key bound to the one request it was made for, as Stripe binds its keys: the
 * operation's name and a hash of its arguments travel with the key and are stored when it is spent.
 */
export interface BoundKey {
  /** The caller's key (a Discord interaction id), or one the SDK made before the first attempt. */
  readonly key: string;
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
  return { key: key ?? newTransferId(), operation, fingerprint };
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
  const fail = keySpent(bound);
  return { kind: 'set', ...row, value: 0n, version: 0n, fail: { code: fail.code, message: fail.message } };
}

/** The refusal of an attempt that found its key spent meanwhile; runKeyed answers it from the key. */
export function keySpent(bound: BoundKey): GuildmintError {
  return new GuildmintError(ErrorCode.IDEMPOTENCY_CONFLICT, `key ${bound.key} has already been used`);
}

/**
 * Runs an operation keyed by `bound`; `attempt` must commit `spendKey(bound)` with its changes.
 * - A key already spent on the same request answers with that request's result (`replay`), whatever
 *   state changed since: a retried interaction is answered, never charged twice, and not counted
 *   against the rate limit. A key spent on any other request → IDEMPOTENCY_CONFLICT, nothing written.
 * - A guarded state change that lost a race (CONCURRENT_UPDATE) is recomputed and retried.
 * - A racing duplicate of the same key ends up returning the winner's result.
 */
export async function runKeyed<R>(
  ctx: TenantContext,
  bound: BoundKey,
  attempt: () => Promise<R>,
  replay: (spent: SpentKey) => R | Promise<R>,
  /** The member whose rate limit a new (not replayed) operation counts against. */
  member?: string,
): Promise<R> {
  const earlier = await spentKey(ctx, bound);
  if (earlier) return replay(earlier);
  if (member !== undefined) await ctx.limit(member);
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      // A racing call with the same key may have committed first; its guards (cooldown, stock, the
      // key itself) then refuse this one. Whatever the refusal, the spent key decides the answer.
      if (isGuildmintError(error)) {
        const spent = await spentKey(ctx, bound);
        if (spent) return replay(spent);
      }
      if (!isGuildmintError(error, ErrorCode.CONCURRENT_UPDATE) || i >= MAX_ATTEMPTS) throw error;
    }
  }
}

/** The transfers an operation committed under its key: the main one, and its batch if it has one. */
export async function keyedTransfers(ctx: TenantContext, key: string): Promise<StoredTransfer[]> {
  const [main] = await ctx.store.findTransfers(ctx.tenant, [key]);
  if (!main) {
    throw internalError(new Error(`key ${key} is spent but its transfers are missing`), 'keyed replay');
  }
  return main.batchId ? ctx.store.findBatch(ctx.tenant, main.batchId) : [main];
}

async function spentKey(ctx: TenantContext, bound: BoundKey): Promise<SpentKey | undefined> {
  const row = (await ctx.store.readState(ctx.tenant, STATE.operation, [bound.key])).get(bound.key);
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
