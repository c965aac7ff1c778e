import { isDeepStrictEqual } from 'node:util';
import { expect, it } from 'vitest';
import {
  ErrorCode,
  isGuildmintError,
  type Ledger,
  type Transfer,
  type TransferInput,
} from '../../src/index.js';
import { type ChildMessage, TsChild } from '../conformance/concurrency-child.js';
import { announceSeed, deriveSeed, type Random, seededRandom } from '../conformance/concurrency-random.js';
import { inputFromWire, readAllTransfers, type WireInput } from '../conformance/concurrency-workload.js';
import type { StoreTarget } from '../support/stores.js';
import type { WriterConfig } from './writer.js';

/** One operation the writer announced: a single transfer or a `transferAll` batch. */
interface Intent {
  key: string;
  run: number;
  batch: boolean;
  transfers: TransferInput[];
  /** `pending`: submitted, never acknowledged (the kill may have come before or after its commit). */
  state: 'pending' | 'acked' | 'failed';
}

/** Where in the writer's life the SIGKILL lands. */
type KillPoint =
  | { mode: 'acks'; after: number } // as soon as the parent has read this many acknowledgements
  | { mode: 'time'; after: number } // this many ms after `ready`
  | { mode: 'spawn'; after: number }; // this many ms after spawning: often during start-up or migration

interface RunReport {
  run: number;
  kill: string;
  acked: number;
  inFlightAtKill: number;
  committedUnacked: number;
  retried: number;
}

const WRITER_LOOPS = 8;
/** A writer that is never killed stops here; the run then fails (it must end by SIGKILL). */
const MAX_OPS_PER_LOOP = 20_000;
const HUNG_MS = 20_000;

function chooseKill(rng: Random): KillPoint {
  const roll = rng.next();
  if (roll < 0.15) return { mode: 'spawn', after: rng.int(0, 1200) };
  if (roll < 0.45) return { mode: 'time', after: rng.int(0, 400) };
  return { mode: 'acks', after: rng.int(1, 500) };
}

/**
 * kill -9 of a writer mid-stream, `kills` times over the same storage, each run reopening it.
 * After every kill: each acknowledged transfer is there with its content, no batch is half
 * written, nothing unannounced was written, `verify()` is ok and the analytics rollups equal a rebuild. Then, as a client would, the
 * parent retries what was never acknowledged: an id that did commit must replay to the stored
 * transfer; one that did not may commit now (or be short of funds), never twice.
 */
