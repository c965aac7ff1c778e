import { afterEach, describe, expect, it, vi } from 'vitest';
import { planGroup } from './plan.js';
import { type LedgerOp, scopedKey } from './records.js';

// Its own file: the switch is read once per process (per test file here), at the first group planned.
describe('bench-only rollups switch (bench:ledger --rollups off)', () => {
  // Never left set for whatever this worker runs next.
  afterEach(() => vi.unstubAllEnvs());

  it('keeps no rollups, the money unchanged', () => {
    vi.stubEnv('GUILDMINT_BENCH_ROLLUPS', 'off');
    const op: LedgerOp = {
      tenant: 't',
      batchId: null,
      transfers: [
        {
          id: '1',
          from: 'faucet:f',
          to: 'user:a',
          amount: 5n,
          code: 'x',
          metadata: null,
          reverses: null,
          forced: false,
        },
      ],
    };
    const state = {
      accounts: new Map([[scopedKey('t', 'user:a'), { balance: 0n, frozen: false }]]),
      existing: new Map(),
      reversed: new Set<string>(),
      state: new Map(),
      activeAt: new Map(),
    };
    const plan = planGroup([op], state, new Date());
    expect(plan.rollups).toEqual([]);
    expect(plan.deltas.map((d) => [d.account, d.delta])).toEqual([
      ['faucet:f', -5n],
      ['user:a', 5n],
    ]);
  });
});
