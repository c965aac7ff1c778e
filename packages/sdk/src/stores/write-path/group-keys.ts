import { heldAccounts, isUserAccount, walletOf } from '../../ledger/accounts.js';
import { isDerivedFrom } from '../../ledger/normalize.js';
import { type GroupState, stateKey } from '../../ledger/plan.js';
import { type LedgerOp, scopedKey } from '../../ledger/records.js';
import { rollupsKept } from '../../ledger/rollups-switch.js';

/** A value (account, transfer id) of one tenant. */
export interface TenantValue {
  tenant: string;
  value: string;
}

export interface TenantStateKey {
  tenant: string;
  scope: string;
  key: string;
}

/**
 * Everything a group's ops name, each once: what a store must read (and on PostgreSQL lock) before
 * `planGroup` can apply the money rules. The order of the lists is the ops' order; a store that locks
 * imposes its own fixed lock order on them.
 */
export interface GroupKeys {
  /** User accounts the transfers name, and the wallet of each bank among them: locked on PostgreSQL. */
  users: TenantValue[];
  /**
   * The banks of the members the group moves that its transfers do not name: the holdings histogram needs
   * their balance if they exist. Never locked: every group that moves a bank names or locks its wallet, and
   * this group holds the wallet's lock. PostgreSQL reads only those whose wallet row has the bank marker.
   */
  banks: TenantValue[];
  /** System accounts: never locked, never checked against zero (they may go negative). */
  systemAccounts: TenantValue[];
  /** Ids that may be in the ledger already (replays, conflicts): not the fresh ones of a first attempt. */
  transferIds: TenantValue[];
  reversalTargets: TenantValue[];
  stateKeys: TenantStateKey[];
}

/** `retry`: an earlier attempt of this group failed, and may have committed: fresh ids are looked up too. */
export function collectGroupKeys(ops: readonly LedgerOp[], retry: boolean): GroupKeys {
  const users = new Map<string, TenantValue>();
  const system = new Map<string, TenantValue>();
  const ids = new Map<string, TenantValue>();
  const targets = new Map<string, TenantValue>();
  const stateKeys = new Map<string, TenantStateKey>();
  const banks = new Map<string, TenantValue>();
  const keepRollups = rollupsKept();
  for (const op of ops) {
    const tenant = op.tenant;
    const isNew = newIds(op, retry);
    for (const t of op.transfers) {
      for (const account of [t.from, t.to]) {
        if (!isUserAccount(account)) {
          system.set(scopedKey(tenant, account), { tenant, value: account });
          continue;
        }
        users.set(scopedKey(tenant, account), { tenant, value: account });
        // A bank's wallet always: a new bank sets the marker on its wallet's row. On PostgreSQL the lock on
        // the wallet keeps two groups from moving one member's accounts at once.
        const wallet = walletOf(account);
        if (wallet !== account) users.set(scopedKey(tenant, wallet), { tenant, value: wallet });
        // The holdings histogram needs the member's whole holding before and after.
        if (!keepRollups) continue;
        for (const held of heldAccounts(wallet)) {
          if (held !== wallet) banks.set(scopedKey(tenant, held), { tenant, value: held });
        }
      }
      if (!isNew(t.id)) ids.set(scopedKey(tenant, t.id), { tenant, value: t.id });
      if (t.reverses) targets.set(scopedKey(tenant, t.reverses), { tenant, value: t.reverses });
    }
    for (const e of op.effects ?? []) {
      stateKeys.set(stateKey(tenant, e.scope, e.key), { tenant, scope: e.scope, key: e.key });
    }
  }
  for (const key of users.keys()) banks.delete(key);
  return {
    users: [...users.values()],
    banks: [...banks.values()],
    systemAccounts: [...system.values()],
    transferIds: [...ids.values()],
    reversalTargets: [...targets.values()],
    stateKeys: [...stateKeys.values()],
  };
}

/**
 * Which of the op's transfer ids cannot be in the ledger yet, on a group's first attempt: all of them when
 * the SDK generated them (`LedgerOp.freshIds`), and those named by a key the op spends (`spendsKey`). A retry
 * looks every id up: an attempt that failed may have committed.
 */
function newIds(op: LedgerOp, retry: boolean): (id: string) => boolean {
  if (retry) return () => false;
  if (op.freshIds) return () => true;
  const keys: string[] = [];
  for (const effect of op.effects ?? []) {
    if (effect.kind === 'set' && effect.spendsKey) keys.push(effect.key);
  }
  return (id) => keys.some((key) => isDerivedFrom(id, key));
}

/**
 * The state before anything is read: every user the group names has balance 0 and is not frozen
 * until a row says otherwise (a user without a row has nothing yet; the balance write creates it).
 */
export function emptyGroupState(keys: GroupKeys): GroupState {
  const state: GroupState = {
    accounts: new Map(),
    existing: new Map(),
    reversed: new Set(),
    state: new Map(),
    activeAt: new Map(),
  };
  for (const { tenant, value } of keys.users) {
    state.accounts.set(scopedKey(tenant, value), { balance: 0n, frozen: false });
  }
  return state;
}
