import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEconomy, presets } from '../src/index.js';
import { PostgresStore } from '../src/stores/postgres/store.js';
import { statementsDuring } from './support/pg-statements.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './support/services.js';

describe.skipIf(!(await postgresAvailable()))('balance reads (PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('balances');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('answers the balance reads of one turn from one statement, each from its own tenant and account', async () => {
    // Two slots for the system accounts, so a faucet's balance is a sum over rows.
    const economy = createEconomy({ storage: new PostgresStore({ url: db.url, systemSlots: 2 }) });
    await economy.migrate();
    try {
      const a = economy.tenant('reads_a');
      const b = economy.tenant('reads_b');
      await a.configure(presets.classic);
      await Promise.all([a.grant('1', 500n, { reason: 'x' }), a.grant('2', 70n, { reason: 'x' })]);
      await a.grant('1', 30n, { reason: 'x' });
      await b.grant('1', 9n, { reason: 'x' });
      await a.deposit('1', 200n);

      const { result: read, statements } = await statementsDuring('gm_balances', () =>
        Promise.all([
          a.balance('1'),
          a.balance('2'),
          a.balance('3'),
          b.balance('1'),
          a.holdings('1'),
          a.ledger.balance('faucet:admin'),
        ]),
      );
      expect(read).toEqual([330n, 70n, 0n, 9n, { wallet: 330n, bank: 200n, total: 530n }, -600n]);
      expect(statements).toHaveLength(1);
      // The faucet's balance was a sum: its grants went through both slots.
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const { rows } = await client.query(
          "SELECT count(*)::int AS n FROM gm_balances WHERE tenant_id = 'reads_a' AND account = 'faucet:admin'",
        );
        expect(rows[0].n).toBe(2);
      } finally {
        await client.end();
      }
    } finally {
      await economy.close();
    }
  });
});
