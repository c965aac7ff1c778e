import { join, resolve } from 'node:path';

/**
 * Where the platform tables live: PostgreSQL at DATABASE_URL, else `platform.db` in the data folder.
 * One answer for the server (settings.ts) and the operator CLI, which must open the same tables.
 */
export function platformDatabaseUrl(o: { databaseUrl: string | undefined; dataDir: string }): string {
  return o.databaseUrl ?? `file:${join(resolve(o.dataDir), 'platform.db')}`;
}
