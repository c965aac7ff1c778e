import type pg from 'pg';
import { isUserAccount, walletOf } from '../../ledger/accounts.js';
import { MAX_AMOUNT, MIN_BALANCE } from '../../ledger/amounts.js';
import { type GroupPlan, type GroupState, stateKey } from '../../ledger/plan.js';
import { type AuditEntry, scopedKey } from '../../ledger/records.js';
import { eventsRecorded } from '../outbox.js';
import { flag, instant, int64, type Row } from '../row-codecs.js';
import type { AsyncGroupAdapter } from '../write-path/commit-group.js';
import { emptyGroupState, type GroupKeys, type TenantValue } from '../write-path/group-keys.js';
import { TenantFencedError } from './fence.js';

export const MAX_SYSTEM_SLOTS = 16;

/**
 * The PostgreSQL half of the write path, inside one group's transaction: one statement locks the rows
 * the money rules check (and probes the fence), one reads the history they need (replays, reversals,
 * banks), one writes what they accepted: with BEGIN and COMMIT, five round trips a group whatever it
 * holds, four when there is no history to read: no id that may exist already (`LedgerOp.freshIds`, and
 * a key's ids while the key is unspent: `spendsKey`), no reversal, no bank.
 *
 * The existing user accounts and state rows a group names are locked in one fixed order (users, then
 * state rows, each sorted by key, SELECT … FOR UPDATE), so two groups never wait on each other in a
 * cycle. Rows that do not exist yet are not created up front: only the ops the money rules accept write
 * them, so a refused op leaves no row behind; two groups inserting the same new state row (or transfer
 * id) race on its primary key, and the loser is retried as transient. System accounts are not locked
 * (they may go negative) and are credited through per-slot deltas, as are the daily flow rollups.
 * The statements are named (prepared once per connection, not re-planned per group).
 */
export function postgresGroupAdapter(client: pg.PoolClient, slot: number): AsyncGroupAdapter {
  return {
    read: (keys) => readGroupState(client, keys),
    write: (plan, now) => writeGroup(client, plan, now, slot),
  };
}

// Rows read, tagged by `k`: u (a locked user, or a member's bank read unlocked under its wallet's lock, only
// when the locked wallet's `h` says it exists: see `GroupKeys.banks`), s (a locked state row), f (a fenced
// tenant), t (a transfer whose id the group uses: a replay or a conflict), r (a reversal target already
// reversed), in one shape for both reads.
// The fence is probed with the locks, in the transaction's first statement: a mover waits out every
// transaction open when it raised the fence (see fence.ts), so where in the transaction it is read does not
// matter, and a group with no history to read needs no second statement for it.
// The locks come first, in a statement of their own. A lock that waited for another group returns the
// row as that group committed it, while the rest of the statement would still see the snapshot from
// before it committed: a replay or a reversal it wrote would be missed and planned as new against the
// new balance. The history read that follows takes its snapshot after every lock is held.
// The locking CTEs are MATERIALIZED and read in this order: every user lock before any state lock.
const LOCK_GROUP = `WITH u AS MATERIALIZED (
    SELECT tenant_id, account, balance, frozen, active_at, has_bank FROM gm_balances
    WHERE slot = 0 AND (tenant_id, account) IN (SELECT * FROM unnest($1::text[], $2::text[]))
    ORDER BY tenant_id COLLATE "C", account COLLATE "C" FOR UPDATE
  ), s AS MATERIALIZED (
    SELECT tenant_id, scope, key, value, json, version FROM gm_state
    WHERE (tenant_id, scope, key) IN (SELECT * FROM unnest($3::text[], $4::text[], $5::text[]))
    ORDER BY tenant_id COLLATE "C", scope COLLATE "C", key COLLATE "C" FOR UPDATE
  )
  SELECT 'u' AS k, tenant_id, account AS a, NULL AS b, balance AS n, NULL::bigint AS v, frozen AS f,
         NULL AS batch_id, NULL AS from_account, NULL AS to_account, NULL AS code, NULL AS metadata,
         NULL AS reverses, active_at AS created_at, has_bank AS h FROM u
  UNION ALL
  SELECT 's', tenant_id, scope, key, value, version, NULL, NULL, NULL, NULL, NULL, json, NULL, NULL, NULL FROM s
  UNION ALL
  SELECT 'f', tenant_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  FROM gm_fences WHERE tenant_id = ANY($6::text[])`;

