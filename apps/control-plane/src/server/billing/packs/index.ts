import { LibsqlPackStore } from './libsql-store';
import { PostgresPackStore } from './postgres-store';
import type { PackStore } from './store';

export type { ConnectAccountRecord, ConnectStatus, OrderRecord, PackRecord, PackStore } from './store';

/** The currency-pack tables in the platform database at `url` (its migrations create them). */
export function openPackStore(url: string): PackStore {
  if (/^postgres(ql)?:\/\//.test(url)) return new PostgresPackStore(url);
  if (url.startsWith('file:')) return new LibsqlPackStore(url);
  throw new Error(
    `currency packs need a platform database other connections can open, not ${url.split(':')[0]}:…`,
  );
}
