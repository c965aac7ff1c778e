/**
 * Small pieces the economy and runtime benchmarks share (the ledger benchmark keeps its own copies):
 * flag parsing, a private PostgreSQL database per run, Discord-like keys, JSON results.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

/** Drops and re-creates database `name` on the server of `adminUrl`; returns the new database's URL. */
export async function recreateDatabase(adminUrl: string, name: string): Promise<string> {
  assertDatabaseName(name);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  assertDatabaseName(name);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/**
 * Refreshes the planner's statistics, as autovacuum does on a database that has been running a while. A fresh
 * database has none, and some of the SDK's reads then scan every state row of a scope (see the runtime report).
 */
export async function analyzeDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

function assertDatabaseName(name: string): void {
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    throw new Error(`database ${name}: use lower-case letters, digits and _`);
}

const DISCORD_EPOCH = 1_420_070_400_000n;
let snowflakeCounter = 0n;

/** A Discord-like snowflake: milliseconds since 2015 in the high bits, so keys grow with time. */
export function snowflake(): string {
  snowflakeCounter = (snowflakeCounter + 1n) & 0x3f_ffffn;
  return String(((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | snowflakeCounter);
}

/** Writes `<name>-<ISO timestamp>.json` in `dir` and returns its path. */
export function writeJson(dir: string, name: string, data: unknown): string {
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/:/g, '-');
  const file = join(dir, `${name}-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(data, jsonBigint, 2)}\n`);
  return file;
}

function jsonBigint(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` in flight. */
export async function pool(count: number, concurrency: number, task: (i: number) => Promise<unknown>) {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

// --- flags --------------------------------------------------------------------------------------------

export function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function positive(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${value}`);
  return n;
}

export function nonNegative(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be zero or more, got ${value}`);
  return n;
}

export function oneOf<T extends string>(value: string, allowed: readonly T[], name: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(`--${name}: ${value} is not one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** `pnpm bench:x -- --seconds 2` hands the separator through; drop it. */
export function cliArgs(): string[] {
  return process.argv.slice(2).filter((arg) => arg !== '--');
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** A Markdown table; columns whose index is in `numeric` are right-aligned. */
export function table(
  headers: readonly string[],
  rows: readonly string[][],
  numeric: (i: number) => boolean,
) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cols: readonly string[]) =>
    `| ${widths.map((w, i) => (numeric(i) ? (cols[i] ?? '').padStart(w) : (cols[i] ?? '').padEnd(w))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (numeric(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

export function whole(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function ms(n: number): string {
  return n >= 100 ? n.toFixed(0) : n.toFixed(n >= 10 ? 1 : 2);
}