const READ_HISTORY = `SELECT 't' AS k, tenant_id, id AS a, NULL AS b, amount AS n, NULL::bigint AS v, forced AS f,
         batch_id, from_account, to_account, code, metadata, reverses, created_at
  FROM gm_transfers WHERE (tenant_id, id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
  UNION ALL
  SELECT 'r', tenant_id, reverses, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  FROM gm_transfers WHERE (tenant_id, reverses) IN (SELECT * FROM unnest($3::text[], $4::text[]))
  UNION ALL
  SELECT 'u', tenant_id, account, NULL, balance, NULL, frozen, NULL, NULL, NULL, NULL, NULL, NULL, active_at
  FROM gm_balances WHERE slot = 0 AND (tenant_id, account) IN (SELECT * FROM unnest($5::text[], $6::text[]))`;

async function readGroupState(client: pg.PoolClient, keys: GroupKeys): Promise<GroupState> {
  const state = emptyGroupState(keys);
  const { rows: locked } = await client.query<Row>({
    name: 'gm.lock-group',
    text: LOCK_GROUP,
    values: [
      ...unnestColumns(keys.users),
      keys.stateKeys.map((k) => k.tenant),
      keys.stateKeys.map((k) => k.scope),
      keys.stateKeys.map((k) => k.key),
      groupTenants(keys),
    ],
  });
  const fenced = locked.filter((row) => row.k === 'f').map((row) => row.tenant_id as string);
  if (fenced.length > 0) throw new TenantFencedError(fenced);
  const banks = markedBanks(keys, locked);
  const history =
    keys.transferIds.length + keys.reversalTargets.length + banks.length === 0
      ? []
      : (
          await client.query<Row>({
            name: 'gm.read-history',
            text: READ_HISTORY,
            values: [
              ...unnestColumns(keys.transferIds),
              ...unnestColumns(keys.reversalTargets),
              ...unnestColumns(banks),
            ],
          })
        ).rows;
  for (const row of [...locked, ...history]) {
    const tenant = row.tenant_id as string;
    const a = row.a as string;
    switch (row.k) {
      case 'u':
        state.accounts.set(scopedKey(tenant, a), { balance: int64(row.n), frozen: flag(row.f) });
        state.activeAt.set(scopedKey(tenant, a), row.created_at == null ? null : instant(row.created_at));
        break;
      case 's':
        // A row of version 0 (a placeholder written by earlier versions) plans exactly like a missing one.
        state.state.set(stateKey(tenant, a, row.b as string), {
          value: int64(row.n),
          json: (row.metadata as string | null) ?? null,
          version: int64(row.v),
        });
        break;
      case 't':
        state.existing.set(scopedKey(tenant, a), {
          tenant,
          id: a,
          batchId: (row.batch_id as string | null) ?? null,
          from: row.from_account as string,
          to: row.to_account as string,
          amount: int64(row.n),
          code: row.code as string,
          metadata: (row.metadata as string | null) ?? null,
          reverses: (row.reverses as string | null) ?? null,
          forced: flag(row.f),
          createdAt: instant(row.created_at),
        });
        break;
      case 'r':
        state.reversed.add(scopedKey(tenant, a));
        break;
      // 'f': a fenced tenant, refused above.
    }
  }
  return state;
}

/**
 * The banks the group needs that exist: those whose wallet, locked, has the bank marker. A wallet with no row
 * has no bank (a bank's first move writes its wallet's row), so the others are not probed for.
 */
function markedBanks(keys: GroupKeys, locked: Row[]): TenantValue[] {
  if (keys.banks.length === 0) return [];
  const marked = new Set<string>();
  for (const row of locked) {
    if (row.k === 'u' && row.h === true) marked.add(scopedKey(row.tenant_id as string, row.a as string));
  }
  return keys.banks.filter((b) => marked.has(scopedKey(b.tenant, walletOf(b.value))));
}

/** Tenant values as the two parallel arrays `unnest($n::text[], $m::text[])` takes. */
function unnestColumns(list: readonly TenantValue[]): [string[], string[]] {
  return [list.map((v) => v.tenant), list.map((v) => v.value)];
}

/** Every tenant a group names (the fence probe's keys). */
function groupTenants(keys: GroupKeys): string[] {
  const tenants = new Set<string>();
  for (const k of [...keys.users, ...keys.systemAccounts, ...keys.stateKeys, ...keys.transferIds]) {
    tenants.add(k.tenant);
  }
  return [...tenants];
}

