import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'libsql';
import { afterEach, describe, expect, it } from 'vitest';
import type { LedgerOp } from '../types.js';
import { LibsqlStore } from './store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const op: LedgerOp = {
  tenant: 't',
  batchId: null,
  transfers: [
    {
      id: 'waits',
      from: 'faucet:f',
      to: 'user:a',
      amount: 5n,
      code: 'faucet.f',
      metadata: null,
      reverses: null,
      forced: false,
    },
  ],
};

describe('libSQL store while another connection holds the write lock', () => {
  it('keeps the event loop free: timers fire on time, and the write lands once the lock is released', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guildmint-busy-'));
    dirs.push(dir);
    const file = join(dir, 'ledger.db');
    const store = new LibsqlStore({ url: `file:${file}`, busyRetryMs: 10_000 });
    await store.migrate();
    // Another connection (as another process would) takes the write lock and keeps it for HOLD_MS.
    const HOLD_MS = 600;
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');

    const TICK_MS = 5;
    let ticks = 0;
    const timer = setInterval(() => ticks++, TICK_MS);
    const released = new Promise<void>((resolve) =>
      setTimeout(() => {
        other.exec('COMMIT');
        resolve();
      }, HOLD_MS),
    );
    const before = performance.eventLoopUtilization();
    const write = store.commit(op);
    await released;
    const busy = performance.eventLoopUtilization(before);
    clearInterval(timer);

    // The event loop sat idle while the write waited: SQLite's own busy wait (a blocking sleep inside the
    // synchronous driver) would keep it busy for most of HOLD_MS. Utilization, not tick gaps, so that a
    // loaded machine (which delays the process, idle or not) does not make this flaky.
    expect(busy.utilization, `event loop utilization ${busy.utilization.toFixed(3)}`).toBeLessThan(0.25);
    expect(ticks, 'timers kept firing').toBeGreaterThan(HOLD_MS / TICK_MS / 4);
    await expect(write).resolves.toHaveLength(1);
    expect(await store.balance('t', 'user:a')).toBe(5n);
    other.close();
    await store.close();
  });
});
