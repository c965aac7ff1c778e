import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createEconomy, type Economy, type EconomyOptions } from '../../src/index.js';
import { LibsqlStore } from '../../src/stores/libsql/store.js';
import { PostgresStore } from '../../src/stores/postgres/store.js';
import type { LedgerOp, Store } from '../../src/stores/types.js';
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

/**
 * Watches the group commits of the store under `economy` (each call's ops, and whether it was a retry);
 * `mockRestore()` when done.
 */
export function spyOnGroupCommits(economy: Economy) {
  return vi.spyOn(
    storeOf(economy) as unknown as { commitGroup(ops: LedgerOp[], retry: boolean): Promise<unknown> },
    'commitGroup',
  );
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
  name: 'libsql-memory' | 'libsql-file' | 'libsql-file-thread' | 'postgres' | RemoteTargetName;
  /** Opens an economy on this target's storage; every call in one file shares that storage. */
  open(options?: Omit<EconomyOptions, 'storage'>): Economy;
  /** The storage URL (for child processes). */
  url(): string;
  /** What of the contract this target deliberately does not offer, each with why (see `itNeeds`). */
  lacks?: Partial<Record<Capability, Lack>>;
}

/**
 * The SDK's remote client against API v1 served on loopback over a real store (the control plane builds
 * this target: the SDK does not depend on the control plane).
 */
export type RemoteTargetName = 'remote-libsql' | 'remote-postgres';

/**
 * An operation of the `Economy`/`Tenant` contract that a target may lack, named by where it lives:
 * `economy.<method>`, `tenant.<method>` or `tenant.ledger.<method>`.
 */
export type Capability =
  | 'economy.migrate'
  | 'economy.onConfigChange'
  | 'tenant.ledger.transferAll'
  | 'tenant.presence'
  | 'tenant.settleExpiredRounds'
  /** The audit log records the `actor` a caller names (a target may record who authenticated instead). */
  | 'audit.callerActor';

/**
 * Why a target lacks a capability. An operation's absence is proven by looking it up; anything else
 * (a behaviour, not a method) comes with `proof`, which asserts what the target does instead.
 */
export type Lack = string | { reason: string; proof(economy: Economy): Promise<void> };

/**
 * `it` for a test that needs `capability`: the one place the suites check what a target offers. On a
 * target that offers it, the test as written; on one that lacks it, in its place a test named after the
 * reason (printed as it runs) that proves the target's economy indeed has no such operation (or runs the
 * target's proof of what it does instead), so nothing is skipped in silence and an operation the target
 * gains later makes this fail until the test runs.
 */
export function itNeeds(
  target: StoreTarget,
  capability: Capability,
): (name: string, test: () => Promise<void>) => void {
  const lack = target.lacks?.[capability];
  if (lack === undefined) return (name, test) => it(name, test);
  const reason = typeof lack === 'string' ? lack : lack.reason;
  return (name) =>
    it(`${name} [not offered by ${target.name}: ${capability}, ${reason}]`, async () => {
      console.info(`conformance (${target.name}): ${capability} not offered, ${reason}`);
      const economy = target.open();
      try {
        if (typeof lack !== 'string') return await lack.proof(economy);
        const [owner, ...path] = capability.split('.');
        let value: unknown = owner === 'tenant' ? economy.tenant('capability_probe') : economy;
        for (const name of path) value = (value as Record<string, unknown> | undefined)?.[name];
        expect(value, `${target.name} offers ${capability}: run the test`).toBeUndefined();
      } finally {
        await economy.close();
      }
    });
}

/** Lets the suites count the rows of `store` under `economy` too (a target wrapping another's store). */
export function shareStore(economy: Economy, store: Store): void {
  storesOf.set(economy, store);
}

/**
 * Registers setup/teardown for one store target in the calling describe block and returns it.
 * The PostgreSQL target gets its own database per block (wrap the block in
 * `describe.skipIf(!(await postgresAvailable()))`). On `:memory:` every `open()` is a new, empty database.
 */
export function useStore(name: Exclude<StoreTarget['name'], RemoteTargetName>): StoreTarget {
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
