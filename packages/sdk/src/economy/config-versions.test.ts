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

  it('checks an expired copy by its version alone, and reads the config again only when a new one is there', async () => {
    const store = new LibsqlStore({ url: ':memory:' });
    await store.migrate();
    const reads: string[] = [];
    const counted: Store = Object.create(store, {
      getConfig: {
        value: (tenant: string, version?: number) => {
          reads.push('config');
          return store.getConfig(tenant, version);
        },
      },
      latestConfigVersion: {
        value: (tenant: string) => {
          reads.push('version');
          return store.latestConfigVersion(tenant);
        },
      },
    });
    let now = 0;
    const here = new ConfigVersions('t1', counted, undefined, () => now);
    const elsewhere = new ConfigVersions('t1', store);

    // Nothing published: the classic preset, version 0, which the version check keeps too.
    expect((await here.current()).version).toBe(0);
    now += CONFIG_CACHE_MS;
    expect((await here.current()).config).toEqual(presets.classic);
    expect(reads).toEqual(['config', 'version']);

    await elsewhere.publish(defineEconomy(presets.cozy), null);
    now += CONFIG_CACHE_MS;
    reads.length = 0;
    const first = await here.current();
    expect(first.version).toBe(1);
    expect(reads).toEqual(['version', 'config']);

    // Expired again with nothing new: the same parsed copy, and no config read.
    now += CONFIG_CACHE_MS;
    reads.length = 0;
    expect(await here.current()).toBe(first);
    expect(reads).toEqual(['version']);
    await store.close();
  });
});
