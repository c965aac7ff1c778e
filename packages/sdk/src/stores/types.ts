import type { LedgerStore } from '../ledger/ledger-store.js';
import type { AuditEntry, FlowRow, OutboxEvent, StateRow } from '../ledger/records.js';
import type { RollupMetric, RollupRow } from '../ledger/rollups.js';
import type { MemberCensus, ProfiledRankedMember, RankedMember, RankOrder } from './member-ranks-sql.js';
import type { OutboxStore } from './outbox.js';

// Re-exported for the primitives (`economy/`, `policy/`), which name them with the store they call.
export type {
  AuditEntry,
  EffectFailure,
  FlowRow,
  LedgerAudit,
  LedgerOp,
  ListedTransfer,
  ListQuery,
  OutboxEvent,
  StateEffect,
  StateRow,
  StoredTransfer,
} from '../ledger/records.js';

/** A state row that may be created only once (value 0, version 1): an idempotency key being spent. */
export interface OnceRow {
  scope: string;
  key: string;
  json: string;
}

/** Names one state row of a tenant. */
export interface StateRef {
  scope: string;
  key: string;
}

/** The key under which `readStates` returns a row. */
export function stateRef(scope: string, key: string): string {
  return `${scope}\u0000${key}`;
}

/** Committed rows of one scope, keyed by their key (see `Store.readStates`). */
export async function readScope(
  store: Pick<Store, 'readStates'>,
  tenant: string,
  scope: string,
  keys: readonly string[],
): Promise<Map<string, StateRow>> {
  const found = await store.readStates(
    tenant,
    keys.map((key) => ({ scope, key })),
  );
  const rows = new Map<string, StateRow>();
  for (const key of keys) {
    const row = found.get(stateRef(scope, key));
    if (row) rows.set(key, row);
  }
  return rows;
}

/**
 * A page boundary in the audit log: a moment (entries strictly older), or an entry (entries written
 * before it, in commit order). An entry's place is exact, so entries sharing a millisecond are never
 * skipped between pages, as they are when a page is cut at a moment.
 */
export type AuditCursor = Date | { id: string };

/** A rollup row of one tenant as stored, its slots summed. */
export type StoredRollup = Omit<RollupRow, 'tenant'>;

/** Rollup rows of these metrics with `from <= bucket < to` (hours since the epoch). */
export interface RollupQuery {
  from: number;
  to: number;
  metrics: readonly RollupMetric[];
  /** false: one row per hour and metric, its keys summed (key ''): far fewer rows where keys do not matter. */
  perKey?: boolean;
}

/** A range of rollup buckets `[from, to)` read and summed under `at` (`readRollupCuts`). */
export interface RollupCut {
  from: number;
  to: number;
  at: number;
}

/**
 * How `readRollupPeriods` groups hours into periods (local days) in SQL: an hour goes to the first
 * branch whose `end` it is below, as period `(bucket · scale + shift) ÷ 24` (truncated); hours at or
 * past the last branch's end go to period `after`. At most `ROLLUP_PERIOD_BRANCHES` branches.
 */
export interface RollupPeriods {
  branches: ReadonlyArray<{ end: number; scale: 0 | 1; shift: number }>;
  after: number;
}

/** What Discord last said about a member. */
export interface MemberProfile {
  userId: string;
  name: string;
  avatar: string | null;
}

/** A member's profile to record, as one of several recorded in one transaction. */
export interface MemberProfileWrite {
  tenant: string;
  profile: MemberProfile;
  now: Date;
}

/** One page of members (wallets with a balance row; bank accounts are not members), by account, with what Discord said of them. */
export interface MemberQuery {
  /** Lower-cased text the name contains, or the user id starts with; LIKE wildcards are taken literally. */
  search?: string;
  /** Only accounts after this one. */
  after?: string;
  limit: number;
}

export interface ListedMember {
  account: string;
  balance: bigint;
  profile: (MemberProfile & { updatedAt: Date }) | null;
}

export interface ConfigChange {
  tenant: string;
  version: number;
}

/**
 * A ledger store. Two implementations (libSQL and PostgreSQL) pass one conformance suite.
 * Stores hold no money rules: those live in `ledger/plan.ts`, applied inside each store's transaction.
 */
