import { ErrorCode, GuildmintError } from '../errors.js';

export const ACCOUNT_KINDS = ['user', 'faucet', 'sink', 'house', 'system'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

const ACCOUNT_PATTERN = /^(user|faucet|sink|house|system):([A-Za-z0-9_.-]{1,64})$/;

export interface ParsedAccount {
  kind: AccountKind;
  name: string;
}

/** Parses `kind:name`; anything else is `INVALID_ACCOUNT`. */
export function parseAccount(account: unknown, path = 'account'): ParsedAccount {
  if (typeof account !== 'string') {
    throw new GuildmintError(
      ErrorCode.INVALID_ACCOUNT,
      `${path} must be a string such as "user:123", got ${typeof account}`,
    );
  }
  const match = ACCOUNT_PATTERN.exec(account);
  if (!match) {
    const shown = account.length > 80 ? `${account.slice(0, 80)}…` : account;
    throw new GuildmintError(
      ErrorCode.INVALID_ACCOUNT,
      `${path} ${JSON.stringify(shown)} is not an account: use <kind>:<id> with kind one of ${ACCOUNT_KINDS.join(', ')} and an id of 1-64 characters from A-Z a-z 0-9 _ . -`,
    );
  }
  return { kind: match[1] as AccountKind, name: match[2]! };
}

/** User accounts may never go below zero; system accounts may. */
export function isUserAccount(account: string): boolean {
  return account.startsWith('user:');
}

export function userAccount(userId: string): string {
  return `user:${userId}`;
}

/**
 * A member's bank is a second user account, `user:<id>.bank`: a user account so the ledger keeps it at or
 * above zero and counts it in the money supply (it is the member's money), without a new account kind the
 * stores would have to learn. Member ids may therefore not end in this suffix.
 */
export const BANK_SUFFIX = '.bank';

/** The wallet of the member who holds a user account: a bank account's owner's wallet, or the wallet itself. */
export function walletOf(account: string): string {
  return account.endsWith(BANK_SUFFIX) ? account.slice(0, -BANK_SUFFIX.length) : account;
}

/** Every account whose `walletOf` is `wallet`: the wallet (unless it is itself a bank) and its bank. */
export function heldAccounts(wallet: string): string[] {
  const bank = `${wallet}${BANK_SUFFIX}`;
  return wallet.endsWith(BANK_SUFFIX) ? [bank] : [wallet, bank];
}
