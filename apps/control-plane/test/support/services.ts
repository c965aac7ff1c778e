import { randomBytes } from 'node:crypto';
import pg from 'pg';

// The same rules as the SDK's test/support/services.ts (a shared test-utils package would remove
// this copy): PostgreSQL at DATABASE_URL or the loopback default; under CI it must be there.

export const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const required = process.env.GUILDMINT_REQUIRE_SERVICES === '1';

let available: Promise<boolean> | undefined;

export function postgresAvailable(): Promise<boolean> {
  available ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch (error) {
      if (required)
        throw new Error(`PostgreSQL is required (CI) but not reachable at ${POSTGRES_URL}: ${error}`);
      console.warn(
        `\n!!!!! SKIPPING control-plane PostgreSQL suites: no server at ${POSTGRES_URL} (${(error as Error).message}). !!!!!\n`,
      );
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return available;
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A database of its own for one test file, dropped afterwards. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `cp_${label
    .replace(/[^a-z0-9]/gi, '_')
    .toLowerCase()
    .slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
