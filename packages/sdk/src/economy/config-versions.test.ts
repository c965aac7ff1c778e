import { describe, expect, it } from 'vitest';
import { defineEconomy } from '../config/define.js';
import { presets } from '../config/presets.js';
import { LibsqlStore } from '../stores/libsql/store.js';
import type { Store } from '../stores/types.js';
import { ConfigVersions } from './config-versions.js';

describe('ConfigVersions cache', () => {
  it('never caches a read that started before invalidate() (a publish elsewhere)', async () => {
    const store = new LibsqlStore({ url: ':memory:' });
    await store.migrate();
    // The real store, with one read held back until the test lets it finish.
    let release: () => void = () => {};
    let holdNextRead = false;
    const slow: Store = Object.create(store, {
      getConfig: {
        value: async (tenant: string, version?: number) => {
          const row = await store.getConfig(tenant, version);
          if (holdNextRead) {
            holdNextRead = false;
            await new Promise<void>((resolve) => (release = resolve));
          }
          return row;
        },
      },
    });
    const here = new ConfigVersions('t1', slow);
    const elsewhere = new ConfigVersions('t1', store);
    await elsewhere.publish(defineEconomy(presets.cozy), null);

    holdNextRead = true;
    const stale = here.current(); // reads version 1, then waits
    await new Promise((resolve) => setImmediate(resolve));
    await elsewhere.publish(defineEconomy(presets.casino), null); // version 2, announced:
    here.invalidate();
    release();
    expect((await stale).version).toBe(1);
    // The next read must see version 2, not the stale read's version 1 left in the cache.
    expect((await here.current()).version).toBe(2);
    await store.close();
  });
});