// Every write of a group in one statement. A member's row that did not exist when the group read is
// inserted (\`created\`), not upserted: a concurrent group that created it first makes this one fail on the
// primary key and be retried, re-reading the row, so a new member is counted once by the activity rollups
// and the holdings histogram (a row that did not move, \`BalanceDelta.moved\`, is created with no
// active_at). Each part reads its own parameters and none reads another's rows, except the last: a system
// account's balance is the sum of its slots, which no single row's BIGINT guards, so the statement returns
// each touched system account whose slots (this one as written, the others as the statement found them)
// leave the 64-bit range; the caller fails the group like an overflow and the batcher isolates the op that
// did it. Flow and analytics rollups saturate instead: statistics, not money.
const WRITE_GROUP = `WITH transfers AS (
    INSERT INTO gm_transfers (tenant_id, id, batch_id, from_account, to_account, amount, code, metadata, reverses, forced, created_at)
    SELECT tenant_id, id, batch_id, from_account, to_account, amount, code, metadata, reverses, forced, $1
    FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[],
                $10::text[], $11::boolean[])
      WITH ORDINALITY AS t(tenant_id, id, batch_id, from_account, to_account, amount, code, metadata, reverses, forced, n)
    ORDER BY n
  ), created AS (
    INSERT INTO gm_balances (tenant_id, account, slot, balance, version, active_at, has_bank)
    SELECT tenant_id, account, slot, delta, 1, CASE WHEN moved THEN $1 END, opens_bank
    FROM unnest($12::text[], $13::text[], $14::smallint[], $15::bigint[], $44::boolean[], $49::boolean[],
                $50::boolean[])
      AS d(tenant_id, account, slot, delta, created, moved, opens_bank)
    WHERE created
    ORDER BY tenant_id, account, slot
  ), balances AS (
    INSERT INTO gm_balances (tenant_id, account, slot, balance, version, active_at, has_bank)
    SELECT tenant_id, account, slot, delta, 1, CASE WHEN moved THEN $1 END, opens_bank
    FROM unnest($12::text[], $13::text[], $14::smallint[], $15::bigint[], $44::boolean[], $49::boolean[],
                $50::boolean[])
      AS d(tenant_id, account, slot, delta, created, moved, opens_bank)
    WHERE NOT created
    ORDER BY tenant_id, account, slot
    ON CONFLICT (tenant_id, account, slot)
    DO UPDATE SET balance = gm_balances.balance + excluded.balance, version = gm_balances.version + 1,
                  active_at = COALESCE(excluded.active_at, gm_balances.active_at),
                  has_bank = gm_balances.has_bank OR excluded.has_bank
    RETURNING tenant_id, account, slot, balance
  ), state_updates AS (
    UPDATE gm_state SET value = w.v, json = w.j, version = w.ver, updated_at = $1
    FROM unnest($16::text[], $17::text[], $18::text[], $19::bigint[], $20::text[], $21::bigint[], $22::boolean[])
      AS w(t, s, k, v, j, ver, existed)
    WHERE w.existed AND gm_state.tenant_id = w.t AND gm_state.scope = w.s AND gm_state.key = w.k
  ), state_inserts AS (
    INSERT INTO gm_state (tenant_id, scope, key, value, json, version, updated_at)
    SELECT t, s, k, v, j, ver, $1
    FROM unnest($16::text[], $17::text[], $18::text[], $19::bigint[], $20::text[], $21::bigint[], $22::boolean[])
      AS w(t, s, k, v, j, ver, existed)
    WHERE NOT w.existed
    ORDER BY t COLLATE "C", s COLLATE "C", k COLLATE "C"
  ), flows AS (
    INSERT INTO gm_flows (tenant_id, day, account, slot, credit, debit, count)
    SELECT t, d, a, $23, c, db, n FROM unnest($24::text[], $25::text[], $26::text[], $27::bigint[], $28::bigint[], $29::bigint[])
      AS f(t, d, a, c, db, n)
    ORDER BY 1, 2, 3
    ON CONFLICT (tenant_id, day, account, slot) DO UPDATE SET
      credit = LEAST(gm_flows.credit::numeric + excluded.credit, ${MAX_AMOUNT})::bigint,
      debit = LEAST(gm_flows.debit::numeric + excluded.debit, ${MAX_AMOUNT})::bigint,
      count = gm_flows.count + excluded.count
  ), rollups AS (
    INSERT INTO gm_rollups (tenant_id, bucket, metric, key, slot, amount, count)
    SELECT t, b, m, k, $23, a, n
    FROM unnest($30::text[], $31::bigint[], $32::text[], $33::text[], $34::bigint[], $35::bigint[]) AS r(t, b, m, k, a, n)
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (tenant_id, bucket, metric, key, slot) DO UPDATE SET
      amount = LEAST(gm_rollups.amount::numeric + excluded.amount, ${MAX_AMOUNT})::bigint,
      count = gm_rollups.count + excluded.count
  ), audits AS (
    ${auditInsert(36)}
  ), outbox AS (
    INSERT INTO gm_outbox (tenant_id, id, type, payload, created_at)
    SELECT t, i, ty, p, $1 FROM unnest($45::text[], $46::text[], $47::text[], $48::text[]) AS o(t, i, ty, p)
    WHERE ${eventsRecorded('o.t')}
  )
  SELECT b.account FROM balances b
  WHERE b.account NOT LIKE 'user:%'
    AND b.balance::numeric + COALESCE((SELECT SUM(o.balance) FROM gm_balances o
      WHERE o.tenant_id = b.tenant_id AND o.account = b.account AND o.slot <> b.slot), 0)
      NOT BETWEEN ${MIN_BALANCE} AND ${MAX_AMOUNT}`;

