import { randomUUID } from 'node:crypto';
import { invalidInput } from '../errors.js';
import { assertStorableText } from '../text.js';
import { canonicalMetadata } from './normalize.js';
import type { AuditEntry } from './records.js';

/**
 * An audit-log entry asked for beside a ledger call (`ledger.transfer(t, { audit })`,
 * `ledger.reverse(id, { audit })`): written in the same transaction as the money, and only once.
 */
export interface AuditNote {
  /** Who acted: `stripe`, a user id, `system`. 1-100 characters. */
  actor: string;
  /** What happened, such as `purchase.refund`: a letter, then letters, digits, _ . : - (at most 64). */
  action: string;
  /** What it concerns; default: the account credited (for a reversal, the one the original credited). */
  target?: string;
  /** Default: the reversal's reason; none for a transfer. At most 500 characters. */
  reason?: string;
  /** Plain JSON object, such as the payment provider's ids. */
  details?: Record<string, unknown>;
}

const ACTION_PATTERN = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;

/** The audit entry for a note (INVALID_INPUT for a bad one), written at `now`. */
export function auditOf(
  note: AuditNote,
  target: string | null,
  reason: string | null,
  now: Date,
): AuditEntry {
  if (typeof note !== 'object' || note === null) throw invalidInput('audit', 'must be an object');
  text(note.actor, 'audit.actor', 100);
  if (typeof note.action !== 'string' || !ACTION_PATTERN.test(note.action))
    throw invalidInput('audit.action', 'must be a letter, then letters, digits, _ . : - (at most 64)');
  if (note.target !== undefined) text(note.target, 'audit.target', 200);
  if (note.reason !== undefined) text(note.reason, 'audit.reason', 500);
  return {
    id: randomUUID(),
    actor: note.actor,
    action: note.action,
    target: note.target ?? target,
    reason: note.reason ?? reason,
    details: note.details === undefined ? null : canonicalMetadata(note.details, 'audit.details'),
    createdAt: now,
  };
}

function text(value: unknown, path: string, max: number): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > max)
    throw invalidInput(path, `must be 1-${max} characters`);
  assertStorableText(value, path);
}
