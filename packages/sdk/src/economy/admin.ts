import { randomUUID } from 'node:crypto';
import { ErrorCode, GuildmintError, invalidInput } from '../errors.js';
import { assertAmount } from '../ledger/amounts.js';
import { canonicalMetadata } from '../ledger/normalize.js';
import type { AuditCursor, AuditEntry } from '../stores/types.js';
import type { TenantContext } from './context.js';
import { operationKey, runKeyed } from './keyed.js';
import { memberAccount } from './member.js';
import { reasonProblem } from './reason.js';
import { commitTransfers, newTransfer, type Receipt, receiptOf } from './receipt.js';

/** Who did an admin action and why: every admin action carries both into the audit log. */
export interface AdminOptions {
  reason: string;
  key?: string;
  /** Who acted (a Discord user id, an API key name); default `system`. */
  actor?: string;
}

export interface AuditLogEntry {
  id: string;
  actor: string;
  action: string;
  target: string | null;
  reason: string | null;
  details: Record<string, unknown> | null;
  createdAt: Date;
}

/** New coins for a member, from `faucet:admin`. */
export function grant(ctx: TenantContext, userId: string, amount: bigint, o: AdminOptions): Promise<Receipt> {
  return adminTransfer(ctx, 'grant', userId, amount, o);
}

/** Coins taken from a member, to `sink:admin`; never below zero. */
export function revoke(
  ctx: TenantContext,
  userId: string,
  amount: bigint,
  o: AdminOptions,
): Promise<Receipt> {
  return adminTransfer(ctx, 'revoke', userId, amount, o);
}

async function adminTransfer(
  ctx: TenantContext,
  action: 'grant' | 'revoke',
  userId: string,
  amount: bigint,
  o: AdminOptions,
): Promise<Receipt> {
  const account = memberAccount(userId);
  assertAmount(amount);
  const { reason, actor } = adminFields(o);
  const key = operationKey(o.key);
  const code = `admin.${action}`;
  const [from, to] = action === 'grant' ? ['faucet:admin', account] : [account, 'sink:admin'];
  return runKeyed(
    ctx,
    key,
    async () => {
      const metadata = canonicalMetadata({ reason, actor });
      const audit = auditEntry(ctx, actor, action, account, reason, {
        amount: amount.toString(),
        transfer: key,
      });
      const stored = await commitTransfers(ctx, [newTransfer(key, from, to, amount, code, metadata)], {
        audit: [audit],
        overrideFreeze: true,
      });
      return receiptOf(stored, false, code);
    },
    (stored) => receiptOf(stored, true, code),
  );
}

/** Whether a member's wallet is frozen (it cannot send). */
export function isFrozen(ctx: TenantContext, userId: string): Promise<boolean> {
  return ctx.store.isFrozen(ctx.tenant, memberAccount(userId));
}

export async function freeze(
  ctx: TenantContext,
  userId: string,
  o: { reason: string; actor?: string },
): Promise<void> {
  await setFrozen(ctx, userId, true, o);
}

export async function unfreeze(
  ctx: TenantContext,
  userId: string,
  o: { reason?: string; actor?: string } = {},
): Promise<void> {
  await setFrozen(ctx, userId, false, {
    reason: o.reason ?? 'unfrozen',
    ...(o.actor !== undefined && { actor: o.actor }),
  });
}

async function setFrozen(
  ctx: TenantContext,
  userId: string,
  frozen: boolean,
  o: { reason: string; actor?: string },
) {
  const account = memberAccount(userId);
  const { reason, actor } = adminFields(o);
  const audit = auditEntry(ctx, actor, frozen ? 'freeze' : 'unfreeze', account, reason, null);
  await ctx.lifecycle.run(() => ctx.store.setFrozen(ctx.tenant, account, frozen, audit));
}

/**
 * Undo every transfer into or out of a member's account since `since` (an exploit rollback):
 * each is reversed with force, so the member (or those they paid) may end in debt. Transfers
 * already reversed, reversals themselves and shop purchases are left alone (items stay bought; the
 * reversed income is the debt that pays for them). One audit entry says what happened.
 */
