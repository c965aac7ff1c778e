import { MAX_AMOUNT } from '../../ledger/amounts.js';
import { type GroupPlan, type GroupState, stateKey } from '../../ledger/plan.js';
import { scopedKey } from '../../ledger/records.js';
import { eventsRecorded } from '../outbox.js';
import { flag, instant, int64, type Row, stateRowFromRow, transferFromRow } from '../row-codecs.js';
import type { SyncGroupAdapter } from '../write-path/commit-group.js';
import { emptyGroupState, type GroupKeys, type TenantValue } from '../write-path/group-keys.js';
import type { Statement } from './connection.js';
import { jsonRows } from './json-rows.js';

// A group's reads and writes as a handful of multi-row statements (one native call each, whatever the
// group's size), instead of one call per account, id and row: per-call overhead was most of the CPU.

const READ_BALANCES = `SELECT b.tenant_id, b.account, SUM(b.balance) AS balance, MAX(b.frozen) AS frozen,
    MAX(b.active_at) AS active_at
  FROM json_each(?) j JOIN gm_balances b ON b.tenant_id = j.value ->> 0 AND b.account = j.value ->> 1
  GROUP BY b.tenant_id, b.account`;
const READ_TRANSFERS = `SELECT t.* FROM json_each(?) j
  JOIN gm_transfers t ON t.tenant_id = j.value ->> 0 AND t.id = j.value ->> 1`;
const READ_REVERSED = `SELECT t.tenant_id, t.reverses FROM json_each(?) j
  JOIN gm_transfers t ON t.tenant_id = j.value ->> 0 AND t.reverses = j.value ->> 1`;
const READ_STATE = `SELECT s.tenant_id, s.scope, s.key, s.value, s.json, s.version FROM json_each(?) j
  JOIN gm_state s ON s.tenant_id = j.value ->> 0 AND s.scope = j.value ->> 1 AND s.key = j.value ->> 2`;
/** Last seq per tenant, by position in the parameter (the write transaction holds the lock: no race). */
const READ_LAST_SEQ = `SELECT j.key AS i, (SELECT COALESCE(MAX(seq), 0) FROM gm_transfers WHERE tenant_id = j.value) AS seq
  FROM json_each(?) j`;

const INSERT_TRANSFERS = `INSERT INTO gm_transfers
  (tenant_id, id, seq, batch_id, from_account, to_account, amount, code, metadata, reverses, forced, created_at)
  SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7,
    value ->> 8, value ->> 9, value ->> 10, ?2
  FROM json_each(?1)`;
// `WHERE true` tells SQLite's parser that ON CONFLICT belongs to the INSERT, not to the SELECT's join.
// A row that did not move (`BalanceDelta.moved`) keeps its active_at (null when new); a wallet keeps its bank
// marker once set (`BalanceDelta.opensBank`).
const UPSERT_BALANCES = `INSERT INTO gm_balances (tenant_id, account, slot, balance, version, active_at, has_bank)
  SELECT value ->> 0, value ->> 1, 0, value ->> 2, 1, CASE WHEN value ->> 3 THEN ?2 END, value ->> 4
  FROM json_each(?1) WHERE true
  ON CONFLICT (tenant_id, account, slot)
  DO UPDATE SET balance = balance + excluded.balance, version = version + 1,
    active_at = COALESCE(excluded.active_at, active_at), has_bank = MAX(has_bank, excluded.has_bank)`;
// Rollup counters saturate instead of overflowing: they are statistics, not money.
const UPSERT_FLOWS = `INSERT INTO gm_flows (tenant_id, day, account, slot, credit, debit, count)
  SELECT value ->> 0, value ->> 1, value ->> 2, 0, value ->> 3, value ->> 4, value ->> 5 FROM json_each(?) WHERE true
  ON CONFLICT (tenant_id, day, account, slot)
  DO UPDATE SET credit = MIN(credit + excluded.credit, ${MAX_AMOUNT}), debit = MIN(debit + excluded.debit, ${MAX_AMOUNT}),
    count = count + excluded.count`;
const UPSERT_ROLLUPS = `INSERT INTO gm_rollups (tenant_id, bucket, metric, key, slot, amount, count)
  SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, 0, value ->> 4, value ->> 5 FROM json_each(?) WHERE true
  ON CONFLICT (tenant_id, bucket, metric, key, slot)
  DO UPDATE SET amount = MIN(amount + excluded.amount, ${MAX_AMOUNT}), count = count + excluded.count`;
// State rows in two statements per group, like the other tables: economy ops write two to four rows
// each (the spent key, seeds, rounds, counters), and a statement per row was a large part of their CPU.
// The plan writes each row once per group. json_each has `key` and `value` columns too: gm_state's are
// named by the table.
const INSERT_STATE = `INSERT INTO gm_state (tenant_id, scope, key, value, json, version, updated_at)
  SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, ?2 FROM json_each(?1)`;
const UPDATE_STATE = `UPDATE gm_state SET value = j.value ->> 3, json = j.value ->> 4, version = j.value ->> 5,
    updated_at = ?2
  FROM json_each(?1) j
  WHERE gm_state.tenant_id = j.value ->> 0 AND gm_state.scope = j.value ->> 1 AND gm_state.key = j.value ->> 2`;
const INSERT_AUDIT = `INSERT INTO gm_audit (tenant_id, id, seq, actor, action, target, reason, details, created_at)
  VALUES (?1, ?2, (SELECT COALESCE(MAX(seq), 0) + 1 FROM gm_audit WHERE tenant_id = ?1), ?3, ?4, ?5, ?6, ?7, ?8)`;

