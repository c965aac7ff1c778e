import { bankAccount, memberAccount } from '../context/member-account.js';
import type { TenantContext } from '../context/tenant-context.js';
import { invalidInput } from '../errors.js';
import { assertAmount } from '../ledger/amounts.js';
import { toPublic } from '../ledger/ledger.js';
import { canonicalMetadata, derivedId, type NewTransfer } from '../ledger/normalize.js';
import type { Transfer } from '../ledger/types.js';
import type { StoredTransfer } from '../stores/types.js';
import { auditEntry } from './admin.js';
import { bindKey, keyedTransfers, runKeyed, spendKey } from './keyed.js';
import { commitTransfers, newTransfer } from './receipt.js';

/** Where imported balances come from: new currency in this economy, counted as minted like any faucet. */
const IMPORT_FAUCET = 'faucet:import';
const IMPORT_CODE = 'faucet.import';
const SOURCE_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,31}$/;

/** A member's balance brought over from another bot or a file: what lands in the wallet and in the bank. */
export interface ImportBalanceInput {
  wallet: bigint;
  bank: bigint;
  /** Where it comes from (`unbelievaboat`, `csv`): part of the audit entry and of what the key is bound to. */
  source: string;
  /** Once-only per key: an importer derives it from the source and the member, so a re-run changes nothing. */
  key?: string;
  /** Who ran the import (a Discord user id, `cli`); default `system`. Not part of what the key is bound to. */
  actor?: string;
}

export interface ImportReceipt {
  /** The operation's key: the id of its first transfer. */
  id: string;
  wallet: bigint;
  bank: bigint;
  transfers: Transfer[];
  replayed: boolean;
}

/**
 * Credits an imported balance from `faucet:import`: the wallet part to `user:<id>`, the bank part to
 * `user:<id>.bank`, both in one batch with an audit entry (action `import`). The key is bound to the
 * member, both amounts and the source: the same key again answers the first receipt (`replayed`), the
 * same key with other amounts is IDEMPOTENCY_CONFLICT and changes nothing.
 */
export function importBalance(
  ctx: TenantContext,
  userId: string,
  input: ImportBalanceInput,
): Promise<ImportReceipt> {
  const wallet = memberAccount(userId);
  const { source } = input ?? {};
  if (typeof source !== 'string' || !SOURCE_PATTERN.test(source))
    throw invalidInput(
      'source',
      'must be 1-32 characters of a-z 0-9 _ . - (such as "unbelievaboat" or "csv")',
    );
  for (const part of ['wallet', 'bank'] as const) {
    if (input[part] !== 0n) assertAmount(input[part], part);
  }
  if (input.wallet === 0n && input.bank === 0n) throw invalidInput('wallet', 'wallet and bank are both zero');
  const actor = input.actor ?? 'system';
  if (typeof actor !== 'string' || actor.length === 0 || actor.length > 100)
    throw invalidInput('actor', 'must be 1-100 characters');
  const bound = bindKey('import', input.key, {
    userId,
    wallet: input.wallet.toString(),
    bank: input.bank.toString(),
    source,
  });
  const receipt = (stored: StoredTransfer[], replayed: boolean): ImportReceipt => ({
    id: bound.key,
    wallet: input.wallet,
    bank: input.bank,
    transfers: stored.map(toPublic),
    replayed,
  });
  return runKeyed(ctx, bound, {
    attempt: async () => {
      const metadata = canonicalMetadata({ source, actor });
      const transfers: NewTransfer[] = [];
      if (input.wallet > 0n)
        transfers.push(newTransfer(bound.key, IMPORT_FAUCET, wallet, input.wallet, IMPORT_CODE, metadata));
      if (input.bank > 0n) {
        const id = transfers.length === 0 ? bound.key : derivedId(bound.key, 'bank');
        transfers.push(
          newTransfer(id, IMPORT_FAUCET, bankAccount(userId), input.bank, IMPORT_CODE, metadata),
        );
      }
      const audit = auditEntry(ctx, actor, 'import', wallet, `imported from ${source}`, {
        wallet: input.wallet.toString(),
        bank: input.bank.toString(),
        source,
        transfer: bound.key,
      });
      const stored = await commitTransfers(ctx, transfers, {
        effects: [spendKey(bound)],
        audit: [audit],
        overrideFreeze: true,
      });
      return receipt(stored, false);
    },
    replay: async () => receipt(await keyedTransfers(ctx, bound.key), true),
  });
}