async function writeGroup(client: pg.PoolClient, plan: GroupPlan, now: Date, slot: number): Promise<void> {
  const t = plan.inserts;
  const n = t.length;
  const tenants = new Array<string>(n);
  const ids = new Array<string>(n);
  const batches = new Array<string | null>(n);
  const froms = new Array<string>(n);
  const tos = new Array<string>(n);
  const amounts = new Array<bigint>(n);
  const codes = new Array<string>(n);
  const metadata = new Array<string | null>(n);
  const reverses = new Array<string | null>(n);
  const forced = new Array<boolean>(n);
  for (let i = 0; i < n; i++) {
    const x = t[i]!;
    tenants[i] = x.tenant;
    ids[i] = x.id;
    batches[i] = x.batchId;
    froms[i] = x.from;
    tos[i] = x.to;
    amounts[i] = x.amount;
    codes[i] = x.code;
    metadata[i] = x.metadata;
    reverses[i] = x.reverses;
    forced[i] = x.forced;
  }
  const d = plan.deltas;
  const s = plan.stateWrites;
  const f = plan.flows;
  const r = plan.rollups;
  const { rows } = await client.query({
    name: 'gm.write-group',
    text: WRITE_GROUP,
    values: [
      now,
      tenants,
      ids,
      batches,
      froms,
      tos,
      amounts,
      codes,
      metadata,
      reverses,
      forced,
      d.map((x) => x.tenant),
      d.map((x) => x.account),
      d.map((x) => (isUserAccount(x.account) ? 0 : slot)),
      d.map((x) => x.delta),
      s.map((w) => w.tenant),
      s.map((w) => w.scope),
      s.map((w) => w.key),
      s.map((w) => w.row.value),
      s.map((w) => w.row.json),
      s.map((w) => w.row.version),
      s.map((w) => w.existed),
      slot,
      f.map((x) => x.tenant),
      f.map((x) => x.day),
      f.map((x) => x.account),
      f.map((x) => x.credit),
      f.map((x) => x.debit),
      f.map((x) => x.count),
      r.map((x) => x.tenant),
      r.map((x) => x.bucket),
      r.map((x) => x.metric),
      r.map((x) => x.key),
      r.map((x) => x.amount),
      r.map((x) => x.count),
      ...auditColumns(plan.audits),
      d.map((x) => x.created),
      plan.outbox.map((e) => e.tenant),
      plan.outbox.map((e) => e.id),
      plan.outbox.map((e) => e.type),
      plan.outbox.map((e) => e.payload),
      d.map((x) => x.moved),
      d.map((x) => x.opensBank),
    ],
  });
  if (rows.length > 0) {
    const account = String((rows[0] as Row).account);
    throw Object.assign(new Error(`system account ${account} would leave the 64-bit range`), {
      code: '22003',
    });
  }
}

/** The audit insert with its eight parameters from `$first` on, as `auditColumns` lays them out. */
function auditInsert(first: number): string {
  const p = (i: number) => `$${first + i}`;
  return `INSERT INTO gm_audit (tenant_id, id, actor, action, target, reason, details, created_at)
    SELECT t, i, ac, act, tg, r, d, c
    FROM unnest(${p(0)}::text[], ${p(1)}::text[], ${p(2)}::text[], ${p(3)}::text[], ${p(4)}::text[], ${p(5)}::text[],
                ${p(6)}::text[], ${p(7)}::timestamptz[])
      WITH ORDINALITY AS a(t, i, ac, act, tg, r, d, c, n) ORDER BY n`;
}

function auditColumns(entries: ReadonlyArray<AuditEntry & { tenant: string }>): unknown[] {
  return [
    entries.map((a) => a.tenant),
    entries.map((a) => a.id),
    entries.map((a) => a.actor),
    entries.map((a) => a.action),
    entries.map((a) => a.target),
    entries.map((a) => a.reason),
    entries.map((a) => a.details),
    entries.map((a) => a.createdAt),
  ];
}

/** Audit entries written outside a group (a freeze), in the caller's transaction. */
export async function insertAudits(
  client: pg.PoolClient,
  entries: ReadonlyArray<AuditEntry & { tenant: string }>,
): Promise<void> {
  await client.query({ name: 'gm.audit', text: auditInsert(1), values: auditColumns(entries) });
}