export function describeCrashRecovery(target: StoreTarget, options: { kills: number }): void {
  const seed = announceSeed(`crash recovery (${target.name})`);

  it(`keeps every acknowledged transfer and never half a batch through ${options.kills} SIGKILLs`, {
    timeout: 90_000,
  }, async () => {
    const tenant = `crash_${process.pid}`;
    const intents = new Map<string, Intent>();
    const owners = new Map<string, Intent>();
    const reports: RunReport[] = [];

    for (let run = 0; run < options.kills; run++) {
      const rng = seededRandom(deriveSeed(seed, `run ${run}`));
      const kill = chooseKill(rng);
      const config: WriterConfig = {
        url: target.url(),
        tenant,
        run,
        seed: deriveSeed(seed, `writer ${run}`),
        concurrency: WRITER_LOOPS,
        maxOpsPerLoop: MAX_OPS_PER_LOOP,
      };
      const child = new TsChild('test/crash/writer.ts', config, { bundle: true });
      const mine: Intent[] = [];
      const unexpected: ChildMessage[] = [];
      let acked = 0;
      let inFlightAtKill = -1;
      const killNow = () => {
        if (inFlightAtKill >= 0) return;
        inFlightAtKill = mine.filter((i) => i.state === 'pending').length;
        child.kill();
      };
      child.onMessage((message) => {
        const intent = typeof message.key === 'string' ? intents.get(message.key) : undefined;
        if (message.t === 'intent') {
          const fresh: Intent = {
            key: message.key as string,
            run,
            batch: message.batch === true,
            transfers: (message.transfers as WireInput[]).map(inputFromWire),
            state: 'pending',
          };
          intents.set(fresh.key, fresh);
          mine.push(fresh);
          for (const t of fresh.transfers) owners.set(t.id!, fresh);
        } else if (message.t === 'ack' && intent) {
          intent.state = 'acked';
          acked++;
          if (kill.mode === 'acks' && acked >= kill.after) killNow();
        } else if (message.t === 'fail' && intent) {
          intent.state = 'failed';
        } else if (message.t !== 'ready' && message.t !== '__exit') {
          unexpected.push(message);
        }
      });
      const timers: NodeJS.Timeout[] = [];
      let hung = false;
      timers.push(
        setTimeout(() => {
          hung = true;
          killNow();
        }, HUNG_MS),
      );
      if (kill.mode === 'spawn') timers.push(setTimeout(killNow, kill.after));
      if (kill.mode === 'time') {
        child
          .waitFor((m) => m.t === 'ready')
          .then(
            () => timers.push(setTimeout(killNow, kill.after)),
            () => {}, // the child died before `ready`: the exit check below reports it
          );
      }
      const exit = await child.exited;
      for (const timer of timers) clearTimeout(timer);

      const where = `run ${run} (${describeKill(kill)}, seed ${seed}); writer stderr:\n${child.stderr.slice(-2000)}`;
      expect(unexpected, where).toEqual([]);
      expect(hung, `writer never reached its kill point: ${where}`).toBe(false);
      expect(exit, where).toEqual({ code: null, signal: 'SIGKILL' });

      const ledger = target.open();
      try {
        const l = ledger.tenant(tenant).ledger;
        const stored = await expectSurvived(l, intents, owners, where);
        const committedUnacked = mine.filter(
          (i) => i.state !== 'acked' && stored.has(i.transfers[0]!.id!),
        ).length;
        const retried = await expectRetriesSettle(l, mine, stored, where);
        await expectSurvived(l, intents, owners, `${where}\n(after the client retries)`);
        reports.push({
          run,
          kill: describeKill(kill),
          acked,
          inFlightAtKill: Math.max(0, inFlightAtKill),
          committedUnacked,
          retried,
        });
      } finally {
        await ledger.close();
      }
    }

    console.info(
      `[guildmint] crash recovery (${target.name}): ${reports.length} SIGKILLs\n` +
        reports
          .map(
            (r) =>
              `  run ${String(r.run).padStart(2)}  ${r.kill.padEnd(22)} acked ${String(r.acked).padStart(4)}` +
              `  in flight at kill ${String(r.inFlightAtKill).padStart(2)}  committed unacked ${r.committedUnacked}` +
              `  retried ${r.retried}`,
          )
          .join('\n'),
    );
    expect(reports).toHaveLength(options.kills);
    // What the write path kept for analytics went in and out with the money through every kill: the
    // rollups (cumulative, so a torn group in any run would still show) equal a rebuild from the ledger.
    const reopened = target.open();
    try {
      expect((await reopened.tenant(tenant).analytics.rebuild()).differences).toEqual([]);
    } finally {
      await reopened.close();
    }
    // Most kills must land mid-stream, with operations submitted and not yet acknowledged.
    expect(reports.filter((r) => r.inFlightAtKill > 0).length).toBeGreaterThanOrEqual(options.kills / 2);
  });
}

function describeKill(kill: KillPoint): string {
  if (kill.mode === 'acks') return `after ${kill.after} acks`;
  return `${kill.after} ms after ${kill.mode === 'time' ? 'ready' : 'spawn'}`;
}

