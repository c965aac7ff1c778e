import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigListener } from '../src/stores/postgres/config-listener.js';
import { PostgresHosts } from '../src/stores/postgres/hosts.js';
import type { ConfigChange } from '../src/stores/types.js';
import { FreezableProxy } from './support/freezable-proxy.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './support/services.js';

const CHANNEL = 'gm_test_heartbeat';
// Short waits, so the test is fast; the defaults (5 s heartbeat, 2 s connect wait) are in the README.
const CONNECT_TIMEOUT_MS = 300;
const HEARTBEAT_MS = 100;

describe.skipIf(!(await postgresAvailable()))('a LISTEN connection that goes silent', () => {
  let db: TestDatabase;
  let proxy: FreezableProxy;
  let listener: ConfigListener;
  const changes: ConfigChange[] = [];
  /** Resolved by the listener's next report of `listening`, when it is `want`. */
  let expectLive: { want: boolean; resolve: () => void } | undefined;
  const nextLive = (want: boolean) =>
    new Promise<void>((resolve) => {
      expectLive = { want, resolve };
    });

  beforeAll(async () => {
    db = await createTestDatabase('listener_heartbeat');
    const url = new URL(db.url);
    proxy = new FreezableProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.port = String(await proxy.listen());
    const live = nextLive(true);
    listener = new ConfigListener(
      new PostgresHosts(url.toString()),
      CHANNEL,
      CONNECT_TIMEOUT_MS,
      HEARTBEAT_MS,
    );
    listener.add(
      (change) => changes.push(change),
      (listening) => {
        if (expectLive?.want === listening) expectLive.resolve();
      },
    );
    await live;
  });
  afterAll(async () => {
    await listener?.close();
    await proxy?.close();
    await db?.drop();
  });

  /** Publishes on the channel straight to the server (not through the proxy) until the listener hears it. */
  async function heard(payload: string): Promise<ConfigChange | undefined> {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      for (let i = 0; i < 50; i++) {
        await client.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]);
        const found = changes.find((c) => `${c.tenant}:${c.version}` === payload);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return undefined;
    } finally {
      await client.end();
    }
  }

  it('hears notifications while the connection answers', async () => {
    expect(await heard('guild-1:1')).toEqual({ tenant: 'guild-1', version: 1 });
  });

  it('counts itself down when the connection stops answering, though it never closed', async () => {
    const down = nextLive(false);
    const silentAt = Date.now();
    proxy.frozen = true;
    await down;
    // Within heartbeat + connect wait (400 ms here), not TCP's keepalive (two hours by default). The bound
    // asserted is loose, for a shared machine; what it rules out is never noticing.
    expect(Date.now() - silentAt).toBeLessThan(10_000);
  });

  it('listens again once the server answers, and hears what is published after', async () => {
    const up = nextLive(true);
    proxy.frozen = false;
    await up;
    expect(await heard('guild-1:2')).toEqual({ tenant: 'guild-1', version: 2 });
  });
});