// Only the events of tenants that record them (`OutboxStore.recordEvents`).
// `j.value`: gm_state, which the switch's probe reads, has a `value` column too.
const INSERT_OUTBOX = `INSERT INTO gm_outbox (tenant_id, id, type, payload, created_at)
  SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, ?2 FROM json_each(?1) j
  WHERE ${eventsRecorded('j.value ->> 0')}`;

type Prepare = (sql: string) => Statement;

/** The libSQL half of the write path (see write-path/commit-group.ts): a few statements per group. */
export function libsqlGroupAdapter(stmt: Prepare): SyncGroupAdapter {
  return {
    read: (keys) => readGroupState(stmt, keys),
    write: (plan, now) => writeGroupPlan(stmt, plan, now),
  };
}

/** Everything the money rules need about a group, read inside its write transaction. */
function readGroupState(stmt: Prepare, keys: GroupKeys): GroupState {
  const state = emptyGroupState(keys);
  // System accounts are read too (the plan keeps their balance within the 64-bit range); one without
  // a row has balance 0, like a user. Banks are read whatever their wallet's marker says: one native call
  // for every account costs less here than a second call for the marked ones.
  const accounts = [...keys.users, ...keys.banks, ...keys.systemAccounts];
  for (const { tenant, value } of keys.systemAccounts) {
    state.accounts.set(scopedKey(tenant, value), { balance: 0n, frozen: false });
  }
  for (const row of readRows(stmt, READ_BALANCES, accounts.map(pair))) {
    const key = scopedKey(String(row.tenant_id), String(row.account));
    state.accounts.set(key, { balance: int64(row.balance), frozen: flag(row.frozen) });
    state.activeAt.set(key, row.active_at == null ? null : instant(row.active_at));
  }
  for (const row of readRows(stmt, READ_TRANSFERS, keys.transferIds.map(pair))) {
    const transfer = transferFromRow(row);
    state.existing.set(scopedKey(transfer.tenant, transfer.id), transfer);
  }
  for (const row of readRows(stmt, READ_REVERSED, keys.reversalTargets.map(pair))) {
    state.reversed.add(scopedKey(String(row.tenant_id), String(row.reverses)));
  }
  const stateKeys = keys.stateKeys.map((k) => [k.tenant, k.scope, k.key]);
  for (const row of readRows(stmt, READ_STATE, stateKeys)) {
    state.state.set(
      stateKey(String(row.tenant_id), String(row.scope), String(row.key)),
      stateRowFromRow(row),
    );
  }
  return state;
}

function pair({ tenant, value }: TenantValue): string[] {
  return [tenant, value];
}

function readRows(stmt: Prepare, sql: string, keys: string[][]): Row[] {
  if (keys.length === 0) return [];
  return stmt(sql).all(jsonRows(keys)) as Row[];
}

/** The plan's rows: transfers (seq continuing each tenant's), balances, state, rollups and audit entries. */
function writeGroupPlan(stmt: Prepare, plan: GroupPlan, now: Date): void {
  const at = now.getTime();
  if (plan.inserts.length > 0) {
    const nextSeq = lastSeqs(stmt, [...new Set(plan.inserts.map((t) => t.tenant))]);
    const rows = plan.inserts.map((t) => {
      const seq = nextSeq.get(t.tenant)! + 1n;
      nextSeq.set(t.tenant, seq);
      return [
        t.tenant,
        t.id,
        seq,
        t.batchId,
        t.from,
        t.to,
        t.amount,
        t.code,
        t.metadata,
        t.reverses,
        t.forced,
      ];
    });
    stmt(INSERT_TRANSFERS).run(jsonRows(rows), at);
  }
  if (plan.deltas.length > 0) {
    stmt(UPSERT_BALANCES).run(
      jsonRows(plan.deltas.map((d) => [d.tenant, d.account, d.delta, d.moved, d.opensBank])),
      at,
    );
  }
  const stateRows = (existed: boolean) =>
    plan.stateWrites
      .filter((w) => w.existed === existed)
      .map((w) => [w.tenant, w.scope, w.key, w.row.value, w.row.json, w.row.version]);
  const updates = stateRows(true);
  if (updates.length > 0) stmt(UPDATE_STATE).run(jsonRows(updates), at);
  const inserts = stateRows(false);
  if (inserts.length > 0) stmt(INSERT_STATE).run(jsonRows(inserts), at);
  if (plan.flows.length > 0) {
    stmt(UPSERT_FLOWS).run(
      jsonRows(plan.flows.map((f) => [f.tenant, f.day, f.account, f.credit, f.debit, f.count])),
    );
  }
  if (plan.rollups.length > 0) {
    stmt(UPSERT_ROLLUPS).run(
      jsonRows(plan.rollups.map((r) => [r.tenant, r.bucket, r.metric, r.key, r.amount, r.count])),
    );
  }
  writeAudits(stmt, plan.audits);
  writeOutbox(stmt, plan.outbox, at);
}

/** Outbox rows, in the caller's transaction. */
export function writeOutbox(stmt: Prepare, events: GroupPlan['outbox'], at: number): void {
  if (events.length === 0) return;
  stmt(INSERT_OUTBOX).run(jsonRows(events.map((e) => [e.tenant, e.id, e.type, e.payload])), at);
}

export function writeAudits(stmt: Prepare, entries: GroupPlan['audits']): void {
  for (const a of entries) {
    stmt(INSERT_AUDIT).run(
      a.tenant,
      a.id,
      a.actor,
      a.action,
      a.target,
      a.reason,
      a.details,
      a.createdAt.getTime(),
    );
  }
}

function lastSeqs(stmt: Prepare, tenants: string[]): Map<string, bigint> {
  const rows = stmt(READ_LAST_SEQ).all(JSON.stringify(tenants)) as Row[];
  return new Map(rows.map((row) => [tenants[Number(row.i)]!, int64(row.seq)]));
}
