import { ErrorCode, GuildmintError, invalidInput } from '../errors.js';
import { ACCOUNT_KINDS, BANK_SUFFIX, parseAccount, userAccount, walletOf } from '../ledger/accounts.js';

/** What the caller knows about a member (from Discord): needed for eligibility rules. */
export interface MemberContext {
  /** Role ids the member holds in the guild. */
  roles?: readonly string[];
  /** When the member joined the guild. */
  joinedAt?: Date;
}

/**
 * `user:<id>` for a member id, or INVALID_ACCOUNT / INVALID_INPUT naming `path`. An account name
 * (`user:42`) is refused, not read as the member `user:42`.
 */
export function memberAccount(userId: unknown, path = 'userId'): string {
  if (typeof userId !== 'string') throw invalidInput(path, 'must be a member id string');
  const kind = ACCOUNT_KINDS.find((k) => userId.startsWith(`${k}:`));
  if (kind !== undefined) {
    throw new GuildmintError(
      ErrorCode.INVALID_ACCOUNT,
      `${path} ${JSON.stringify(userId.slice(0, 80))} is an account name, not a member id: pass the member's id alone (${JSON.stringify(userId.slice(kind.length + 1, 80))}); the ledger's own calls take account names`,
    );
  }
  if (userId.endsWith(BANK_SUFFIX))
    throw invalidInput(path, `must not end in "${BANK_SUFFIX}" (bank accounts)`);
  const account = userAccount(userId);
  parseAccount(account, path);
  return account;
}

/** `user:<id>.bank`: where a member's banked coins are (the member id checked as `memberAccount` does). */
export function bankAccount(userId: string): string {
  return `${memberAccount(userId)}${BANK_SUFFIX}`;
}

/** Whose money a user account holds, and where: the wallet or the bank. */
export function holderOf(account: string): { userId: string; place: 'wallet' | 'bank' } {
  const wallet = walletOf(account);
  return { userId: userIdOf(wallet), place: wallet === account ? 'wallet' : 'bank' };
}

export function userIdOf(account: string): string {
  return account.slice('user:'.length);
}

/** User balance rows folded per member: a wallet and its bank are one member's money (stats, Gini). */
export function byMember<R extends { account: string; balance: bigint; activeAt: Date | null }>(
  rows: readonly R[],
): Array<{ userId: string; balance: bigint; activeAt: Date | null }> {
  const members = new Map<string, { userId: string; balance: bigint; activeAt: Date | null }>();
  for (const row of rows) {
    const { userId } = holderOf(row.account);
    const seen = members.get(userId);
    if (!seen) members.set(userId, { userId, balance: row.balance, activeAt: row.activeAt });
    else {
      seen.balance += row.balance;
      if (row.activeAt && (!seen.activeAt || row.activeAt > seen.activeAt)) seen.activeAt = row.activeAt;
    }
  }
  return [...members.values()];
}

/**
 * The member evidence (roles, join date) an operation was asked with, checked and in canonical form:
 * part of what its key is bound to, so a retry with other evidence is another request.
 */
export function memberEvidence(member: MemberContext | undefined, path = 'member'): unknown {
  if (member === undefined) return null;
  if (typeof member !== 'object' || member === null)
    throw invalidInput(path, 'must be { roles?, joinedAt? }');
  if (
    member.roles !== undefined &&
    !(Array.isArray(member.roles) && member.roles.every((r) => typeof r === 'string'))
  ) {
    throw invalidInput(`${path}.roles`, 'must be a list of role ids');
  }
  if (
    member.joinedAt !== undefined &&
    !(member.joinedAt instanceof Date && !Number.isNaN(member.joinedAt.getTime()))
  ) {
    throw invalidInput(`${path}.joinedAt`, 'must be a valid Date');
  }
  return {
    roles: member.roles === undefined ? null : [...member.roles].sort(),
    joinedAt: member.joinedAt === undefined ? null : member.joinedAt.getTime(),
  };
}
