import type { ErrorCode } from '../errors.js';
import type { NewTransfer } from './normalize.js';

// The records the ledger hands a store and gets back. They live here, below the stores, so that
// `stores/` depends on `ledger/` and never the other way round.

/** Why a guarded state change refused, as the caller should hear it. */
export interface EffectFailure {
  code: ErrorCode;
  message: string;
  retryAt?: Date;
}

/**
 * A change to per-tenant state (`gm_state`) committed in the same transaction as the op's transfers,
 * and only if every guard holds: cooldowns, stock, caps, inventories, streaks, game rounds, seeds.
 */
export type StateEffect =
  | {
      kind: 'add';
      scope: string;
      key: string;
      delta: bigint;
      /** The value after adding must stay within [min, max]. */
      min?: bigint;
      max?: bigint;
      fail: EffectFailure;
    }
  | {
      kind: 'set';
      scope: string;
      key: string;
      value: bigint;
      /** New JSON document; absent keeps the current one. */
      json?: string | null;
      /** The current value must be at most this (a cooldown: last claim ≤ now − cooldown). */
      atMost?: bigint;
      /** The current version must be exactly this (0: the row must not exist yet). */
      version?: bigint;
      /**
       * This row spends the op's idempotency key (created once: `version: 0n`). The op's transfers named
       * by the key (`isDerivedFrom(id, key)`) commit only with it, so while it does not exist neither do
       * they: a group's first attempt does not look them up (see `freshIds`). When it does exist, the op
       * fails (on this guard, or on whatever else refuses it first) and its caller answers from the key.
       */
      spendsKey?: true;
      fail: EffectFailure;
    };

export interface StateRow {
  value: bigint;
  json: string | null;
  version: bigint;
}

export interface AuditEntry {
  id: string;
  actor: string;
  action: string;
  target: string | null;
  reason: string | null;
  /** Canonical JSON of what changed. */
  details: string | null;
  createdAt: Date;
}

/**
 * A webhook event an op publishes if, and only if, it commits: one outbox row, written in the op's
 * transaction (see `webhooks/events.ts`, which builds them).
 */
export interface OutboxEvent {
  /** `msg_…`, unique: the `webhook-id` every delivery of it carries, and what receivers dedupe on. */
  id: string;
  type: string;
  /** The body sent: `{ type, timestamp, tenant, data }` as JSON, amounts as strings. */
  payload: string;
}

/** One unit of work for the write path: transfers, state changes and audit entries, all or none. */
export interface LedgerOp {
  tenant: string;
  transfers: NewTransfer[];
  /** null for a single transfer; shared by the transfers of a `transferAll` or a batch reversal. */
  batchId: string | null;
  effects?: StateEffect[];
  audit?: AuditEntry[];
  /** An admin action (revoke) may take from a frozen account; members' own sends may not. */
  overrideFreeze?: boolean;
  /** Webhook events published when the op commits (never for a refused op or a replay). */
  events?: OutboxEvent[];
  /** The tenant's time zone, whose local days the activity rollups count in (default UTC). */
  timeZone?: string;
  /**
   * Every transfer id of the op was generated for this call (the caller gave none), so none can be in
   * the ledger yet: a group's first attempt does not look them up. A retried group does (an attempt that
   * failed may have committed), and an id that exists after all fails its insert on the primary key,
   * which is transient: the retry finds it and replays.
   */
  freshIds?: boolean;
}

/** A transfer as stored: immutable once written. */
export interface StoredTransfer extends NewTransfer {
  tenant: string;
  batchId: string | null;
  createdAt: Date;
}

export interface ListedTransfer extends StoredTransfer {
  /** Commit order within the store; drives cursor pagination. */
  seq: bigint;
}

export interface FlowRow {
  day: string;
  account: string;
  credit: bigint;
  debit: bigint;
  count: bigint;
}

export interface ListQuery {
  account?: string;
  limit: number;
  /** Only transfers older than this position (exclusive). */
  beforeSeq?: bigint;
  /** Only transfers created at or after this time (a rollback's window), still in commit order. */
  since?: Date;
}

/** Raw facts about one tenant, from which `verify()` draws its conclusions. */
export interface LedgerAudit {
  /** Materialized balances (slots summed), by account. */
  balances: Map<string, bigint>;
  /** Credits minus debits recomputed from every transfer, by account. */
  recomputed: Map<string, bigint>;
  /** Accounts that a forced reversal was allowed to overdraw. */
  forcedDebtors: Set<string>;
  /** Reversal targets that do not exist, or are reversed more than once. */
  badReversals: string[];
  /** Bank accounts whose member's wallet row does not say the bank exists (the write path would not read them). */
  unmarkedBanks: string[];
  /** Rows per table (every table of `TENANT_TABLES`), for checks that a refused op left no trace. */
  tableRows: Record<string, number>;
}

/** Separator for composite in-memory keys; cannot appear in tenant ids, accounts or transfer ids. */
export function scopedKey(tenant: string, value: string): string {
  return `${tenant}\u0000${value}`;
}
