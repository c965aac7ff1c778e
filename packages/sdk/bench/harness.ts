import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

/** One transfer as the workload asks for it; the target decides how to carry it out. */
export interface Move {
  /** Absent: the SDK generates one (a UUIDv7), the floor too; the baseline a random UUID. */
  id?: string;
  from: string;
  to: string;
  amount: bigint;
  code: string;
}

export type IdMode = 'random' | 'ordered';
export const ID_MODES: readonly IdMode[] = ['random', 'ordered'];

export type Workload = 'uniform' | 'hot';

export const WORKLOADS: readonly Workload[] = ['uniform', 'hot'];

/** Starting balance of every pre-funded user: far above what a few seconds of random 1–100 moves can drain. */
export const FUNDING = 1_000_000n;
export const FAUCET = 'faucet:daily';

export function userAccount(i: number): string {
  return `user:${100_000 + i}`;
}

/**
 * uniform: a random user pays another random user.
 * hot: 90% faucet:daily → random user (one hot system account), 10% user → user.
 */
export function moveGenerator(workload: Workload, users: number, ids: IdMode = 'random'): () => Move {
  const next = plainMoves(workload, users);
  if (ids === 'random') return next;
  // Time-ordered ids, like Discord interaction ids (snowflakes): each new id sorts after the last.
  const prefix = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-`;
  let counter = 0;
  return () => ({ ...next(), id: prefix + (counter++).toString(36).padStart(10, '0') });
}

function plainMoves(workload: Workload, users: number): () => Move {
  const randomUser = () => Math.floor(Math.random() * users);
  const amount = () => BigInt(1 + Math.floor(Math.random() * 100));
  const p2p = (): Move => {
    const a = randomUser();
    let b = randomUser();
    if (b === a) b = (a + 1) % users;
    return { from: userAccount(a), to: userAccount(b), amount: amount(), code: 'transfer.p2p' };
  };
  if (workload === 'uniform') return p2p;
  return () =>
    Math.random() < 0.9
      ? { from: FAUCET, to: userAccount(randomUser()), amount: amount(), code: 'faucet.daily' }
      : p2p();
}

export interface CellResult {
  /** Transfers whose call returned inside the measured window. */
  transfers: number;
  /** Calls that threw inside the measured window (not counted as transfers). */
  errors: number;
  firstError?: string;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** 1-minute load average when the cell ended: other work on the machine shows up here. */
  loadAvg: number;
  /**
   * CPU time per transfer in the measured window (µs): this Node process, and the database server's
   * backends when the backend can see them. Less sensitive to a busy machine than transfers/s.
   */
  nodeCpuUs: number;
  serverCpuUs?: number;
}

export interface CellOptions {
  concurrency: number;
  warmupMs: number;
  measureMs: number;
  /** One awaited transfer. */
  transfer(move: Move): Promise<unknown>;
  next(): Move;
  /** Cumulative CPU milliseconds of the database server's processes serving this cell, if known. */
  serverCpuMs?: () => number;
}

interface CpuSample {
  node: NodeJS.CpuUsage;
  server: number;
}

/**
 * `concurrency` async workers, each awaiting its own transfer in a loop. After a warm-up, every call
 * that returns inside the measured window counts: its latency (call to return) and, if it did not
 * throw, one transfer. Calls still in flight when the window closes are awaited but not counted.
 */
export async function runCell(options: CellOptions): Promise<CellResult> {
  const latencies: number[] = [];
  let transfers = 0;
  let errors = 0;
  let firstError: string | undefined;
  // Deadlines come from the clock, not from timers: a synchronous store (the libSQL baseline) never
  // yields to the timer queue, so workers check the time themselves.
  const windowStart = performance.now() + options.warmupMs;
  const windowEnd = windowStart + options.measureMs;
  // CPU is sampled in-band, by the first worker to see the window open and close.
  const sampleCpu = (): CpuSample => ({ node: process.cpuUsage(), server: options.serverCpuMs?.() ?? 0 });
  let cpuStart: CpuSample | undefined;
  let cpuEnd: CpuSample | undefined;

  const worker = async () => {
    for (;;) {
      const started = performance.now();
      if (started >= windowStart) cpuStart ??= sampleCpu();
      if (started >= windowEnd) {
        cpuEnd ??= sampleCpu();
        return;
      }
      const move = options.next();
      let failed: unknown;
      try {
        await options.transfer(move);
      } catch (error) {
        failed = error ?? new Error('unknown failure');
      }
      const ended = performance.now();
      if (ended < windowStart || ended > windowEnd) continue;
      latencies.push(ended - started);
      if (failed === undefined) {
        transfers++;
      } else {
        errors++;
        firstError ??= failed instanceof Error ? `${failed.name}: ${failed.message}` : String(failed);
      }
    }
  };

  await Promise.all(Array.from({ length: options.concurrency }, worker));

  const seconds = options.measureMs / 1000;
  const sorted = Float64Array.from(latencies).sort();
  const first = cpuStart ?? sampleCpu();
  const last = cpuEnd ?? sampleCpu();
  const perTransfer = (us: number) => (transfers > 0 ? us / transfers : 0);
  const nodeUs = last.node.user + last.node.system - first.node.user - first.node.system;
  return {
    transfers,
    errors,
    ...(firstError !== undefined && { firstError }),
    seconds,
    perSecond: transfers / seconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length > 0 ? sorted[sorted.length - 1]! : 0,
    loadAvg: loadavg()[0]!,
    nodeCpuUs: perTransfer(nodeUs),
    ...(options.serverCpuMs && { serverCpuUs: perTransfer((last.server - first.server) * 1000) }),
  };
}

/** Nearest-rank percentile of an ascending array (0 when empty). */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}
