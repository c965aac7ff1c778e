import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, transaction, waitsOf } from '../src/stores/postgres/connection.js';
import { PostgresHosts } from '../src/stores/postgres/hosts.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './support/services.js';

// A connection lost while its transaction holds it between statements (the store planning a group)
// is an 'error' event on a checked-out client, which the pool does not listen for: unheard, it is an
// uncaught exception that ends the process. The transaction must hear it and fail like any lost call.
describe.skipIf(!(await postgresAvailable()))('a PostgreSQL connection lost mid-transaction', () => {
  let db: TestDatabase;
  let admin: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase('connection_lost');
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await db.drop();
  });

  it('between two statements fails the transaction, and the process lives on', async () => {
    const options = { url: db.url };
    const pool = createPool(options, waitsOf(options), new PostgresHosts(options.url));
    try {
      const attempt = transaction(pool, 'BEGIN', async (client) => {
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        const ended = new Promise((resolve) => client.once('end', resolve));
        await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
        await ended; // the client has emitted its 'error' by now: nothing is querying it
      });
      await expect(attempt).rejects.toThrow(/not queryable|terminat/i);
      // The dead connection was dropped, not returned: the next transaction gets a working one.
      const answer = await transaction(
        pool,
        'BEGIN',
        async (client) => (await client.query('SELECT 1 AS one')).rows,
      );
      expect(answer).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });
});
