import { ErrorCode, GuildmintError, RetryLaterError } from '../errors.js';
import { BANK_SUFFIX, heldAccounts, isUserAccount, walletOf } from './accounts.js';
import { isWithinBalanceRange } from './amounts.js';
import { sameContent } from './normalize.js';
import { malformedOp } from './op-check.js';
import {
  type AuditEntry,
  type EffectFailure,
  type FlowRow,
  type LedgerOp,
  type OutboxEvent,
  type StateEffect,
  type StateRow,
  type StoredTransfer,
  scopedKey,
} from './records.js';
import { isWallet, type RollupRow, RollupSums } from './rollups.js';
import { rollupsKept } from './rollups-switch.js';

export interface AccountState {
  balance: bigint;
  frozen: boolean;
}

/**
 * What a store read (and, on PostgreSQL, locked) inside its transaction before planning.
 * Every user account an op touches must be in `accounts` (balance 0 when it has no row yet);
 * an account missing from it is a system account whose balance the store does not check here.
 */
export interface GroupState {
  accounts: Map<string, AccountState>;
  existing: Map<string, StoredTransfer>;
  reversed: Set<string>;
  /** State rows the ops' effects name, keyed by `stateKey`; a missing entry means no row yet. */
  state: Map<string, StateRow>;
  /**
   * When each user account the ops name (and every account of their members) last moved (`scopedKey`),
   * as its row says; a missing entry: no row; null: never moved (a new member). Only the analytics
   * rollups read it.
   */
  activeAt: Map<string, Date | null>;
}

export function stateKey(tenant: string, scope: string, key: string): string {
  return scopedKey(tenant, `${scope}\u0000${key}`);
}

export interface StateWrite {
  tenant: string;
  scope: string;
  key: string;
  row: StateRow;
  /** Whether the row existed when the transaction read it: update it, else insert it. */
  existed: boolean;
}

export type OpOutcome =
  | { ok: true; transfers: StoredTransfer[]; replay: boolean }
  | { ok: false; error: GuildmintError };

export interface BalanceDelta {
  tenant: string;
  account: string;
  delta: bigint;
  /**
   * A member account that had no row when the group read: the store inserts its row rather than upserting
   * it, so two groups creating it at once conflict and one is retried, and the activity rollups count the
   * new member once.
   */
  created: boolean;
  /**
   * Whether the account moved (its `active_at` becomes now). False only for the empty wallet row written
   * for a new member whose first move is into their bank: on PostgreSQL that row's insert is what makes a
   * group creating the member's wallet at the same time conflict, so the member enters the holdings once.
   */
  moved: boolean;
  /**
   * A wallet whose member's bank row this group creates: the store sets the wallet's bank marker, which says
   * the bank exists (PostgreSQL reads a member's bank only when it does). Never cleared: a bank row stays.
   */
  opensBank: boolean;
}

export interface GroupPlan {
  outcomes: OpOutcome[];
  inserts: StoredTransfer[];
  /** Net change per account over every accepted op, sorted by tenant then account (lock order). */
  deltas: BalanceDelta[];
  stateWrites: StateWrite[];
  audits: Array<AuditEntry & { tenant: string }>;
  /** Per-day flows of non-user accounts, and `users` for member-to-member volume. */
  flows: Array<FlowRow & { tenant: string }>;
  /** The analytics rollups of the accepted transfers (`ledger/rollups.ts`). */
  rollups: RollupRow[];
  /** The accepted ops' webhook events, for the outbox. */
  outbox: Array<OutboxEvent & { tenant: string }>;
}

/** The pseudo-account under which member-to-member volume is rolled up. */
export const USER_VOLUME_ACCOUNT = 'users';

/**
 * The money rules, applied op by op in order to a snapshot taken inside the store's transaction.
 * A rejected op changes nothing; the accepted ones become one set of inserts and balance deltas.
 */
