import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import pg from 'pg';

export const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const required = process.env.GUILDMINT_REQUIRE_SERVICES === '1';

let available: Promise<boolean> | undefined;

/** Is PostgreSQL reachable? Under CI (GUILDMINT_REQUIRE_SERVICES=1) an absent server is an error, never a skip. */
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
        `\n!!!!! SKIPPING PostgreSQL suites: no server at ${POSTGRES_URL} (${(error as Error).message}). Start it or set DATABASE_URL. !!!!!\n`,
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

/** A fresh database of its own for one test file, so files run in parallel without seeing each other's rows. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `gm_${label
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

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
let redisUp: Promise<boolean> | undefined;

/** Is Redis reachable (a PING answered)? Same rules as PostgreSQL: required under CI, a loud skip elsewhere. */
export function redisAvailable(): Promise<boolean> {
  redisUp ??= (async () => {
    const url = new URL(REDIS_URL);
    try {
      await new Promise<void>((resolve, reject) => {
        const socket = connect(Number(url.port || 6379), url.hostname);
        socket.setTimeout(3000, () => socket.destroy(new Error('timed out')));
        socket.once('error', reject);
        socket.once('connect', () => socket.write('PING\r\n'));
        socket.once('data', (data) => {
          socket.destroy();
          if (data.toString().startsWith('+PONG')) resolve();
          else reject(new Error(`unexpected answer ${JSON.stringify(data.toString())}`));
        });
      });
      return true;
    } catch (error) {
      if (required) throw new Error(`Redis is required (CI) but not reachable at ${REDIS_URL}: ${error}`);
      console.warn(
        `\n!!!!! SKIPPING Redis suites: no server at ${REDIS_URL} (${(error as Error).message}). Start it or set REDIS_URL. !!!!!\n`,
      );
      return false;
    }
  })();
  return redisUp;
}