export async function rollback(
  ctx: TenantContext,
  userId: string,
  o: { since: Date; reason: string; actor?: string },
): Promise<{ reversed: number }> {
  const account = memberAccount(userId);
  if (!(o?.since instanceof Date) || Number.isNaN(o.since.getTime()))
    throw invalidInput('since', 'must be a valid Date');
  const { reason, actor } = adminFields(o);
  let reversed = 0;
  const skipped: string[] = [];
  for (const transfer of await transfersSince(ctx, account, o.since)) {
    try {
      await ctx.ledger.reverse(transfer.batchId ?? transfer.id, {
        reason: `rollback: ${reason}`,
        force: true,
      });
      reversed += transfer.batchId ? (await ctx.store.findBatch(ctx.tenant, transfer.batchId)).length : 1;
    } catch (error) {
      if (error instanceof GuildmintError && error.code === ErrorCode.ALREADY_REVERSED) {
        skipped.push(transfer.id);
        continue;
      }
      throw error;
    }
  }
  const audit = auditEntry(ctx, actor, 'rollback', account, reason, {
    since: o.since.toISOString(),
    reversed,
    skipped: skipped.length,
  });
  await ctx.submit({ transfers: [], batchId: null, audit: [audit] });
  return { reversed };
}

/** Transfers touching `account` created at or after `since`, oldest first, without reversals. */
async function transfersSince(ctx: TenantContext, account: string, since: Date) {
  const found = [];
  let cursor: string | undefined;
  outer: for (;;) {
    const page = await ctx.ledger.transfers({ account, limit: 500, ...(cursor && { cursor }) });
    for (const t of page.items) {
      if (t.createdAt < since) break outer;
      // Purchases are not refunded: the exploiter keeps what they bought, and the reversed income
      // leaves them in debt for it. (Reversing a purchase would hand the coins back on top.)
      if (t.reverses === undefined && t.code !== 'reversal' && t.code !== 'sink.shop') found.push(t);
    }
    if (!page.next) break;
    cursor = page.next;
  }
  const seenBatches = new Set<string>();
  return found.reverse().filter((t) => {
    if (!t.batchId) return true;
    if (seenBatches.has(t.batchId)) return false;
    seenBatches.add(t.batchId);
    return true;
  });
}

/**
 * Newest first, in commit order. `before`: the last entry of the previous page (anything with its
 * `id`), so entries sharing a millisecond are never skipped; a Date means "strictly older than this".
 */
export async function auditLog(
  ctx: TenantContext,
  q: { limit?: number; before?: AuditCursor } = {},
): Promise<AuditLogEntry[]> {
  const limit = q.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw invalidInput('limit', 'must be a whole number from 1 to 500');
  const before = q.before === undefined ? undefined : auditCursor(q.before);
  const rows = await ctx.lifecycle.run(() =>
    ctx.store.listAudit(ctx.tenant, { limit, ...(before !== undefined && { before }) }),
  );
  return rows.map((row) => ({
    ...row,
    details: row.details === null ? null : (JSON.parse(row.details) as Record<string, unknown>),
  }));
}

function auditCursor(before: AuditCursor): AuditCursor {
  if (before instanceof Date) {
    if (Number.isNaN(before.getTime())) throw invalidInput('before', 'must be a valid Date');
    return before;
  }
  const id = (before as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' || id.length === 0 || id.length > 128)
    throw invalidInput('before', 'must be a Date, or an audit entry (its id)');
  return { id };
}

function adminFields(o: { reason: string; actor?: string }): { reason: string; actor: string } {
  const problem = reasonProblem(o?.reason);
  if (problem !== null) throw invalidInput('reason', `every admin action needs a reason: it ${problem}`);
  const actor = o.actor ?? 'system';
  if (typeof actor !== 'string' || actor.length === 0 || actor.length > 100) {
    throw invalidInput('actor', 'must be 1-100 characters');
  }
  return { reason: o.reason, actor };
}

function auditEntry(
  ctx: TenantContext,
  actor: string,
  action: string,
  target: string,
  reason: string,
  details: Record<string, unknown> | null,
): AuditEntry {
  return {
    id: randomUUID(),
    actor,
    action,
    target,
    reason,
    details: details === null ? null : canonicalMetadata(details),
    createdAt: ctx.clock.now(),
  };
}