export function planGroup(ops: readonly LedgerOp[], state: GroupState, now: Date): GroupPlan {
  const outcomes: OpOutcome[] = [];
  const inserts: StoredTransfer[] = [];
  const deltas = new Map<string, BalanceDelta>();
  const existedBefore = new Set(state.state.keys());
  const writes = new Map<string, StateWrite>();
  const audits: GroupPlan['audits'] = [];
  const flows = new Map<string, FlowRow & { tenant: string }>();
  const rollups = new RollupSums();
  const members: MovedMembers = { holders: new Map(), active: new Set() };
  const keepRollups = rollupsKept();
  // Balances before the group, for the holdings histogram (only the rollups read them).
  const before = keepRollups ? new Map(state.accounts) : state.accounts;
  const outbox: GroupPlan['outbox'] = [];
  // Every transfer of the group is created at `now`: one day for all of its flows.
  const day = now.toISOString().slice(0, 10);

  for (const op of ops) {
    const outcome = planOp(op, state, now);
    outcomes.push(outcome);
    if (!outcome.ok || outcome.replay) continue;
    for (const transfer of outcome.transfers) {
      inserts.push(transfer);
      state.existing.set(scopedKey(op.tenant, transfer.id), transfer);
      if (transfer.reverses) state.reversed.add(scopedKey(op.tenant, transfer.reverses));
      addDelta(deltas, state, op.tenant, transfer.from, -transfer.amount);
      addDelta(deltas, state, op.tenant, transfer.to, transfer.amount);
      addFlows(flows, op.tenant, day, transfer);
      if (!keepRollups) continue;
      rollups.addTransfer(transfer, op.timeZone ?? 'UTC');
      noteMember(members, rollups, state, op, transfer.from, now);
      noteMember(members, rollups, state, op, transfer.to, now);
    }
    for (const effect of op.effects ?? []) {
      const key = stateKey(op.tenant, effect.scope, effect.key);
      const row = state.state.get(key)!;
      writes.set(key, {
        tenant: op.tenant,
        scope: effect.scope,
        key: effect.key,
        row,
        existed: existedBefore.has(key),
      });
    }
    for (const entry of op.audit ?? []) audits.push({ ...entry, tenant: op.tenant });
    for (const event of op.events ?? []) outbox.push({ ...event, tenant: op.tenant });
  }

  for (const [walletKey, { tenant, wallet }] of members.holders) {
    planHolding(rollups, deltas, state, before, tenant, wallet, walletKey);
  }
  markOpenedBanks(deltas, state);

  // A member's row is written even when its net change is zero: its `active_at` is what the next
  // group's activity rollups compare with.
  const sorted = [...deltas.values()]
    .filter((d) => d.delta !== 0n || isUserAccount(d.account))
    .sort((a, b) => compare(a.tenant, b.tenant) || compare(a.account, b.account));
  return {
    outcomes,
    inserts,
    deltas: sorted,
    stateWrites: [...writes.values()],
    audits,
    flows: [...flows.values()],
    rollups: rollups.values(),
    outbox,
  };
}

/** The members a group moved, each once. */
interface MovedMembers {
  /** Members whose holding may have changed, by their wallet's `scopedKey`. */
  holders: Map<string, { tenant: string; wallet: string }>;
  /** Wallets (`scopedKey`) already counted in the activity rollups. */
  active: Set<string>;
}

/** A transfer's account, if a member's: their holding to re-bucket, and their wallet's activity once. */
function noteMember(
  members: MovedMembers,
  rollups: RollupSums,
  state: GroupState,
  op: LedgerOp,
  account: string,
  now: Date,
): void {
  if (!isUserAccount(account)) return;
  const key = scopedKey(op.tenant, account);
  const wallet = walletOf(account);
  const walletKey = wallet === account ? key : scopedKey(op.tenant, wallet);
  if (!members.holders.has(walletKey)) members.holders.set(walletKey, { tenant: op.tenant, wallet });
  if (!isWallet(account) || members.active.has(key)) return;
  members.active.add(key);
  rollups.addActivity(op.tenant, op.timeZone ?? 'UTC', state.activeAt.get(key) ?? null, now);
}