/** The checks after a crash; returns the stored transfers by id. */
async function expectSurvived(
  ledger: Ledger,
  intents: Map<string, Intent>,
  owners: Map<string, Intent>,
  where: string,
): Promise<Map<string, Transfer>> {
  const rows = await readAllTransfers(ledger);
  const stored = new Map(rows.map((row) => [row.id, row]));
  const problems: string[] = [];
  if (stored.size !== rows.length) problems.push(`${rows.length - stored.size} transfer ids stored twice`);

  for (const intent of intents.values()) {
    const present = intent.transfers.flatMap((t) => stored.get(t.id!) ?? []);
    const size = intent.transfers.length;
    if (present.length > 0 && present.length < size) {
      problems.push(`batch ${intent.key} is half-written: ${present.length} of ${size} transfers stored`);
    }
    if (intent.state === 'acked' && present.length < size)
      problems.push(`acknowledged ${intent.key} was lost`);
    if (intent.state === 'failed' && present.length > 0) problems.push(`rejected ${intent.key} was written`);
    intent.transfers.forEach((t, i) => {
      const row = stored.get(t.id!);
      if (!row) return;
      const expected = { from: t.from, to: t.to, amount: t.amount, code: t.code, metadata: t.metadata };
      const actual = {
        from: row.from,
        to: row.to,
        amount: row.amount,
        code: row.code,
        metadata: row.metadata,
      };
      if (!isDeepStrictEqual(actual, expected)) {
        problems.push(`${t.id} stored as ${show(actual)}, submitted as ${show(expected)}`);
      }
      if (
        intent.batch
          ? row.batchId === undefined || row.batchId !== present[0]?.batchId
          : row.batchId !== undefined
      ) {
        problems.push(`${t.id} (member ${i} of ${intent.key}) has batch id ${row.batchId}`);
      }
    });
  }
  const unknown = rows.filter((row) => !owners.has(row.id));
  for (const row of unknown) problems.push(`${row.id} was stored but never submitted`);

  // The same from the rows alone: each batch member records its batch's size.
  const batches = new Map<string, Transfer[]>();
  for (const row of rows)
    if (row.batchId) batches.set(row.batchId, [...(batches.get(row.batchId) ?? []), row]);
  for (const [batchId, members] of batches) {
    const size = members[0]!.metadata?.n;
    if (members.length !== size)
      problems.push(`batch ${batchId} holds ${members.length} transfers of ${size}`);
  }

  expect(problems, where).toEqual([]);
  expect(await ledger.verify(), where).toEqual({ ok: true, problems: [] });
  return stored;
}

/**
 * Retries every operation of the killed run that was not acknowledged, plus a few that were, the
 * way a client retries after losing its connection. Returns how many operations were retried.
 */
async function expectRetriesSettle(
  ledger: Ledger,
  run: Intent[],
  stored: Map<string, Transfer>,
  where: string,
): Promise<number> {
  const retry = [
    ...run.filter((i) => i.state !== 'acked'),
    ...run.filter((i) => i.state === 'acked').slice(0, 5),
  ];
  const outcomes = await Promise.allSettled(
    retry.map((intent) =>
      intent.batch
        ? ledger.transferAll(intent.transfers.map((t) => ({ ...t })))
        : ledger.transfer({ ...intent.transfers[0]! }).then((t) => [t]),
    ),
  );
  const problems: string[] = [];
  retry.forEach((intent, i) => {
    const outcome = outcomes[i]!;
    const before = intent.transfers.map((t) => stored.get(t.id!));
    const wasStored = before.every((t) => t !== undefined);
    if (outcome.status === 'fulfilled') {
      if (wasStored && !isDeepStrictEqual(outcome.value, before)) {
        problems.push(`retry of stored ${intent.key} returned ${show(outcome.value)}, not ${show(before)}`);
      }
      intent.state = 'acked';
    } else if (wasStored || !isGuildmintError(outcome.reason, ErrorCode.INSUFFICIENT_FUNDS)) {
      problems.push(
        `retry of ${wasStored ? 'stored' : 'unstored'} ${intent.key} failed: ${String(outcome.reason)}`,
      );
    } else {
      intent.state = 'failed';
    }
  });
  expect(problems, where).toEqual([]);
  return retry.length;
}

function show(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}
