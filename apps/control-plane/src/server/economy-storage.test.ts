import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LibsqlStore } from '@guildmint/sdk/libsql';
import { afterAll, describe, expect, it } from 'vitest';
import { economyStorage } from './economy-storage';
import { createEconomy } from './sdk';

describe('economyStorage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'guildmint-economy-storage-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves PostgreSQL, clusters, :memory: and a writer thread turned off as configured', async () => {
    const clusters = { clusters: { a: 'postgres://127.0.0.1/a' } };
    expect(await economyStorage('postgres://127.0.0.1/x', { writerThread: true })).toBe(
      'postgres://127.0.0.1/x',
    );
    expect(await economyStorage(clusters, { writerThread: true })).toBe(clusters);
    expect(await economyStorage(':memory:', { writerThread: true })).toBe(':memory:');
    expect(await economyStorage('file:/tmp/x.db', { writerThread: false })).toBe('file:/tmp/x.db');
  });

  it('gives a file: economy a libSQL store whose writer runs on its thread, and money moves through it', async () => {
    const storage = await economyStorage(`file:${join(dir, 'economy.db')}`, { writerThread: true });
    expect(storage).toBeInstanceOf(LibsqlStore);
    const economy = createEconomy({ storage });
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
  });
});
