import { createEconomy, defineEconomy } from '@guildmint/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rig, said, startRig, waitForEvent } from './support/harness.js';
import { tcpProxy } from './support/proxy.js';
import {
  createTestDatabase,
  POSTGRES_URL,
  postgresAvailable,
  REDIS_URL,
  redisAvailable,
  type TestDatabase,
} from './support/services.js';

// The hosted setup: PostgreSQL as the store, Redis as the cache, each behind a proxy this file can cut.

const [pgUp, redisUp] = await Promise.all([postgresAvailable(), redisAvailable()]);

describe.skipIf(!pgUp || !redisUp)('end to end on PostgreSQL and Redis', () => {
  let db: TestDatabase;
  let pgProxy: Awaited<ReturnType<typeof tcpProxy>>;
  let redisProxy: Awaited<ReturnType<typeof tcpProxy>>;
  let rig: Rig;
  let proxiedUrl: string;

  beforeAll(async () => {
    db = await createTestDatabase('bot_runtime');
    const pgTarget = new URL(POSTGRES_URL);
    const redisTarget = new URL(REDIS_URL);
    pgProxy = await tcpProxy({ host: pgTarget.hostname, port: Number(pgTarget.port || 5432) });
    redisProxy = await tcpProxy({ host: redisTarget.hostname, port: Number(redisTarget.port || 6379) });
    const url = new URL(db.url);
    url.host = `127.0.0.1:${pgProxy.port}`;
    proxiedUrl = url.toString();
    rig = await startRig({ storage: proxiedUrl, runtime: { cache: `redis://127.0.0.1:${redisProxy.port}` } });
  });

  afterAll(async () => {
    await rig?.close();
    await pgProxy?.close();
    await redisProxy?.close();
    await db?.drop();
  });

  it('serves commands from PostgreSQL with Redis as the cache', async () => {
    expect(said(await rig.slash('daily'))).toMatch(/🪙 200/);
    expect(said(await rig.slash('pay', { member: rig.bob, amount: 40 }))).toMatch(/Payment sent/);
    expect(await rig.balance()).toBe(160n); // 2 % of 40 is 0.8: the tax rounds down to 0
  });

  it('hot-reloads a config published by another process (LISTEN/NOTIFY)', async () => {
    const publisher = createEconomy({ storage: db.url });
    try {
      const config = defineEconomy({
        faucets: { daily: { reward: { fixed: 321 } }, bonus: { reward: { fixed: 5 } } },
      });
      // LISTEN starts asynchronously in the runtime: publish until it hears one (bounded).
      let heard: Awaited<ReturnType<typeof waitForEvent<'commandsSynced'>>> | undefined;
      for (let attempt = 0; attempt < 20 && !heard; attempt++) {
        const { version } = await publisher.tenant(rig.guild.id).configure(config);
        heard = await waitForEvent(
          rig.runtime,
          'commandsSynced',
          (r) => r.guildId === rig.guild.id && r.version === version,
          500,
        ).catch(() => undefined);
      }
      expect(heard).toBeDefined();
      expect(rig.sim.commands(rig.guild.id).map((c) => c.name)).toContain('bonus');
      expect(said(await rig.slash('daily', {}, rig.bob))).toMatch(/You received \*\*🪙 321\*\*/);
    } finally {
      await publisher.close();
    }
  });

  it('Redis stopped mid-run: commands keep working from the store and nothing is lost', async () => {
    const tenant = rig.runtime.economy.tenant(rig.guild.id);
    const before = await rig.balance(rig.bob);
    expect(said(await rig.slash('bonus', {}, rig.bob))).toMatch(/🪙 5/);
    const acknowledged: string[] = [];
    for (let i = 0; i < 6; i++) {
      if (i === 3) await redisProxy.cut(); // halfway through, Redis goes away
      const reply = await rig.slash('pay', { member: rig.alice, amount: 1 }, rig.bob);
      expect(said(reply)).toMatch(/Payment sent/);
      acknowledged.push(reply.interactionId);
    }
    // Every acknowledged payment is in the store, under its interaction id; the balance adds up.
    const stored = (await tenant.ledger.transfers({ account: `user:${rig.bob}`, limit: 100 })).items.map(
      (t) => t.id,
    );
    expect(stored).toEqual(expect.arrayContaining(acknowledged));
    expect(await rig.balance(rig.bob)).toBe(before + 5n - 6n);
    expect((await tenant.ledger.verify()).ok).toBe(true);
    await redisProxy.restore();
  });

  it('PostgreSQL unreachable: an ephemeral error, and nothing half-written', async () => {
    const alice = await rig.balance();
    const bob = await rig.balance(rig.bob);
    const count = async () =>
      (await rig.runtime.economy.tenant(rig.guild.id).ledger.transfers({ limit: 500 })).items.length;
    const transfersBefore = await count();
    await pgProxy.cut();
    try {
      const handled = waitForEvent(rig.runtime, 'interaction', (e) => e.command === 'pay', 30_000);
      const first = await rig.sim.slash({
        guildId: rig.guild.id,
        userId: rig.alice,
        command: 'pay',
        options: { member: rig.bob, amount: 25 },
        timeoutMs: 30_000,
      });
      const [event] = await handled;
      expect(event).toMatchObject({ ok: false, code: 'STORE_UNAVAILABLE' });
      // Retried inside the SDK first: if that outlasts the defer threshold, the error is a private follow-up.
      const seen = rig.sim.latest(first.interactionId)!;
      const answer = event.deferred ? seen.followUps[0]! : seen;
      expect(answer).toMatchObject({ ephemeral: true });
      expect(said(answer)).toMatch(
        /The bank is unreachable\nWe could not reach the database\. Check \/balance before trying again/,
      );
    } finally {
      await pgProxy.restore();
    }
    expect(await rig.balance()).toBe(alice);
    expect(await rig.balance(rig.bob)).toBe(bob);
    expect(await count()).toBe(transfersBefore);
    expect((await rig.runtime.economy.tenant(rig.guild.id).ledger.verify()).ok).toBe(true);
    // And the bot works again once the database is back.
    expect(said(await rig.slash('bonus'))).toMatch(/🪙 5/);
  }, 60_000);
});
