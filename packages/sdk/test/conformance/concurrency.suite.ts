import { isDeepStrictEqual } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Economy,
  ErrorCode,
  isGuildmintError,
  type Ledger,
  type Transfer,
  type TransferInput,
} from '../../src/index.js';
import type { StoreTarget } from '../support/stores.js';
import { TsChild } from './concurrency-child.js';
import type { ProcessWriterConfig } from './concurrency-process.js';
import { announceSeed, deriveSeed, seededRandom } from './concurrency-random.js';
import {
  balancesOf,
  createWorkload,
  FAUCET,
  readAllTransfers,
  transferFromWire,
  type WireTransfer,
} from './concurrency-workload.js';

const WORKERS = 64;
const OPS_PER_WORKER = 30;
const RACERS = 64;

/** One call a worker made and how it ended. */
interface Call {
  inputs: TransferInput[];
  result?: Transfer[];
  error?: unknown;
}

let tenantCounter = 0;

/**
 * Many writers at once against one store: hot accounts, opposite transfers, racing withdrawals,
 * racing replays, several economy instances and several OS processes on one storage. Only the
 * business outcome (INSUFFICIENT_FUNDS, IDEMPOTENCY_CONFLICT) may reach a caller; locks, deadlocks,
 * serialization failures and SQLITE_BUSY must stay inside the SDK.
 */