export interface Store extends LedgerStore, OutboxStore {
  readonly kind: 'libsql' | 'postgres';
  /** Create or upgrade tables; safe to call repeatedly and from several processes at once. */
  migrate(): Promise<void>;
  /** Which of these transfer ids have been reversed. */
  findReversed(tenant: string, ids: readonly string[]): Promise<Set<string>>;
  /**
   * Freeze or unfreeze a user account (a frozen account cannot send), with its audit entry, creating
   * the `once` state row in the same transaction. When that row exists already (its key was spent)
   * nothing is written and the result is false.
   */
  setFrozen(
    tenant: string,
    account: string,
    frozen: boolean,
    audit: AuditEntry,
    once: OnceRow,
    /** Webhook events for the outbox, written in the same transaction (only when applied). */
    events?: readonly OutboxEvent[],
  ): Promise<boolean>;
  /**
   * Committed state rows of several scopes in one read (no lock: for reading ahead of a write, which
   * re-checks under guard), keyed by `stateRef(scope, key)`; a missing entry means no row. Concurrent
   * callers' reads may share one statement. One scope's rows by key: `readScope`.
   */
  readStates(tenant: string, refs: readonly StateRef[]): Promise<Map<string, StateRow>>;
  /** Rows of one scope whose key starts with a prefix (inventories). */
  scanState(tenant: string, scope: string, prefix: string): Promise<Array<StateRow & { key: string }>>;
  /** Newest first (commit order); see `AuditCursor` for `before`. */
  listAudit(tenant: string, query: { limit: number; before?: AuditCursor }): Promise<AuditEntry[]>;
  /** Flow rows from `sinceDay` (YYYY-MM-DD, UTC) on. */
  flows(tenant: string, sinceDay: string): Promise<FlowRow[]>;
  /** User balances, largest first. */
  topBalances(tenant: string, limit: number): Promise<Array<{ account: string; balance: bigint }>>;
  /** Every user balance (stats: supply, Gini) and when it last moved. */
  userBalances(tenant: string): Promise<Array<{ account: string; balance: bigint; activeAt: Date | null }>>;
  /** Members (wallet and bank folded) with something there, largest first, ties by id; sorted by the database. */
  rankedMembers(tenant: string, by: RankOrder, limit: number): Promise<RankedMember[]>;
  /**
   * Members (wallet and bank folded) with something there, `limit` from place `offset + 1`, with their recorded
   * name and avatar, and how many are ranked in all (the public leaderboard's pages); sorted by the database.
   */
  rankedMembersPage(
    tenant: string,
    by: RankOrder,
    offset: number,
    limit: number,
  ): Promise<{ ranked: number; members: ProfiledRankedMember[] }>;
  /** Members (wallet and bank folded) by id after `after` ('' to start), `limit` at a time: exports page through it. */
  memberBalances(tenant: string, after: string, limit: number): Promise<RankedMember[]>;
  /** A member's place by `by` (1 = first; null when they hold nothing there) and how many are ranked. */
  memberRank(
    tenant: string,
    userId: string,
    by: RankOrder,
  ): Promise<{ place: number | null; ranked: number }>;
  /** How many members hold an account (counted in SQL) and whether `userId` is one: plan limits read it. */
  memberCensus(tenant: string, userId: string): Promise<MemberCensus>;
  /**
   * Store a new config version (the next number) and return it. With `basedOn`, only if the latest
   * version is still that one (0: none yet): otherwise nothing is written and the result is null.
   * `events` (config.published, naming version `basedOn + 1`, so they come with `basedOn`) go to the
   * outbox in the same transaction, only when the version is written.
   */
  putConfig(
    tenant: string,
    config: string,
    actor: string | null,
    basedOn?: number,
    events?: readonly OutboxEvent[],
  ): Promise<number | null>;
  /** The latest config (or the given version), if any. */
  getConfig(
    tenant: string,
    version?: number,
  ): Promise<{ version: number; config: string; createdAt: Date } | undefined>;
  /** The latest config version (0: none published yet), read from the key alone: a cached config's check. */
  latestConfigVersion(tenant: string): Promise<number>;
  listConfigs(tenant: string): Promise<Array<{ version: number; actor: string | null; createdAt: Date }>>;
  /**
   * Hear about configs published by other processes (PostgreSQL: LISTEN/NOTIFY). Stores that cannot
   * (an embedded file) leave it out; readers then see a new version within the config cache's lifetime.
   * `live(true)` once listening (again: what was published before may have been missed), `live(false)`
   * when the connection drops: only while live may a reader trust its cached config until told.
   */
  watchConfigs?(listener: (change: ConfigChange) => void, live?: (listening: boolean) => void): () => void;
  isFrozen(tenant: string, account: string): Promise<boolean>;
  /** Sum of every member balance. */
  moneySupply(tenant: string): Promise<bigint>;
  /** Analytics rollups (write path: `ledger/rollups.ts`), slots summed. */
  readRollups(tenant: string, query: RollupQuery): Promise<StoredRollup[]>;
  /** `readRollups` grouped into periods in SQL (far fewer rows over long ranges); `bucket` holds the period. */
  readRollupPeriods(tenant: string, query: RollupQuery, periods: RollupPeriods): Promise<StoredRollup[]>;
  /** Rows of bucket ranges summed per range in SQL, each read through the key (`RollupCut`); `bucket` holds `at`. */
  readRollupCuts(
    tenant: string,
    query: Pick<RollupQuery, 'metrics' | 'perKey'>,
    cuts: readonly RollupCut[],
  ): Promise<StoredRollup[]>;
  /** Replace every rollup row of a tenant in one transaction (the rebuild's repair). */
  replaceRollups(tenant: string, rows: readonly StoredRollup[]): Promise<void>;
  /** Store a member's name and avatar; false (nothing written) when they are what is stored already. */
  recordMemberProfile(tenant: string, profile: MemberProfile, now: Date): Promise<boolean>;
  listMembers(tenant: string, query: MemberQuery): Promise<ListedMember[]>;
  /** Wait for queued writes, then release connections. */
  close(): Promise<void>;
}