/** A member's move in the holdings histogram (see `RollupMetric.holdings`), and their empty wallet row if needed. */
function planHolding(
  rollups: RollupSums,
  deltas: Map<string, BalanceDelta>,
  state: GroupState,
  before: ReadonlyMap<string, AccountState>,
  tenant: string,
  wallet: string,
  walletKey: string,
): void {
  let held = 0n;
  let heldBefore = 0n;
  let known = false;
  for (const account of heldAccounts(wallet)) {
    const key = account === wallet ? walletKey : scopedKey(tenant, account);
    held += state.accounts.get(key)?.balance ?? 0n;
    heldBefore += before.get(key)?.balance ?? 0n;
    known ||= (state.activeAt.get(key) ?? null) !== null;
  }
  rollups.addHolding(tenant, known ? heldBefore : null, held);
  if (!known && isWallet(wallet) && !state.activeAt.has(walletKey) && !deltas.has(walletKey)) {
    deltas.set(walletKey, {
      tenant,
      account: wallet,
      delta: 0n,
      created: true,
      moved: false,
      opensBank: false,
    });
  }
}

/**
 * A member's new bank row sets the bank marker on their wallet row (`BalanceDelta.opensBank`); a wallet the
 * group does not move is written with no move (and created empty if it has no row yet).
 */
function markOpenedBanks(deltas: Map<string, BalanceDelta>, state: GroupState): void {
  // The wallets added meanwhile are visited too, and skipped: they are not banks.
  for (const opened of deltas.values()) {
    if (!opened.created || !opened.account.endsWith(BANK_SUFFIX)) continue;
    const wallet = walletOf(opened.account);
    const key = scopedKey(opened.tenant, wallet);
    const entry = deltas.get(key);
    if (entry) entry.opensBank = true;
    else
      deltas.set(key, {
        tenant: opened.tenant,
        account: wallet,
        delta: 0n,
        created: !state.activeAt.has(key),
        moved: false,
        opensBank: true,
      });
  }
}

function planOp(op: LedgerOp, state: GroupState, now: Date): OpOutcome {
  const malformed = malformedOp(op);
  if (malformed) return { ok: false, error: malformed };
  const replay = findReplay(op, state);
  if (replay) return replay;

  const touched = new Map<string, AccountState>();
  const current = (account: string): AccountState | undefined => {
    const key = scopedKey(op.tenant, account);
    const seen = touched.get(key) ?? state.accounts.get(key);
    return seen && { ...seen };
  };

  for (const transfer of op.transfers) {
    if (transfer.reverses && state.reversed.has(scopedKey(op.tenant, transfer.reverses))) {
      return fail(ErrorCode.ALREADY_REVERSED, `transfer ${transfer.reverses} has already been reversed`);
    }
    const from = current(transfer.from);
    const to = current(transfer.to);
    if (isUserAccount(transfer.from) && !from) {
      throw new Error(`store did not load user account ${transfer.from}`);
    }
    if (from) {
      if (from.frozen && isUserAccount(transfer.from) && transfer.reverses === null && !op.overrideFreeze) {
        return fail(ErrorCode.ACCOUNT_FROZEN, `account ${transfer.from} is frozen and cannot send money`);
      }
      const after = from.balance - transfer.amount;
      if (after < 0n && isUserAccount(transfer.from) && !transfer.forced) {
        return fail(
          ErrorCode.INSUFFICIENT_FUNDS,
          `account ${transfer.from} has ${from.balance}, not enough to send ${transfer.amount}`,
        );
      }
      if (!isWithinBalanceRange(after)) {
        return fail(ErrorCode.AMOUNT_OVERFLOW, `account ${transfer.from} would go beyond the 64-bit limit`);
      }
      touched.set(scopedKey(op.tenant, transfer.from), { ...from, balance: after });
    }
    if (to) {
      const after = to.balance + transfer.amount;
      if (!isWithinBalanceRange(after)) {
        return fail(ErrorCode.AMOUNT_OVERFLOW, `account ${transfer.to} would hold more than 2^63-1`);
      }
      touched.set(scopedKey(op.tenant, transfer.to), { ...to, balance: after });
    }
  }

  const rows = applyEffects(op, state);
  if (!(rows instanceof Map)) return rows;
  for (const [key, value] of touched) state.accounts.set(key, value);
  for (const [key, row] of rows) state.state.set(key, row);
  const transfers = op.transfers.map((t) => ({
    ...t,
    tenant: op.tenant,
    batchId: op.batchId,
    createdAt: now,
  }));
  return { ok: true, transfers, replay: false };
}

