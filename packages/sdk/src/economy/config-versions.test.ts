import { describe, expect, it } from 'vitest';
import { defineEconomy } from '../config/define.js';
import { presets } from '../config/presets.js';
import { LibsqlStore } from '../stores/libsql/store.js';
import type { Store } from '../stores/types.js';
import { CONFIG_CACHE_MS, ConfigVersions } from './config-versions.js';

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

  it('trusts its copy until told while every publish is heard, and re-reads every second otherwise', async () => {
    const store = new LibsqlStore({ url: ':memory:' });
    await store.migrate();
    let now = 0;
    let heard = true;
    const here = new ConfigVersions(
      't1',
      store,
      () => heard,
      () => now,
    );
    const elsewhere = new ConfigVersions('t1', store);
    await elsewhere.publish(defineEconomy(presets.cozy), null);
    expect((await here.current()).version).toBe(1);
    await elsewhere.publish(defineEconomy(presets.casino), null);
    now += 10 * CONFIG_CACHE_MS;
    expect((await here.current()).version).toBe(1);
    here.invalidate(); // the announcement of version 2
    expect((await here.current()).version).toBe(2);
    // Not heard (LISTEN down): back to the expiry.
    heard = false;
    await elsewhere.publish(defineEconomy(presets.cozy), null);
    expect((await here.current()).version).toBe(2);
    now += CONFIG_CACHE_MS;
    expect((await here.current()).version).toBe(3);
    await store.close();
  });
});
