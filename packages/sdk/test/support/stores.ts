import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createEconomy, type Economy, type EconomyOptions } from '../../src/index.js';
import { LibsqlStore } from '../../src/stores/libsql/store.js';
import { PostgresStore } from '../../src/stores/postgres/store.js';
import type { Store } from '../../src/stores/types.js';
import { createTestDatabase, type TestDatabase } from './services.js';

/** The store under each economy a target opened: the suites count its rows. */
const storesOf = new WeakMap<Economy, Store>();

/**
 * Rows per table held for one tenant (every table, not only balances and transfers): a refused call
 * must leave each count as it was. Only for economies opened by a `StoreTarget`.
 */
export async function tableRows(economy: Economy, tenant: string): Promise<Record<string, number>> {
  return (await storeOf(economy).audit(tenant)).tableRows;
}

/** The store under an economy a `StoreTarget` opened: for ops only the SDK itself builds. */
export function storeOf(economy: Economy): Store {
  const store = storesOf.get(economy);
  if (!store) throw new Error('this economy was not opened by a StoreTarget');
  return store;
}

/** A store the shared suites run against: how to open an economy on it and whether it can run here. */
export interface StoreTarget {
  /** `libsql-file-thread`: a libSQL file written by the store's writer thread (`writerThread: true`). */
  name: 'libsql-memory' | 'libsql-file' | 'libsql-file-thread' | 'postgres';
  /** Opens an economy on this target's storage; every call in one file shares that storage. */
  open(options?: Omit<EconomyOptions, 'storage'>): Economy;
  /** The storage URL (for child processes). */
  url(): string;
}

/**
 * Registers setup/teardown for one store target in the calling describe block and returns it.
 * The PostgreSQL target gets its own database per block (wrap the block in
 * `describe.skipIf(!(await postgresAvailable()))`). On `:memory:` every `open()` is a new, empty database.
 */
export function useStore(name: StoreTarget['name']): StoreTarget {
  let url = '';
  let dir = '';
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    if (name === 'libsql-memory') url = ':memory:';
    if (name === 'libsql-file' || name === 'libsql-file-thread') {
      dir = mkdtempSync(join(tmpdir(), 'guildmint-'));
      url = `file:${join(dir, 'ledger.db')}`;
    }
    if (name === 'postgres') {
      db = await createTestDatabase('ledger');
      url = db.url;
    }
  });
  afterAll(async () => {
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    name,
    url: () => url,
    open: (options = {}) => {
      const clock = options.clock && { clock: options.clock };
      const store =
        name === 'postgres'
          ? new PostgresStore({ url, ...clock })
          : new LibsqlStore({ url, ...clock, writerThread: name === 'libsql-file-thread' });
      const economy = createEconomy({ ...options, storage: store });
      storesOf.set(economy, store);
      return economy;
    },
  };
}
