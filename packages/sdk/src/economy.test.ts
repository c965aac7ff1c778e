import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { presets } from './config/presets.js';
import { createEconomy, type Economy } from './economy.js';
import { LibsqlStore } from './stores/libsql/store.js';
import type { Store } from './stores/types.js';

/** Resolves after every microtask queued so far has run, and one turn of the event loop. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('onConfigChange listeners', () => {
  let economy: Economy | undefined;
  afterEach(async () => {
    await economy?.close();
    economy = undefined;
  });

  it('are drained by close(): a listener still running finishes (its calls included) before the store closes', async () => {
    const store = new LibsqlStore({ url: ':memory:' });
    const events: string[] = [];
    const closeStore = store.close.bind(store);
    vi.spyOn(store, 'close').mockImplementation(async () => {
      events.push('store closed');
      await closeStore();
    });
    economy = createEconomy({ storage: store });
    const tenant = economy.tenant('guild');
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    economy.onConfigChange(async (change) => {
      events.push(`heard v${change.version}`);
      await released;
      events.push(`read v${(await tenant.config()).version}`);
    });

    await tenant.configure(presets.cozy);
    const closed = economy.close().then(() => events.push('closed'));
    // close() has run as far as it can without the listener; only now may the listener go on.
    await nextTurn();
    release();
    await closed;
    economy = undefined;
    expect(events).toEqual(['heard v1', 'read v1', 'store closed', 'closed']);
  });

  it('hear each version once, though a publish of this process also comes back through the store', async () => {
    const store = new LibsqlStore({ url: ':memory:' });
    let notify!: (change: { tenant: string; version: number }) => void;
    // A store that, like PostgreSQL's LISTEN, also announces what this process published.
    const watchConfigs: NonNullable<Store['watchConfigs']> = (listener) => {
      notify = listener;
      return () => {};
    };
    economy = createEconomy({ storage: Object.assign(store, { watchConfigs }) });
    const tenant = economy.tenant('guild');
    const heard: unknown[] = [];
    economy.onConfigChange((change) => {
      heard.push(change);
    });

    await tenant.configure(presets.cozy);
    notify({ tenant: 'guild', version: 1 });
    await tenant.configure(presets.casino);
    notify({ tenant: 'guild', version: 1 }); // late and older: not news
    notify({ tenant: 'guild', version: 2 });
    notify({ tenant: 'guild', version: 3 }); // another process's publish
    await economy.close();
    economy = undefined;
    expect(heard).toEqual([
      { tenant: 'guild', version: 1 },
      { tenant: 'guild', version: 2 },
      { tenant: 'guild', version: 3 },
    ]);
  });

  it("report a listener's throw through onError, and still answer the publish and tell the others", async () => {
    const reported: Array<{ message: string; context: unknown }> = [];
    economy = createEconomy({
      storage: ':memory:',
      onError: (error, context) => reported.push({ message: (error as Error).message, context }),
    });
    const tenant = economy.tenant('guild');
    const heard: unknown[] = [];
    economy.onConfigChange(() => {
      throw new Error('sync listener failed');
    });
    economy.onConfigChange(async () => {
      await nextTurn();
      throw new Error('async listener failed');
    });
    economy.onConfigChange((change) => {
      heard.push(change);
    });

    await expect(tenant.configure(presets.cozy)).resolves.toEqual({ version: 1 });
    expect((await tenant.config()).version).toBe(1);
    await economy.close();
    economy = undefined;
    const context = { source: 'onConfigChange', tenant: 'guild', version: 1 };
    expect(reported.sort((a, b) => a.message.localeCompare(b.message))).toEqual([
      { message: 'async listener failed', context },
      { message: 'sync listener failed', context },
    ]);
    expect(heard).toEqual([{ tenant: 'guild', version: 1 }]);
  });

  it("write a listener's throw to console.error when no onError is given", async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      economy = createEconomy({ storage: ':memory:' });
      const failure = new Error('listener failed');
      economy.onConfigChange(() => {
        throw failure;
      });
      await economy.tenant('guild').configure(presets.cozy);
      await economy.close();
      economy = undefined;
      expect(logged).toHaveBeenCalledWith(expect.stringContaining('onConfigChange'), failure);
    } finally {
      logged.mockRestore();
    }
  });
});

describe('createEconomy', () => {
  it('never throws: storage or a cache it cannot use rejects the first call with INVALID_INPUT', async () => {
    const notAStore = { kind: 'libsql' as const, migrate: async () => {}, close: async () => {} };
    for (const options of [
      { storage: 'mysql://localhost/db' },
      { storage: ':memory:', cache: 'memcached://x' },
      { storage: notAStore },
    ]) {
      const economy = createEconomy(options);
      const refusal = await economy
        .tenant('guild')
        .balance('42')
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(refusal).toMatchObject({ code: 'INVALID_INPUT' });
      await economy.close();
    }
  });

  it('names the missing folder of a file: URL', async () => {
    const folder = join(tmpdir(), `guildmint-missing-${process.pid}`, 'data');
    const economy = createEconomy({ storage: `file:${join(folder, 'ledger.db')}` });
    const refusal = await economy
      .tenant('guild')
      .balance('42')
      .then(
        () => undefined,
        (error: unknown) => error as Error & { code: string },
      );
    expect(refusal?.code).toBe('STORE_UNAVAILABLE');
    expect(refusal?.message).toContain(`the folder ${folder} does not exist`);
    await economy.close();
  });
});
