import { randomUUID } from 'node:crypto';
import { memberAccount } from '../context/member-account.js';
import type { TenantContext } from '../context/tenant-context.js';
import { ErrorCode, invalidInput, isGuildmintError } from '../errors.js';
import { assertAmount } from '../ledger/amounts.js';
import { reversalOf } from '../ledger/ledger.js';
import { canonicalMetadata } from '../ledger/normalize.js';
import type { AuditCursor, AuditEntry, StoredTransfer } from '../stores/types.js';
import { webhookEvent } from '../webhooks/events.js';
import { bindKey, keyedTransfers, keySpent, runKeyed, spendKey, spentKeyRow } from './keyed.js';
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
  const bound = bindKey(action, o.key, { userId, amount: amount.toString(), reason, actor });
  const { key } = bound;
  const code = `admin.${action}`;
  const [from, to] = action === 'grant' ? ['faucet:admin', account] : [account, 'sink:admin'];
  return runKeyed(ctx, bound, {
    attempt: async () => {
      const metadata = canonicalMetadata({ reason, actor });
      const audit = auditEntry(ctx, actor, action, account, reason, {
        amount: amount.toString(),
        transfer: key,
      });
      const stored = await commitTransfers(ctx, [newTransfer(key, from, to, amount, code, metadata)], {
        effects: [spendKey(bound)],
        audit: [audit],
        overrideFreeze: true,
      });
      return receiptOf(stored, false);
    },
    replay: async () => receiptOf(await keyedTransfers(ctx, key), true),
  });
}

/** Whether a member's wallet is frozen (it cannot send). */
export function isFrozen(ctx: TenantContext, userId: string): Promise<boolean> {
  return ctx.store.isFrozen(ctx.tenant, memberAccount(userId));
}

export async function freeze(
  ctx: TenantContext,
  userId: string,
  o: { reason: string; actor?: string; key?: string },
): Promise<void> {
  await setFrozen(ctx, userId, true, o);
}

export async function unfreeze(
  ctx: TenantContext,
  userId: string,
  o: { reason?: string; actor?: string; key?: string } = {},
): Promise<void> {
  await setFrozen(ctx, userId, false, { ...o, reason: o?.reason ?? 'unfrozen' });
}

/** Freezes or unfreezes with its audit entry, once per key: a replay writes no second audit entry. */
async function setFrozen(
  ctx: TenantContext,
  userId: string,
  frozen: boolean,
  o: { reason: string; actor?: string; key?: string },
): Promise<void> {
  const account = memberAccount(userId);
  const { reason, actor } = adminFields(o);
  const action = frozen ? 'freeze' : 'unfreeze';
  const bound = bindKey(action, o.key, { userId, reason, actor });
  await runKeyed(ctx, bound, {
    attempt: async () => {
      const audit = auditEntry(ctx, actor, action, account, reason, null);
      const applied = await ctx.store.setFrozen(ctx.tenant, account, frozen, audit, spentKeyRow(bound), [
        webhookEvent(ctx.tenant, frozen ? 'wallet.frozen' : 'wallet.unfrozen', audit.createdAt, {
          userId,
          reason,
          actor,
        }),
      ]);
      // Spent meanwhile by a racing call: runKeyed answers from the spent key.
      if (!applied) throw keySpent(bound);
    },
    replay: () => undefined,
  });
}

/** Transfers read per page while selecting a rollback's window. */
const ROLLBACK_PAGE = 500;
/** Selections tried when someone reverses one of the selected transfers before the rollback commits. */
const ROLLBACK_ATTEMPTS = 4;

/**
 * Undo every transfer into or out of a member's account since `since` (an exploit rollback):
 * each is reversed with force, so the member (or those they paid) may end in debt. Transfers
 * already reversed, reversals themselves and shop purchases are left alone (items stay bought; the
 * reversed income is the debt that pays for them). The reversals and the one audit entry that says
 * what happened commit in one transaction: a rollback is applied whole or not at all.
 */
