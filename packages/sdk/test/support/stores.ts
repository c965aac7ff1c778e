import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createEconomy, type Economy, type EconomyOptions } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from './services.js';

/** A store the shared suites run against: how to open an economy on it and whether it can run here. */
export interface StoreTarget {
  name: 'libsql-memory' | 'libsql-file' | 'postgres';
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
    if (name === 'libsql-file') {
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
    open: (options = {}) => createEconomy({ ...options, storage: url }),
  };
}
