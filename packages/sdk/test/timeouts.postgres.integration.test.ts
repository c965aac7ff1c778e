import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEconomy, type Economy, ErrorCode } from '../src/index.js';
import { PostgresStore } from '../src/stores/postgres/store.js';
import { expectCodeTimed } from './support/expect.js';
import { FreezableProxy } from './support/freezable-proxy.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './support/services.js';

// Short waits, so the test is fast; the defaults (and the ≤ 15 s bound they give) are in the README.
const WAITS = { retryBudgetMs: 500, lockTimeoutMs: 200, statementTimeoutMs: 500, connectTimeoutMs: 300 };
/** The documented bound: retryBudgetMs + statementTimeoutMs + 1 s (client read timeout) + connectTimeoutMs, plus slack. */
const BOUND_MS = WAITS.retryBudgetMs + WAITS.statementTimeoutMs + 1_000 + WAITS.connectTimeoutMs + 1_500;
const TENANT = 'timeouts';

async function expectUnavailableWithinBound(call: () => Promise<unknown>): Promise<number> {
  const elapsed = await expectCodeTimed(call, ErrorCode.STORE_UNAVAILABLE);
  expect(elapsed, 'gave up within the bound').toBeLessThan(BOUND_MS);
  return elapsed;
}

describe.skipIf(!(await postgresAvailable()))('PostgreSQL waits are bounded', () => {
  let db: TestDatabase;
  let economy: Economy;
  beforeAll(async () => {
    db = await createTestDatabase('timeouts');
    economy = createEconomy({ storage: new PostgresStore({ url: db.url, ...WAITS }) });
    await economy.migrate();
    await economy
      .tenant(TENANT)
      .ledger.transfer({ from: 'faucet:f', to: 'user:a', amount: 10n, code: 'faucet.f' });
  });
  afterAll(async () => {
    await economy?.close();
    await db?.drop();
  });

  it('a row lock held by another session: STORE_UNAVAILABLE within the bound, nothing written, then it works', async () => {
    const ledger = economy.tenant(TENANT).ledger;
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query("SELECT * FROM gm_balances WHERE tenant_id = $1 AND account = 'user:a' FOR UPDATE", [
        TENANT,
      ]);
      const elapsed = await expectUnavailableWithinBound(() =>
        ledger.transfer({ id: 'blocked', from: 'user:a', to: 'user:b', amount: 1n, code: 'transfer.p2p' }),
      );
      expect(elapsed, 'retried for the whole budget').toBeGreaterThanOrEqual(WAITS.retryBudgetMs - 5);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect(await ledger.balance('user:a')).toBe(10n);
    expect(await ledger.balance('user:b')).toBe(0n);
    await ledger.transfer({ id: 'blocked', from: 'user:a', to: 'user:b', amount: 1n, code: 'transfer.p2p' });
    expect(await ledger.balance('user:b')).toBe(1n);
    expect(await ledger.verify()).toEqual({ ok: true, problems: [] });
  });

  it('a server that goes silent mid-session (half-open socket): reads and writes give up within the bound', async () => {
    const url = new URL(db.url);
    const proxy = new FreezableProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.port = String(await proxy.listen());
    const viaProxy = createEconomy({ storage: new PostgresStore({ url: url.toString(), ...WAITS }) });
    try {
      const ledger = viaProxy.tenant(TENANT).ledger;
      expect(await ledger.balance('user:a')).toBeGreaterThan(0n); // connected, and the pool holds the socket
      proxy.frozen = true;
      await expectUnavailableWithinBound(() => ledger.balance('user:a'));
      await expectUnavailableWithinBound(() =>
        ledger.transfer({ from: 'faucet:f', to: 'user:c', amount: 1n, code: 'faucet.f' }),
      );
      await expectUnavailableWithinBound(() => ledger.verify());
    } finally {
      await proxy.close();
      await viaProxy.close();
    }
    expect(await economy.tenant(TENANT).ledger.balance('user:c')).toBe(0n);
  });
});