/** Applies an op's guarded state changes to a scratch copy; the first failed guard fails the op. */
function applyEffects(op: LedgerOp, state: GroupState): Map<string, StateRow> | OpOutcome {
  const rows = new Map<string, StateRow>();
  for (const effect of op.effects ?? []) {
    const key = stateKey(op.tenant, effect.scope, effect.key);
    const current = rows.get(key) ?? state.state.get(key);
    const next = applyEffect(effect, current);
    if (!next) return { ok: false, error: failure(effect.fail) };
    rows.set(key, next);
  }
  return rows;
}

function applyEffect(effect: StateEffect, current: StateRow | undefined): StateRow | undefined {
  const value = current?.value ?? 0n;
  const version = (current?.version ?? 0n) + 1n;
  const json = current?.json ?? null;
  if (effect.kind === 'add') {
    const after = value + effect.delta;
    if (effect.min !== undefined && after < effect.min) return undefined;
    if (effect.max !== undefined && after > effect.max) return undefined;
    return { value: after, json, version };
  }
  if (effect.atMost !== undefined && current !== undefined && current.value > effect.atMost) return undefined;
  if (effect.version !== undefined && (current?.version ?? 0n) !== effect.version) return undefined;
  return { value: effect.value, json: effect.json === undefined ? json : effect.json, version };
}

function failure(fail: EffectFailure): GuildmintError {
  if (fail.retryAt && (fail.code === ErrorCode.COOLDOWN || fail.code === ErrorCode.RATE_LIMITED)) {
    return new RetryLaterError(fail.code, fail.message, fail.retryAt);
  }
  return new GuildmintError(fail.code, fail.message);
}

function addFlows(
  flows: Map<string, FlowRow & { tenant: string }>,
  tenant: string,
  day: string,
  t: StoredTransfer,
): void {
  const bump = (account: string, credit: bigint, debit: bigint) => {
    const key = `${tenant}\u0000${day}\u0000${account}`;
    const row = flows.get(key) ?? { tenant, day, account, credit: 0n, debit: 0n, count: 0n };
    row.credit += credit;
    row.debit += debit;
    row.count += 1n;
    flows.set(key, row);
  };
  const fromUser = isUserAccount(t.from);
  const toUser = isUserAccount(t.to);
  if (fromUser && toUser) bump(USER_VOLUME_ACCOUNT, t.amount, 0n);
  if (!fromUser) bump(t.from, 0n, t.amount);
  if (!toUser) bump(t.to, t.amount, 0n);
}

/** Same ids and same content as what is stored → the stored result; any mismatch (or an op with effects) → conflict. */
function findReplay(op: LedgerOp, state: GroupState): OpOutcome | undefined {
  const stored = op.transfers.map((t) => state.existing.get(scopedKey(op.tenant, t.id)));
  const found = stored.filter((s): s is StoredTransfer => s !== undefined);
  if (found.length === 0) return undefined;
  // An op with state effects (an economy operation, which spends its key in them) is answered by its
  // key, never here: a silent replay would look to its caller like a new commit.
  const identical =
    (op.effects?.length ?? 0) === 0 &&
    found.length === op.transfers.length &&
    op.transfers.every((t, i) => sameContent(t, stored[i]!) && stored[i]!.batchId === op.batchId);
  if (identical) return { ok: true, transfers: found, replay: true };
  const clash = op.transfers.find((_, i) => stored[i] !== undefined)!;
  return fail(
    ErrorCode.IDEMPOTENCY_CONFLICT,
    `transfer id ${clash.id} was already used for a different transfer; use a new id for a new transfer`,
  );
}

function fail(code: ErrorCode, message: string): OpOutcome {
  return { ok: false, error: new GuildmintError(code, message) };
}

function addDelta(
  deltas: Map<string, BalanceDelta>,
  state: GroupState,
  tenant: string,
  account: string,
  delta: bigint,
): void {
  const key = scopedKey(tenant, account);
  const entry = deltas.get(key);
  if (entry) entry.delta += delta;
  else
    deltas.set(key, {
      tenant,
      account,
      delta,
      created: isUserAccount(account) && !state.activeAt.has(key),
      moved: true,
      opensBank: false,
    });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