export async function rollback(
  ctx: TenantContext,
  userId: string,
  o: { since: Date; reason: string; actor?: string; key?: string },
): Promise<{ reversed: number }> {
  const account = memberAccount(userId);
  if (!(o?.since instanceof Date) || Number.isNaN(o.since.getTime()))
    throw invalidInput('since', 'must be a valid Date');
  const { reason, actor } = adminFields(o);
  const bound = bindKey('rollback', o.key, { userId, since: o.since.toISOString(), reason, actor });
  return runKeyed(ctx, bound, {
    attempt: async () => {
      for (let attempt = 1; ; attempt++) {
        const { originals, skipped } = await rollbackTargets(ctx, account, o.since);
        const reversal = reversalOf(ctx.tenant, originals, { reason: `rollback: ${reason}`, force: true });
        const reversed = originals.length;
        const audit = auditEntry(ctx, actor, 'rollback', account, reason, {
          since: o.since.toISOString(),
          reversed,
          skipped,
        });
        try {
          const rolledBack = webhookEvent(ctx.tenant, 'member.rolled_back', audit.createdAt, {
            userId,
            since: o.since.toISOString(),
            reversed,
            reason,
          });
          await ctx.submit({
            ...reversal,
            effects: [spendKey(bound, { reversed })],
            audit: [audit],
            events: [rolledBack],
          });
          return { reversed };
        } catch (error) {
          // Someone reversed a selected transfer meanwhile: nothing was written; select again.
          if (!isGuildmintError(error, ErrorCode.ALREADY_REVERSED) || attempt >= ROLLBACK_ATTEMPTS)
            throw error;
        }
      }
    },
    replay: (spent) => ({ reversed: (spent.result as { reversed: number }).reversed }),
  });
}

/**
 * What a rollback reverses: every transfer touching `account` created at or after `since`, with the
 * rest of its batch, newest first (so the mirrors undo history backwards, through states that existed).
 * The window is read in the store's commit order, paged by its sequence, so transfers sharing a
 * millisecond or committed out of clock order are neither skipped nor read twice. `skipped`: those
 * already reversed.
 */
async function rollbackTargets(
  ctx: TenantContext,
  account: string,
  since: Date,
): Promise<{ originals: StoredTransfer[]; skipped: number }> {
  const candidates = new Map<string, StoredTransfer>();
  const batches = new Set<string>();
  let beforeSeq: bigint | undefined;
  for (;;) {
    const page = await ctx.store.listTransfers(ctx.tenant, {
      account,
      since,
      limit: ROLLBACK_PAGE,
      ...(beforeSeq !== undefined && { beforeSeq }),
    });
    for (const transfer of page) {
      if (!transfer.batchId) candidates.set(transfer.id, transfer);
      else if (!batches.has(transfer.batchId)) {
        batches.add(transfer.batchId);
        const members = await ctx.store.findBatch(ctx.tenant, transfer.batchId);
        for (const member of members.reverse()) candidates.set(member.id, member);
      }
    }
    if (page.length < ROLLBACK_PAGE) break;
    beforeSeq = page[page.length - 1]!.seq;
  }
  // Purchases are not refunded: the exploiter keeps what they bought, and the reversed income
  // leaves them in debt for it. (Reversing a purchase would hand the coins back on top.)
  const reversible = [...candidates.values()].filter((t) => t.reverses === null && t.code !== 'sink.shop');
  const reversed = await ctx.store.findReversed(
    ctx.tenant,
    reversible.map((t) => t.id),
  );
  return { originals: reversible.filter((t) => !reversed.has(t.id)), skipped: reversed.size };
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
  const rows = await ctx.store.listAudit(ctx.tenant, { limit, ...(before !== undefined && { before }) });
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

/** An audit log entry written now by `actor`. */
export function auditEntry(
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
