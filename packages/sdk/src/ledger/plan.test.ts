import { describe, expect, it } from 'vitest';
import type { NewTransfer } from './normalize.js';
import { type GroupState, planGroup } from './plan.js';
import { type LedgerOp, scopedKey } from './records.js';

const T = 'tenant';
const now = new Date('2026-01-01T00:00:00Z');

function transfer(
  id: string,
  from: string,
  to: string,
  amount: bigint,
  extra: Partial<NewTransfer> = {},
): NewTransfer {
  return { id, from, to, amount, code: 'test', metadata: null, reverses: null, forced: false, ...extra };
}

function state(balances: Record<string, bigint>, frozen: string[] = []): GroupState {
  const accounts = new Map(
    Object.entries(balances).map(([account, balance]) => [
      scopedKey(T, account),
      { balance, frozen: frozen.includes(account) },
    ]),
  );
  return { accounts, existing: new Map(), reversed: new Set(), state: new Map(), activeAt: new Map() };
}

const op = (...transfers: NewTransfer[]): LedgerOp => ({ tenant: T, transfers, batchId: null });

describe('planGroup', () => {
  it('applies ops in order, isolating a failing op from its neighbours', () => {
    const s = state({ 'user:a': 10n, 'user:b': 0n });
    const plan = planGroup(
      [
        op(transfer('1', 'user:a', 'user:b', 10n)),
        op(transfer('2', 'user:a', 'user:b', 1n)),
        op(transfer('3', 'user:b', 'user:a', 4n)),
      ],
      s,
      now,
    );
    expect(plan.outcomes.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual([
      'ok',
      'INSUFFICIENT_FUNDS',
      'ok',
    ]);
    expect(plan.inserts.map((t) => t.id)).toEqual(['1', '3']);
    expect(plan.deltas).toEqual([
      // No row was read for either (no activeAt): both rows are created.
      { tenant: T, account: 'user:a', delta: -6n, created: true, moved: true, opensBank: false },
      { tenant: T, account: 'user:b', delta: 6n, created: true, moved: true, opensBank: false },
    ]);
  });

  it('moves members between holdings buckets (wallet and bank together), entering new ones once', () => {
    const s = state({ 'user:a': 300n, 'user:a.bank': 10n, 'user:b': 0n, 'user:b.bank': 0n });
    s.activeAt.set(scopedKey(T, 'user:a'), now);
    s.activeAt.set(scopedKey(T, 'user:a.bank'), now);
    const plan = planGroup(
      [
        op(transfer('1', 'user:a', 'user:a.bank', 50n)), // a's holding stays 310
        op(transfer('2', 'user:a', 'sink:s', 100n)), // 310 → 210
        op(transfer('3', 'faucet:f', 'user:b.bank', 7n)), // b is new: first move into the bank
      ],
      s,
      now,
    );
    const holdings = plan.rollups
      .filter((r) => r.metric === 'holdings' && (r.count !== 0n || r.amount !== 0n))
      .map((r) => [r.bucket, r.count, r.amount]);
    expect(holdings).toEqual([
      [128 + (310 >> 1), -1n, -310n], // shift 1: 128 buckets past the exact ones, then 310 >> 1
      [210, 1n, 210n],
      [7, 1n, 7n],
    ]);
    // b's wallet has no row: an empty one is created (with no active_at), on which a group creating it too
    // conflicts, marked as having a bank now. a's bank already had a row: nothing to mark.
    expect(plan.deltas.find((d) => d.account === 'user:b')).toEqual({
      tenant: T,
      account: 'user:b',
      delta: 0n,
      created: true,
      moved: false,
      opensBank: true,
    });
    expect(plan.deltas.filter((d) => d.opensBank).map((d) => d.account)).toEqual(['user:b']);
  });

  it("marks the wallet of a member's first bank row, writing the wallet without a move if the group leaves it", () => {
    const s = state({ 'user:c': 40n, 'user:c.bank': 0n, 'user:d': 5n, 'user:d.bank': 0n });
    s.activeAt.set(scopedKey(T, 'user:c'), now);
    s.activeAt.set(scopedKey(T, 'user:d'), now);
    const plan = planGroup(
      [
        op(transfer('1', 'faucet:interest', 'user:c.bank', 3n)), // c's wallet does not move
        op(transfer('2', 'user:d', 'user:d.bank', 5n)), // d's wallet moves into the new bank
      ],
      s,
      now,
    );
    expect(plan.deltas.filter((d) => d.account === 'user:c' || d.account === 'user:d')).toEqual([
      { tenant: T, account: 'user:c', delta: 0n, created: false, moved: false, opensBank: true },
      { tenant: T, account: 'user:d', delta: -5n, created: false, moved: true, opensBank: true },
    ]);
  });

  it('leaves unloaded (system) accounts unchecked and nets their deltas', () => {
    const s = state({ 'user:a': 0n });
    const plan = planGroup(
      [op(transfer('1', 'faucet:f', 'user:a', 5n)), op(transfer('2', 'user:a', 'sink:s', 2n))],
      s,
      now,
    );
    expect(plan.outcomes.every((o) => o.ok)).toBe(true);
    expect(plan.deltas.map((d) => [d.account, d.delta])).toEqual([
      ['faucet:f', -5n],
      ['sink:s', 2n],
      ['user:a', 3n],
    ]);
  });

  it('rejects a whole batch when a later transfer fails, and keeps earlier state', () => {
    const s = state({ 'user:a': 5n, 'user:b': 0n });
    const plan = planGroup(
      [op(transfer('1', 'user:a', 'user:b', 5n), transfer('2', 'user:a', 'user:b', 1n))],
      s,
      now,
    );
    expect(plan.outcomes[0]).toMatchObject({ ok: false });
    expect(plan.inserts).toEqual([]);
    expect(s.accounts.get(scopedKey(T, 'user:a'))!.balance).toBe(5n);
  });

  it('treats a repeated id within one group as a replay of the first', () => {
    const s = state({ 'user:a': 0n });
    const first = transfer('same', 'faucet:f', 'user:a', 5n);
    const plan = planGroup([op(first), op({ ...first }), op({ ...first, amount: 6n })], s, now);
    expect(plan.outcomes.map((o) => (o.ok ? (o.replay ? 'replay' : 'ok') : o.error.code))).toEqual([
      'ok',
      'replay',
      'IDEMPOTENCY_CONFLICT',
    ]);
    expect(plan.inserts).toHaveLength(1);
  });

  it('lets frozen accounts receive and reversals leave them, but not sends', () => {
    const s = state({ 'user:f': 10n, 'user:g': 0n }, ['user:f']);
    const plan = planGroup(
      [
        op(transfer('1', 'user:f', 'user:g', 1n)),
        op(transfer('2', 'user:g', 'user:f', 0n + 1n)),
        op(transfer('3', 'user:f', 'faucet:f', 2n, { code: 'reversal', reverses: 'x' })),
      ],
      s,
      now,
    );
    expect(plan.outcomes.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual([
      'ACCOUNT_FROZEN',
      'INSUFFICIENT_FUNDS',
      'ok',
    ]);
  });

  it('allows a forced transfer to overdraw a user, and only a forced one', () => {
    const s = state({ 'user:a': 1n });
    const plan = planGroup(
      [
        op(transfer('1', 'user:a', 'faucet:f', 3n, { code: 'reversal', reverses: 'r1' })),
        op(transfer('2', 'user:a', 'faucet:f', 3n, { code: 'reversal', reverses: 'r2', forced: true })),
        op(transfer('3', 'user:a', 'faucet:f', 1n, { code: 'reversal', reverses: 'r2', forced: true })),
      ],
      s,
      now,
    );
    expect(plan.outcomes.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual([
      'INSUFFICIENT_FUNDS',
      'ok',
      'ALREADY_REVERSED',
    ]);
    expect(s.accounts.get(scopedKey(T, 'user:a'))!.balance).toBe(-2n);
  });
});
