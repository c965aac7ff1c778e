import { ErrorCode, GuildmintError, invalidInput } from './errors.js';
import { parseAccount, userAccount } from './ledger/accounts.js';
import { type Ledger, TenantLedger } from './ledger/ledger.js';
import type { Lifecycle } from './lifecycle.js';
import type { Store } from './stores/types.js';

const TENANT_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** One economy, usually one Discord guild. Every operation goes through a tenant handle. */
export interface Tenant {
  readonly id: string;
  readonly ledger: Ledger;
  /** Stop a member's account from sending money (receiving still works; reversals still apply). */
  freeze(userId: string, o: { reason: string }): Promise<void>;
  unfreeze(userId: string): Promise<void>;
}

export function assertTenantId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || !TENANT_PATTERN.test(id)) {
    const shown = typeof id === 'string' ? JSON.stringify(id.slice(0, 80)) : typeof id;
    throw new GuildmintError(
      ErrorCode.TENANT_INVALID,
      `tenant id ${shown} is invalid: use 1-64 characters from A-Z a-z 0-9 _ -`,
    );
  }
}

export function createTenant(id: string, store: Store, lifecycle: Lifecycle): Tenant {
  assertTenantId(id);
  const setFrozen = async (userId: string, frozen: boolean) => {
    const account = userAccount(userId);
    parseAccount(account, 'userId');
    await lifecycle.run(() => store.setFrozen(id, account, frozen));
  };
  return Object.freeze({
    id,
    ledger: new TenantLedger(id, store, lifecycle),
    async freeze(userId: string, o: { reason: string }) {
      if (typeof o?.reason !== 'string' || o.reason.trim() === '') {
        throw invalidInput('reason', 'a freeze needs a reason');
      }
      await setFrozen(userId, true);
    },
    unfreeze: (userId: string) => setFrozen(userId, false),
  });
}
