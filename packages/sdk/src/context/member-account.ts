import { invalidInput } from '../errors.js';
import { parseAccount, userAccount } from '../ledger/accounts.js';

/** What the caller knows about a member (from Discord): needed for eligibility rules. */
export interface MemberContext {
  /** Role ids the member holds in the guild. */
  roles?: readonly string[];
  /** When the member joined the guild. */
  joinedAt?: Date;
}

/** `user:<id>` for a member id, or INVALID_ACCOUNT / INVALID_INPUT naming `path`. */
export function memberAccount(userId: unknown, path = 'userId'): string {
  if (typeof userId !== 'string') throw invalidInput(path, 'must be a member id string');
  const account = userAccount(userId);
  parseAccount(account, path);
  return account;
}

export function userIdOf(account: string): string {
  return account.slice('user:'.length);
}
