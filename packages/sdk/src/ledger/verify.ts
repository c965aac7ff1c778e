import { isUserAccount } from './accounts.js';
import type { LedgerAudit } from './records.js';
import type { VerifyResult } from './types.js';

/** Checks the ledger invariants of one tenant from facts its store gathered. */
export function checkInvariants(audit: LedgerAudit): VerifyResult {
  const problems: string[] = [];
  const accounts = new Set([...audit.balances.keys(), ...audit.recomputed.keys()]);
  let total = 0n;
  for (const account of [...accounts].sort()) {
    const stored = audit.balances.get(account) ?? 0n;
    const recomputed = audit.recomputed.get(account) ?? 0n;
    total += stored;
    if (stored !== recomputed) {
      problems.push(`${account}: stored balance ${stored} but transfers add up to ${recomputed}`);
    }
    if (isUserAccount(account) && stored < 0n && !audit.forcedDebtors.has(account)) {
      problems.push(`${account}: user balance ${stored} is below zero without a forced reversal`);
    }
  }
  if (total !== 0n) problems.push(`balances sum to ${total}, not zero: money was created or destroyed`);
  for (const target of audit.badReversals)
    problems.push(`a reversal points at ${target}, which does not exist`);
  for (const bank of audit.unmarkedBanks)
    problems.push(
      `${bank}: its wallet's row does not mark the bank, so the analytics would miss its balance`,
    );
  return { ok: problems.length === 0, problems };
}
