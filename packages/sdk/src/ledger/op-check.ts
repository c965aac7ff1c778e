import { ErrorCode, GuildmintError, type ValidationError } from '../errors.js';
import { unstorableField } from '../text.js';
import { MAX_AMOUNT } from './amounts.js';
import type { AuditEntry, LedgerOp } from './records.js';

/**
 * The last check before an op reaches a store, whoever built it: public input is validated long before,
 * but an op the SDK builds itself (a reward floored to zero by a multiplier, a text field nobody checked)
 * must fail alone with a typed error, never as a CHECK violation or an encoding error from the driver.
 */
export function malformedOp(op: LedgerOp): GuildmintError | undefined {
  for (const [i, t] of op.transfers.entries()) {
    if (typeof t.amount !== 'bigint' || t.amount <= 0n || t.amount > MAX_AMOUNT) {
      return new GuildmintError(
        ErrorCode.INVALID_AMOUNT,
        `transfer ${t.id} would move ${String(t.amount)}: amounts must be from 1 to 2^63-1; nothing was written`,
      );
    }
    const texts = {
      id: t.id,
      from: t.from,
      to: t.to,
      code: t.code,
      metadata: t.metadata,
      reverses: t.reverses,
    };
    const bad = unstorableField(texts, `transfers[${i}]`);
    if (bad) return bad;
  }
  const batch = unstorableField({ batchId: op.batchId }, 'op');
  if (batch) return batch;
  for (const [i, e] of (op.effects ?? []).entries()) {
    const bad = unstorableField(
      { scope: e.scope, key: e.key, json: e.kind === 'set' ? e.json : null },
      `effects[${i}]`,
    );
    if (bad) return bad;
  }
  for (const [i, a] of (op.audit ?? []).entries()) {
    const bad = malformedAudit(a, `audit[${i}]`);
    if (bad) return bad;
  }
  return undefined;
}

/** The text fields of an audit entry, checked as `malformedOp` checks an op's. */
export function malformedAudit(entry: AuditEntry, path = 'audit'): ValidationError | undefined {
  const { id, actor, action, target, reason, details } = entry;
  return unstorableField({ id, actor, action, target, reason, details }, path);
}
