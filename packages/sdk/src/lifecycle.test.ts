import { executionAsyncId } from 'node:async_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defineEconomy } from './config/define.js';
import { createEconomy } from './economy.js';
import { ErrorCode } from './errors.js';
import { LibsqlStore } from './stores/libsql/store.js';

const config = defineEconomy({
  name: 'lifecycle',
  faucets: { daily: { reward: { fixed: 100 }, cooldownSeconds: 60 } },
});

/** The async id two promise reactions in a row run under: equal unless a promise hook tracks every promise. */
async function promiseIds(): Promise<[number, number]> {
  const first = await Promise.resolve().then(() => executionAsyncId());
  const second = await Promise.resolve().then(() => executionAsyncId());
  return [first, second];
}

describe('the economy gate', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const databaseUrl = () => {
    const dir = mkdtempSync(join(tmpdir(), 'gm-lifecycle-'));
    dirs.push(dir);
    return `file:${join(dir, 'economy.db')}`;
  };

  it('lets operations already started finish every read and write they make, then refuses new calls', async () => {
    const economy = createEconomy({ storage: new LibsqlStore({ url: ':memory:' }) });
    const tenant = economy.tenant('guild');
    await tenant.configure(config);

    // A claim reads the member's cooldown and writes; a profile makes several reads of its own; a
    // balance reads through the tenant's ledger.
    const claimed = tenant.claim('daily', '1001', { key: 'claim-1' });
    const profile = tenant.profile('1001');
    const balance = tenant.balance('1002');
    const closed = economy.close();

    await expect(claimed).resolves.toMatchObject({ amount: 100n });
    await expect(profile).resolves.toMatchObject({ userId: '1001' });
    await expect(balance).resolves.toBe(0n);
    await closed;
    await expect(tenant.balance('1001')).rejects.toMatchObject({ code: ErrorCode.STORE_UNAVAILABLE });
    await expect(tenant.ledger.balance('user:1001')).rejects.toMatchObject({
      code: ErrorCode.STORE_UNAVAILABLE,
    });
  });

  it('refuses a call made while close() drains another, and writes nothing for it', async () => {
    const url = databaseUrl();
    const economy = createEconomy({ storage: new LibsqlStore({ url }) });
    const tenant = economy.tenant('guild');
    await tenant.configure(config);

    const first = tenant.claim('daily', '1001', { key: 'first' });
    const closed = economy.close();
    const second = tenant.claim('daily', '1002', { key: 'second' });

    await expect(second).rejects.toMatchObject({ code: ErrorCode.STORE_UNAVAILABLE });
    await expect(first).resolves.toMatchObject({ amount: 100n });
    await closed;

    const reopened = createEconomy({ storage: new LibsqlStore({ url }) });
    try {
      const again = reopened.tenant('guild');
      expect(await again.balance('1001')).toBe(100n);
      expect(await again.balance('1002')).toBe(0n);
    } finally {
      await reopened.close();
    }
  });

  it('leaves promise tracking off in the host process: no async hook taxes its promises', async () => {
    // Vitest's worker must not track promises itself, or this test could not tell.
    const [before1, before2] = await promiseIds();
    expect(before2).toBe(before1);

    const economy = createEconomy({ storage: new LibsqlStore({ url: ':memory:' }) });
    const tenant = economy.tenant('guild');
    await tenant.configure(config);
    await tenant.claim('daily', '1001');
    await tenant.ledger.balance('user:1001');
    await economy.close();

    const [after1, after2] = await promiseIds();
    expect(after2).toBe(after1);
  });
});
