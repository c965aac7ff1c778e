import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createEconomy } from '../economy.js';

// Counts the threads the stores start: a file economy's writer thread is one.
const threads = vi.hoisted(() => ({ started: 0 }));
vi.mock('node:worker_threads', async (original) => {
  const actual = await original<typeof import('node:worker_threads')>();
  class CountedWorker extends actual.Worker {
    constructor(...args: ConstructorParameters<typeof actual.Worker>) {
      super(...args);
      threads.started++;
    }
  }
  return { ...actual, Worker: CountedWorker };
});

describe("createEconomy's writerThread", () => {
  const dir = mkdtempSync(join(tmpdir(), 'guildmint-writer-thread-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Threads started while an economy on `storage` migrates and moves money (which must arrive). */
  async function threadsFor(storage: string, writerThread?: boolean): Promise<number> {
    const before = threads.started;
    const economy = createEconomy({ storage, ...(writerThread !== undefined && { writerThread }) });
    try {
      const tenant = economy.tenant('t1');
      await tenant.grant('alice', 500n, { reason: 'test', actor: 'test' });
      await Promise.all(
        [1, 2, 3].map((i) => tenant.pay({ from: 'alice', to: 'bob', amount: 10n, key: `p${i}` })),
      );
      expect(await tenant.balance('bob')).toBe(30n);
      expect((await tenant.ledger.verify()).ok).toBe(true);
    } finally {
      await economy.close();
    }
    return threads.started - before;
  }

  it("puts a file economy's writer on a thread of its own when asked, and only then", async () => {
    expect(await threadsFor(`file:${join(dir, 'threaded.db')}`, true)).toBe(1);
    expect(await threadsFor(`file:${join(dir, 'inline.db')}`, false)).toBe(0);
    expect(await threadsFor(`file:${join(dir, 'default.db')}`)).toBe(0);
    // In memory there is no file for a second thread to open: always inline.
    expect(await threadsFor(':memory:', true)).toBe(0);
  });
});
