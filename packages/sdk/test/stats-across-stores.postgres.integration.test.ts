import { describe, expect, it } from 'vitest';
import { defineEconomy, type Economy, type EconomyStats } from '../src/index.js';
import { ManualClock } from './support/clock.js';
import { expectCode } from './support/expect.js';
import { postgresAvailable } from './support/services.js';
import { type StoreTarget, tableRows, useStore } from './support/stores.js';

const TENANT = 'stats-across-stores';

/**
 * One history, refused operations included, played on each store: what the economy reports about it
 * (members, Gini, supply, every table's row count) must not depend on the store. A refused operation
 * leaves no trace anywhere, so it cannot count a member who never had a coin.
 */
async function playHistory(
  target: StoreTarget,
): Promise<{ stats: EconomyStats; rows: Record<string, number> }> {
  const clock = new ManualClock('2026-03-01T12:00:00Z');
  const economy: Economy = target.open({ clock });
  try {
    const tenant = economy.tenant(TENANT);
    await tenant.configure(
      defineEconomy({
        faucets: { daily: { reward: { fixed: 100 }, cooldownSeconds: 3600 } },
        sinks: { transferTaxBps: 1_000 },
        shop: { items: { hat: { name: 'Hat', price: 50, stock: 5, perMemberLimit: 2 } } },
      }),
    );
    await tenant.grant('alice', 1_000n, { reason: 'seed' });
    await tenant.grant('bob', 100n, { reason: 'seed' });
    await tenant.claim('daily', 'alice');
    await tenant.pay({ from: 'alice', to: 'bob', amount: 200n, key: 'pay-1' });
    await tenant.buy('bob', 'hat', { key: 'hat-1' });

    // Refused, each by the money rules inside the store's transaction:
    await expectCode(
      tenant.pay({ from: 'dave', to: 'alice', amount: 5n, key: 'pay-2' }),
      'INSUFFICIENT_FUNDS',
    );
    await expectCode(
      tenant.pay({ from: 'bob', to: 'erin', amount: 10_000n, key: 'pay-3' }),
      'INSUFFICIENT_FUNDS',
    );
    await expectCode(tenant.buy('carol', 'hat', { key: 'hat-2' }), 'INSUFFICIENT_FUNDS');
    await expectCode(
      tenant.ledger.transferAll([
        { id: 'in', from: 'faucet:x', to: 'user:frank', amount: 5n, code: 'faucet.x' },
        { id: 'out', from: 'user:frank', to: 'user:gina', amount: 6n, code: 'transfer.p2p' },
      ]),
      'INSUFFICIENT_FUNDS',
    );
    return { stats: await tenant.stats(), rows: await tableRows(economy, TENANT) };
  } finally {
    await economy.close();
  }
}

describe.skipIf(!(await postgresAvailable()))('stats across stores', () => {
  const libsql = useStore('libsql-memory');
  const postgres = useStore('postgres');

  it('the same history, refusals included, gives the same stats and row counts on libSQL and PostgreSQL', async () => {
    const onLibsql = await playHistory(libsql);
    const onPostgres = await playHistory(postgres);
    // Alice and Bob hold money; Dave, Carol, Erin, Frank and Gina were only ever refused.
    expect(onLibsql.stats.members).toBe(2);
    expect(onPostgres.stats.members).toBe(onLibsql.stats.members);
    expect(onPostgres.stats.gini).toBe(onLibsql.stats.gini);
    expect(onPostgres.stats).toEqual(onLibsql.stats);
    expect(onPostgres.rows).toEqual(onLibsql.rows);
  });
});
