import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, GuildmintError, InternalError, setErrorLog } from '../errors.js';
import type { OpOutcome } from '../ledger/plan.js';
import type { StoreErrorKind } from './store-errors.js';
import type { LedgerOp } from './types.js';
import { WriteBatcher } from './write-batcher.js';

const op = (id: string, tenant = 't'): LedgerOp => ({
  tenant,
  batchId: null,
  transfers: [
    {
      id,
      from: 'faucet:f',
      to: 'user:u',
      amount: 1n,
      code: 'c',
      metadata: null,
      reverses: null,
      forced: false,
    },
  ],
});
const ok = (o: LedgerOp): OpOutcome => ({
  ok: true,
  replay: false,
  transfers: o.transfers.map((t) => ({ ...t, tenant: o.tenant, batchId: null, createdAt: new Date(0) })),
});

class Coded extends Error {
  constructor(readonly kind: StoreErrorKind) {
    super(kind);
  }
}
const classify = (e: unknown): StoreErrorKind => (e instanceof Coded ? e.kind : 'unknown');

describe('WriteBatcher', () => {
  afterEach(() => setErrorLog());

  it('groups ops submitted together into one commit', async () => {
    const groups: number[] = [];
    const batcher = new WriteBatcher({
      classify,
      commitGroup: async (ops) => {
        groups.push(ops.length);
        return ops.map(ok);
      },
    });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => batcher.submit(op(`${i}`))));
    expect(results.map((r) => r[0]!.id)).toEqual(Array.from({ length: 50 }, (_, i) => `${i}`));
    expect(groups).toEqual([50]);
  });

  /** A batcher of four transactions that records the size of each group it commits. */
  function recordingBatcher(): { batcher: WriteBatcher; groups: number[] } {
    const groups: number[] = [];
    const batcher = new WriteBatcher({
      classify,
      concurrency: 4,
      commitGroup: async (ops) => {
        groups.push(ops.length);
        return ops.map(ok);
      },
    });
    return { batcher, groups };
  }

  it('shares a queue evenly between the free transactions, so every connection works', async () => {
    const { batcher, groups } = recordingBatcher();
    await Promise.all(Array.from({ length: 64 }, (_, i) => batcher.submit(op(`${i}`))));
    expect(groups).toEqual([16, 16, 16, 16]);
  });

  it('keeps a small burst in one transaction even when several are free', async () => {
    const { batcher, groups } = recordingBatcher();
    await Promise.all(Array.from({ length: 7 }, (_, i) => batcher.submit(op(`${i}`))));
    expect(groups).toEqual([7]);
  });

  it('retries transient failures, then succeeds', async () => {
    let calls = 0;
    const batcher = new WriteBatcher({
      classify,
      commitGroup: async (ops) => {
        if (++calls < 3) throw new Coded('transient');
        return ops.map(ok);
      },
    });
    await expect(batcher.submit(op('a'))).resolves.toHaveLength(1);
    expect(calls).toBe(3);
  });

  it('splits a group on a data error so only the guilty op fails', async () => {
    setErrorLog(() => {});
    const batcher = new WriteBatcher({
      classify,
      commitGroup: async (ops) => {
        if (ops.some((o) => o.transfers[0]!.id === 'bad')) throw new Coded('data');
        return ops.map(ok);
      },
    });
    const results = await Promise.allSettled(['a', 'bad', 'c'].map((id) => batcher.submit(op(id))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('tells the store when ops are on a retry: after a transient failure, and in the parts of a split group', async () => {
    setErrorLog(() => {});
    const attempts: string[] = [];
    let failedOnce = false;
    const batcher = new WriteBatcher({
      classify,
      commitGroup: async (ops, retry) => {
        attempts.push(`${ops.map((o) => o.transfers[0]!.id).join('+')}${retry ? ' (retry)' : ''}`);
        if (!failedOnce) {
          failedOnce = true;
          throw new Coded('transient');
        }
        if (ops.some((o) => o.transfers[0]!.id === 'bad')) throw new Coded('data');
        return ops.map(ok);
      },
    });
    await Promise.allSettled(['a', 'bad'].map((id) => batcher.submit(op(id))));
    expect(attempts).toEqual(['a+bad', 'a+bad (retry)', 'a (retry)', 'bad (retry)']);
  });

  it('gives up with STORE_UNAVAILABLE when the store stays down', async () => {
    const batcher = new WriteBatcher({
      classify,
      retryBudgetMs: 50,
      commitGroup: async () => {
        throw new Coded('unavailable');
      },
    });
    const error = await batcher.submit(op('a')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuildmintError);
    expect((error as GuildmintError).code).toBe(ErrorCode.STORE_UNAVAILABLE);
  });

  it('maps an overflow to AMOUNT_OVERFLOW and close() waits for queued work', async () => {
    const batcher = new WriteBatcher({
      classify,
      commitGroup: async (ops) => {
        if (ops[0]!.transfers[0]!.id === 'big') throw new Coded('overflow');
        return ops.map(ok);
      },
    });
    const big = batcher.submit(op('big')).catch((e: unknown) => e);
    const fine = batcher.submit(op('fine'));
    await batcher.close();
    expect(((await big) as GuildmintError).code).toBe(ErrorCode.AMOUNT_OVERFLOW);
    await expect(fine).resolves.toHaveLength(1);
    await expect(batcher.submit(op('late'))).rejects.toMatchObject({ code: ErrorCode.STORE_UNAVAILABLE });
  });

  it('finds the one bad op of a 16-op group by halving (9 commits, not 17) and fails it alone as INTERNAL', async () => {
    const lines: string[] = [];
    setErrorLog((line) => lines.push(line));
    const commits: number[] = [];
    const batcher = new WriteBatcher({
      classify,
      commitGroup: async (ops) => {
        commits.push(ops.length);
        if (ops.some((o) => o.transfers[0]!.id === 'bad')) throw new Coded('data');
        return ops.map(ok);
      },
    });
    const ids = Array.from({ length: 16 }, (_, i) => (i === 5 ? 'bad' : `op${i}`));
    const results = await Promise.allSettled(ids.map((id) => batcher.submit(op(id))));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    const failed = results[5] as PromiseRejectedResult;
    expect(failed.reason).toBeInstanceOf(InternalError);
    expect(failed.reason.code).toBe(ErrorCode.INTERNAL);
    expect(failed.reason.cause).toBeInstanceOf(Coded);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain((failed.reason as InternalError).id);
    expect(failed.reason.message).toContain((failed.reason as InternalError).id);
    // The group, then halves down to the bad op (index 5), each clean half committing once.
    expect(commits).toEqual([16, 8, 4, 4, 2, 1, 1, 2, 8]);
  });

  it("splits a failed group by tenant first: another tenant's bad op costs each tenant one more commit, not the search", async () => {
    setErrorLog(() => {});
    const commits: string[][] = [];
    const batcher = new WriteBatcher({
      classify,
      commitGroup: async (ops) => {
        commits.push(ops.map((o) => o.transfers[0]!.id));
        if (ops.some((o) => o.transfers[0]!.id === 'bad')) throw new Coded('data');
        return ops.map(ok);
      },
    });
    // Tenant "noisy" has 8 ops, one bad; tenants a, b and c have 2 each, interleaved with it.
    const ops = Array.from({ length: 8 }, (_, i) => op(i === 6 ? 'bad' : `n${i}`, 'noisy'));
    for (const tenant of ['a', 'b', 'c'])
      ops.splice(2, 0, op(`${tenant}0`, tenant), op(`${tenant}1`, tenant));
    const results = await Promise.allSettled(ops.map((o) => batcher.submit(o)));
    const rejected = results.flatMap((r, i) => (r.status === 'rejected' ? [ops[i]!.transfers[0]!.id] : []));
    expect(rejected).toEqual(['bad']);
    // Every op of the quiet tenants was in exactly two commits: the shared group and its tenant's own.
    for (const id of ['a0', 'a1', 'b0', 'b1', 'c0', 'c1']) {
      expect(commits.filter((ids) => ids.includes(id))).toHaveLength(2);
    }
    // Those second commits were their own (no other tenant's op in them), and started before the noisy tenant's halving.
    const own = ['a', 'b', 'c'].map((t) =>
      commits.findIndex((ids) => ids.length === 2 && ids.every((id) => id.startsWith(t))),
    );
    expect(own.every((i) => i > 0)).toBe(true);
    const firstHalving = commits.findIndex((ids) => ids.length === 4);
    expect(Math.max(...own)).toBeLessThan(firstHalving);
    // The noisy tenant alone paid the search: its 8 ops, then halves down to the bad one (the 7th).
    expect(commits[0]).toHaveLength(14);
    expect(
      commits.filter((ids) => ids.every((id) => id.startsWith('n') || id === 'bad')).map((ids) => ids.length),
    ).toEqual([8, 4, 4, 2, 2, 1, 1]);
  });

  it('never hands a raw error to a caller: an unknown failure is INTERNAL', async () => {
    setErrorLog(() => {});
    const batcher = new WriteBatcher({
      classify,
      commitGroup: async () => {
        throw new TypeError('driver exploded');
      },
    });
    const error = await batcher.submit(op('a')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuildmintError);
    expect(error).toMatchObject({ code: ErrorCode.INTERNAL, id: expect.stringMatching(/^err_/) });
  });
});