export function describeLedgerConcurrency(target: StoreTarget): void {
  const seed = announceSeed(`ledger concurrency (${target.name})`);
  // On :memory: every open() is a new database: several instances cannot share one.
  const shared = target.name !== 'libsql-memory';
  // Only storage that outlives one connection can be shared; on :memory: these tests do not apply.
  const itShared = shared ? it : () => undefined;

  describe(`ledger concurrency (${target.name})`, () => {
    const opened: Economy[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((economy) => economy.close()));
    });
    /** `count` economy instances (own connections, own write queues) on the target's storage, one tenant. */
    const ledgers = (count: number): Ledger[] => {
      const tenant = `conc_${process.pid}_${++tenantCounter}`;
      return Array.from({ length: count }, () => {
        const economy = target.open();
        opened.push(economy);
        return economy.tenant(tenant).ledger;
      });
    };

    it(`keeps money whole with ${WORKERS} workers on hot accounts, A→B and B→A at once`, async () => {
      const [ledger] = ledgers(1);
      await expectWorkloadHolds([ledger!], deriveSeed(seed, 'one economy'));
    });

    itShared('keeps money whole with two economy instances hammering the same hot accounts', async () => {
      await expectWorkloadHolds(ledgers(2), deriveSeed(seed, 'two economies'));
    });

    it(`lets exactly one of ${RACERS} parallel withdrawals of a full balance through`, async () => {
      const racing = ledgers(shared ? 2 : 1);
      const ledger = racing[0]!;
      const rng = seededRandom(deriveSeed(seed, 'withdrawals'));
      const committed: Transfer[] = [];
      for (let round = 0; round < 5; round++) {
        const saver = `user:saver${round}`;
        const amount = rng.bigint(1n, 100_000n);
        committed.push(await ledger.transfer({ from: FAUCET, to: saver, amount, code: 'faucet.mint' }));
        const turns = Array.from({ length: RACERS }, () => rng.int(0, 3));
        const settled = await Promise.allSettled(
          turns.map(async (wait, w) => {
            await yieldTurns(wait);
            return racing[w % racing.length]!.transfer({
              id: `withdraw-${round}-${w}`,
              from: saver,
              to: 'sink:withdraw',
              amount,
              code: 'sink.withdraw',
            });
          }),
        );
        const won = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
        const lost = settled.flatMap((s) => (s.status === 'rejected' ? [describeError(s.reason)] : []));
        expect(won, `round ${round}`).toHaveLength(1);
        expect(lost).toEqual(lost.map(() => expect.stringMatching(/^INSUFFICIENT_FUNDS: /)));
        expect(await ledger.balance(saver)).toBe(0n);
        committed.push(...won);
      }
      await expectLedgerHolds(ledger, committed);
    });

    it('gives every caller of one transfer id the same transfer, with a single effect', async () => {
      const racing = ledgers(shared ? 2 : 1);
      const ledger = racing[0]!;
      const turns = seededRandom(deriveSeed(seed, 'same id'));
      const race = <T>(call: (ledger: Ledger) => Promise<T>) =>
        Promise.all(
          Array.from({ length: RACERS }, async (_, w) => {
            await yieldTurns(turns.int(0, 3));
            return call(racing[w % racing.length]!);
          }),
        );

      const funding = await ledger.transfer({
        from: FAUCET,
        to: 'user:spender',
        amount: 777n,
        code: 'faucet.mint',
      });
      // The whole balance, many times over under one id: the replay must win over the funds check.
      const withdrawal = {
        id: 'same-withdrawal',
        from: 'user:spender',
        to: 'user:hot0',
        amount: 777n,
        code: 'p2p',
      };
      const singles = await race((l) => l.transfer({ ...withdrawal }));
      for (const single of singles) expect(single).toEqual(singles[0]);

      const batch: TransferInput[] = [
        { id: 'same-batch-0', from: FAUCET, to: 'user:hot1', amount: 40n, code: 'faucet.mint' },
        { id: 'same-batch-1', from: 'user:hot1', to: 'user:hot2', amount: 40n, code: 'p2p' },
        { id: 'same-batch-2', from: 'user:hot2', to: 'sink:burn', amount: 15n, code: 'sink.burn' },
      ];
      const batches = await race((l) => l.transferAll(batch.map((t) => ({ ...t }))));
      for (const result of batches) expect(result).toEqual(batches[0]);
      expect(new Set(batches[0]!.map((t) => t.batchId)).size).toBe(1);

      await expectLedgerHolds(ledger, [funding, singles[0]!, ...batches[0]!]);
      expect(await ledger.balance('user:spender')).toBe(0n);
      expect(await ledger.balance('user:hot2')).toBe(25n);
    });

    it('lets exactly one content win when callers race one id with different contents', async () => {
      const racing = ledgers(shared ? 2 : 1);
      const ledger = racing[0]!;
      const turns = seededRandom(deriveSeed(seed, 'conflicting ids'));
      const contents: TransferInput[] = [
        { id: 'contested', from: FAUCET, to: 'user:x', amount: 100n, code: 'faucet.mint' },
        { id: 'contested', from: FAUCET, to: 'user:y', amount: 200n, code: 'faucet.mint' },
      ];
      const settled = await Promise.allSettled(
        Array.from({ length: RACERS }, async (_, w) => {
          await yieldTurns(turns.int(0, 3));
          return racing[w % racing.length]!.transfer({ ...contents[w % 2]! });
        }),
      );
      const won = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      const lost = settled.flatMap((s) => (s.status === 'rejected' ? [describeError(s.reason)] : []));
      expect(won).toHaveLength(RACERS / 2);
      for (const transfer of won) expect(transfer).toEqual(won[0]);
      expect(lost).toEqual(lost.map(() => expect.stringMatching(/^IDEMPOTENCY_CONFLICT: /)));
      await expectLedgerHolds(ledger, [won[0]!]);
    });

    it('reverses a transfer exactly once when many callers race to reverse it', async () => {
      const racing = ledgers(shared ? 2 : 1);
      const ledger = racing[0]!;
      const turns = seededRandom(deriveSeed(seed, 'reversals'));
      const race = <T>(call: (ledger: Ledger, w: number) => Promise<T>) =>
        Promise.allSettled(
          Array.from({ length: RACERS }, async (_, w) => {
            await yieldTurns(turns.int(0, 3));
            return call(racing[w % racing.length]!, w);
          }),
        );
      const first = await ledger.transfer({
        from: FAUCET,
        to: 'user:rev',
        amount: 500n,
        code: 'faucet.mint',
      });
      const second = await ledger.transfer({
        from: FAUCET,
        to: 'user:rev',
        amount: 70n,
        code: 'faucet.mint',
      });

      // Each caller with its own reversal id: one mirror, the others ALREADY_REVERSED.
      const distinct = await race((l, w) => l.reverse(first.id, { id: `undo-${w}`, reason: 'race' }));
      const won = distinct.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      const lost = distinct.flatMap((s) => (s.status === 'rejected' ? [describeError(s.reason)] : []));
      expect(won).toHaveLength(1);
      expect(lost).toEqual(lost.map(() => expect.stringMatching(/^ALREADY_REVERSED: /)));

      // Every caller with the same reversal id: the same mirror for all.
      const same = await race((l) => l.reverse(second.id, { id: 'undo-same', reason: 'race' }));
      const mirrors = same.map((s) => (s.status === 'fulfilled' ? s.value : describeError(s.reason)));
      for (const mirror of mirrors) expect(mirror).toEqual(mirrors[0]);

      expect(await ledger.balance('user:rev')).toBe(0n);
      await expectLedgerHolds(ledger, [first, second, ...won[0]!, ...(mirrors[0] as Transfer[])]);
    });

    itShared('lets two OS processes write to one storage at the same time', async () => {
      const [ledger] = ledgers(1);
      const tenant = (await ledger!.transfer({ from: FAUCET, to: 'user:probe', amount: 1n, code: 'probe' }))
        .tenant;
      const probe = await readAllTransfers(ledger!);
      const children = [0, 1].map((index) => {
        const config: ProcessWriterConfig = {
          url: target.url(),
          tenant,
          index,
          seed: deriveSeed(seed, `process ${index}`),
          ops: 1500,
          workers: 16,
        };
        return new TsChild('test/conformance/concurrency-process.ts', config);
      });
      try {
        await Promise.all(children.map((child) => child.waitFor((m) => m.t === 'ready')));
        // Both are loaded and waiting: `go` starts their opening, migrating and writing together.
        for (const child of children) child.send('go');
        const reports = await Promise.all(
          children.map((child) => child.waitFor((m) => m.t === 'done' || m.t === 'fatal', 50_000)),
        );
        const exits = await Promise.all(children.map((child) => child.exited));
        expect(reports.map((r) => r.error ?? null)).toEqual([null, null]);
        expect(exits).toEqual([
          { code: 0, signal: null },
          { code: 0, signal: null },
        ]);
        expect(reports.map((r) => r.failures)).toEqual([[], []]);
        const [a, b] = reports as unknown as Array<{ startedAt: number; finishedAt: number }>;
        expect(
          a!.startedAt < b!.finishedAt && b!.startedAt < a!.finishedAt,
          'the processes did not overlap',
        ).toBe(true);
        const committed = reports.flatMap((r) => (r.committed as WireTransfer[]).map(transferFromWire));
        expect(committed.length).toBeGreaterThanOrEqual(3000);
        await expectLedgerHolds(ledger!, [...probe, ...committed]);
        console.info(
          `[guildmint] two processes on ${target.name}: ${committed.length} transfers, ` +
            `${a!.finishedAt - a!.startedAt} ms and ${b!.finishedAt - b!.startedAt} ms`,
        );
      } finally {
        for (const child of children) child.kill();
      }
    });
  });
}

