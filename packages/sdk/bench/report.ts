import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { CellResult, Workload } from './harness.js';

export interface Machine {
  cpus: number;
  model: string;
  node: string;
  platform: string;
  memoryGiB: number;
  loadAvgAtStart: number[];
}

export function machine(): Machine {
  const list = cpus();
  return {
    cpus: list.length,
    model: list[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAvgAtStart: loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

export interface Checked extends CellResult {
  /** SDK: `ledger.verify()`; baseline: balances still sum to zero and no user below zero. */
  check: { ok: boolean; detail: string };
}

export interface CellRecord {
  store: 'libsql' | 'postgres';
  workload: Workload;
  concurrency: number;
  sdk: Checked;
  baseline?: Checked;
  /** SDK transfers/s divided by baseline transfers/s. */
  ratio?: number;
  /** The floor under the SDK's write path (bench/floor.ts). */
  floor?: Checked;
  /** SDK transfers/s divided by the floor's. */
  ofFloor?: number;
}

const HEADERS = [
  'store',
  'workload',
  'conc',
  'transfers/s',
  'p50 ms',
  'p99 ms',
  'cpu µs/t',
  'errors',
  'verify',
  'baseline/s',
  'base p50',
  'base p99',
  'base cpu',
  'ratio',
  'floor/s',
  'floor cpu',
  'of floor',
] as const;

export function formatTable(cells: readonly CellRecord[]): string {
  const rows = cells.map((c) => [
    c.store,
    c.workload,
    String(c.concurrency),
    whole(c.sdk.perSecond),
    ms(c.sdk.p50Ms),
    ms(c.sdk.p99Ms),
    cpu(c.sdk),
    String(c.sdk.errors),
    c.sdk.check.ok ? 'ok' : 'BROKEN',
    c.baseline ? whole(c.baseline.perSecond) : '-',
    c.baseline ? ms(c.baseline.p50Ms) : '-',
    c.baseline ? ms(c.baseline.p99Ms) : '-',
    c.baseline ? cpu(c.baseline) : '-',
    c.ratio !== undefined ? `${c.ratio.toFixed(1)}×` : '-',
    c.floor ? whole(c.floor.perSecond) : '-',
    c.floor ? cpu(c.floor) : '-',
    c.ofFloor !== undefined ? `${(100 * c.ofFloor).toFixed(0)} %` : '-',
  ]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const numeric = (i: number) => i >= 2 && i !== 8;
  const line = (cols: readonly string[]) =>
    `| ${cols.map((col, i) => (numeric(i) ? col.padStart(widths[i]!) : col.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (numeric(i) ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`;
  return [line(HEADERS), rule, ...rows.map(line)].join('\n');
}

export function describeMachine(m: Machine): string {
  return `machine: ${m.cpus} × ${m.model}, ${m.memoryGiB} GiB, node ${m.node} (${m.platform}), load average at start ${m.loadAvgAtStart.join(' ')}`;
}

export function oneLine(label: string, r: Checked): string {
  const errors = r.errors > 0 ? `, ${r.errors} errors (first: ${r.firstError})` : '';
  const server = r.serverCpuUs !== undefined ? ` + postgres ${Math.round(r.serverCpuUs)}` : '';
  return (
    `${label}: ${whole(r.perSecond)}/s, p50 ${ms(r.p50Ms)} ms, p99 ${ms(r.p99Ms)} ms, max ${ms(r.maxMs)} ms, ` +
    `cpu/transfer node ${Math.round(r.nodeCpuUs)}${server} µs${errors}; check ${r.check.detail}`
  );
}

/** Writes `ledger-<ISO timestamp>.json` in `dir` and returns its path. */
export function writeResults(dir: string, data: unknown): string {
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/:/g, '-');
  const file = join(dir, `ledger-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

/** CPU µs per transfer, this process plus the database server where measured. */
function cpu(r: CellResult): string {
  return whole(r.nodeCpuUs + (r.serverCpuUs ?? 0));
}

function whole(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function ms(n: number): string {
  return n >= 100 ? n.toFixed(0) : n.toFixed(n >= 10 ? 1 : 2);
}
