import { ErrorCode, invalidInput, isGuildmintError } from '../errors.js';
import { assertTransferId, newTransferId } from '../ledger/normalize.js';
import type { StoredTransfer } from '../stores/types.js';
import type { TenantContext } from './context.js';

const MAX_KEY_LENGTH = 100;
const MAX_ATTEMPTS = 8;

/** The idempotency key of an operation: the caller's (a Discord interaction id) or a fresh one. */
export function operationKey(key: unknown): string {
  if (key === undefined) return newTransferId();
  assertTransferId(key, 'key');
  if (key.length > MAX_KEY_LENGTH) throw invalidInput('key', `must be at most ${MAX_KEY_LENGTH} characters`);
  return key;
}

/**
 * Runs a money-moving operation keyed by `key` (its main transfer's id):
 * - a key already used returns the stored result, whatever state changed since (a retried
 *   interaction is answered, never charged twice, and not counted against the rate limit);
 * - a guarded state change that lost a race (CONCURRENT_UPDATE) is recomputed and retried;
 * - a racing duplicate of the same key ends up returning the winner's result.
 */
export async function runKeyed<R>(
  ctx: TenantContext,
  key: string,
  attempt: () => Promise<R>,
  rebuild: (stored: StoredTransfer[]) => R | Promise<R>,
  /** The member whose rate limit a new (not replayed) operation counts against. */
  member?: string,
): Promise<R> {
  const replay = await storedResult(ctx, key);
  if (replay) return rebuild(replay);
  if (member !== undefined) await ctx.limit(member);
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      // A racing call with the same key may have committed first; its guards (cooldown, stock) then
      // refuse this one. Whatever the refusal, a stored result under the key is the answer.
      if (isGuildmintError(error)) {
        const stored = await storedResult(ctx, key);
        if (stored) return rebuild(stored);
      }
      if (!isGuildmintError(error, ErrorCode.CONCURRENT_UPDATE) || i >= MAX_ATTEMPTS) throw error;
    }
  }
}

async function storedResult(ctx: TenantContext, key: string): Promise<StoredTransfer[] | undefined> {
  const [main] = await ctx.store.findTransfers(ctx.tenant, [key]);
  if (!main) return undefined;
  return main.batchId ? ctx.store.findBatch(ctx.tenant, main.batchId) : [main];
}