/** Runs the random workload on `ledgers` (workers spread over them) and checks the ledger after. */
async function expectWorkloadHolds(ledgers: Ledger[], seed: number): Promise<void> {
  const calls: Call[] = [];
  const submit = (ledger: Ledger, inputs: TransferInput[], batch: boolean): Promise<void> => {
    const call: Call = { inputs };
    calls.push(call);
    const pending = batch ? ledger.transferAll(inputs) : ledger.transfer(inputs[0]!).then((t) => [t]);
    return pending.then(
      (result) => {
        call.result = result;
      },
      (error: unknown) => {
        call.error = error;
      },
    );
  };
  // verify() in a loop while the workers write: it reads one snapshot, so live traffic never makes it
  // report a problem that is not there.
  let writing = true;
  const audits: Array<{ ok: boolean; problems: string[] }> = [];
  const auditor = (async () => {
    const ledger = ledgers[ledgers.length - 1]!;
    while (writing || audits.length === 0) {
      audits.push(await ledger.verify());
      // On libSQL verify() never leaves the microtask queue: let the write queue (setImmediate) run too.
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, w) => {
      const workload = createWorkload(seededRandom(deriveSeed(seed, `worker ${w}`)), `w${w}`);
      const ledger = ledgers[w % ledgers.length]!;
      for (let i = 0; i < OPS_PER_WORKER; i++) {
        const op = workload.next();
        if (op.kind === 'pair') await Promise.all(op.transfers.map((t) => submit(ledger, [t], false)));
        else await submit(ledger, op.transfers, op.kind === 'batch');
      }
    }),
  ).finally(() => {
    writing = false;
  });
  await auditor;
  expect(audits.flatMap((a) => a.problems)).toEqual([]);

  const failed = calls.filter((c) => c.error !== undefined);
  const unexpected = failed.filter((c) => !isGuildmintError(c.error, ErrorCode.INSUFFICIENT_FUNDS));
  expect(unexpected.map((c) => describeError(c.error))).toEqual([]);
  const succeeded = calls.filter((c) => c.result !== undefined);
  for (const call of succeeded) {
    expect(call.result!.map((t) => [t.id, t.from, t.to, t.amount])).toEqual(
      call.inputs.map((t) => [t.id, t.from, t.to, t.amount]),
    );
  }
  expect(succeeded.length).toBeGreaterThan(calls.length / 2);
  const committed = succeeded.flatMap((c) => c.result!);
  await expectLedgerHolds(
    ledgers[0]!,
    committed,
    failed.flatMap((c) => c.inputs.map((t) => t.id!)),
  );
  console.info(
    `[guildmint] workload over ${ledgers.length} instance(s): ${calls.length} calls, ` +
      `${succeeded.length} committed, ${failed.length} INSUFFICIENT_FUNDS, verify() ran ${audits.length} times meanwhile`,
  );
}

/**
 * The ledger holds exactly `committed` (same rows, nothing more, none of `absentIds`), its balances
 * match the model built from them and sum to zero, replaying the rows in commit order never takes
 * a user below zero, and `verify()` is ok.
 */
async function expectLedgerHolds(
  ledger: Ledger,
  committed: readonly Transfer[],
  absentIds: readonly string[] = [],
): Promise<void> {
  const rows = await readAllTransfers(ledger);
  const byId = new Map(rows.map((row) => [row.id, row]));
  expect(byId.size, 'a transfer id appears twice').toBe(rows.length);
  expect([...byId.keys()].sort()).toEqual(committed.map((t) => t.id).sort());
  const mismatched = committed.filter((t) => !isDeepStrictEqual(byId.get(t.id), t));
  expect(mismatched.map((t) => ({ returned: t, stored: byId.get(t.id) }))).toEqual([]);
  expect(
    absentIds.filter((id) => byId.has(id)),
    'rejected transfers were written',
  ).toEqual([]);

  const model = balancesOf(committed);
  const actual = new Map<string, bigint>();
  for (const account of model.keys()) actual.set(account, await ledger.balance(account));
  expect(actual).toEqual(model);
  expect([...actual.values()].reduce((sum, b) => sum + b, 0n)).toBe(0n);

  const running = new Map<string, bigint>();
  const overdrawn: string[] = [];
  for (const row of rows) {
    const from = (running.get(row.from) ?? 0n) - row.amount;
    running.set(row.from, from);
    running.set(row.to, (running.get(row.to) ?? 0n) + row.amount);
    if (from < 0n && row.from.startsWith('user:')) overdrawn.push(`${row.id}: ${row.from} at ${from}`);
  }
  expect(overdrawn, 'in commit order a user went below zero').toEqual([]);
  expect(await ledger.verify()).toEqual({ ok: true, problems: [] });
}

function describeError(error: unknown): string {
  if (isGuildmintError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** Lets the event loop turn `turns` times, so racers reach the store in different write groups. */
async function yieldTurns(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}
