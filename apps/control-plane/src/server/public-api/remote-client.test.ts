import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { createEconomy, ErrorCode, GuildmintError, RetryLaterError } from '@guildmint/sdk';
import { createRemoteEconomy, type RemoteEconomyOptions } from '@guildmint/sdk/remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../../../test/support/api-server';
import { createHarness, type Harness, onboarded } from '../../../test/support/harness';

/**
 * The SDK's remote client (@guildmint/sdk/remote) against API v1 served on loopback, on a real store:
 * the same answers and error codes as the tenant it reaches, retries that reuse one idempotency key
 * (a connection cut after the commit moves money once), a key confined to its tenant, and an
 * unreachable API answered as STORE_UNAVAILABLE within the retry budget.
 */

const alice = '310000000000000001';
const bob = '310000000000000002';
const FAST = { attempts: 4, budgetMs: 3_000, attemptTimeoutMs: 2_000 };

async function failure(promise: Promise<unknown>): Promise<GuildmintError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected the call to fail').toBeInstanceOf(GuildmintError);
  return error as GuildmintError;
}

async function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/**
 * A TCP proxy in front of the API that, when `cutNextAnswer` is set, lets the next request through
 * and then closes the caller's connection instead of passing the answer on: the server committed,
 * the client never heard. With `dieAtCut`, the proxy then stops listening too (the server is gone).
 */
async function cuttingProxy(target: string) {
  const upstreamPort = Number(new URL(target).port);
  const state = { cutNextAnswer: false, dieAtCut: false, cuts: 0 };
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.pipe(upstream);
    upstream.on('data', (chunk) => {
      if (state.cutNextAnswer) {
        state.cutNextAnswer = false;
        state.cuts++;
        client.destroy();
        upstream.destroy();
        if (state.dieAtCut) server.close();
        return;
      }
      client.write(chunk);
    });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        if (!server.listening) return resolve();
        server.close(() => resolve());
      }),
  };
}

describe('remote client over API v1 (libsql)', () => {
  let h: Harness;
  let server: Awaited<ReturnType<typeof startApiServer>>;
  let tenantId: string;
  let otherTenant: string;
  let writeKey: string;
  let adminKey: string;
  let foreignKey: string;
  const remote = (o: Partial<RemoteEconomyOptions> = {}) =>
    createRemoteEconomy({ url: server.url, apiKey: writeKey, tenantId, retry: FAST, ...o });

  beforeAll(async () => {
    h = await createHarness('libsql');
    server = await startApiServer(h.services);
    const owner = await onboarded(h);
    const other = await onboarded(h);
    tenantId = owner.tenantId;
    otherTenant = other.tenantId;
    const make = async (caller: typeof owner.caller, tenant: string, scopes: Array<'write' | 'admin'>) =>
      (await caller.apiKeys.create({ tenantId: tenant, name: scopes.join('+'), scopes })).secret;
    writeKey = await make(owner.caller, tenantId, ['write']);
    adminKey = await make(owner.caller, tenantId, ['admin']);
    foreignKey = await make(other.caller, otherTenant, ['admin']);
    await h.economy.tenant(tenantId).grant(alice, 10_000n, { reason: 'seed', actor: 'test' });
    await h.economy.tenant(otherTenant).grant(alice, 777n, { reason: 'seed', actor: 'test' });
  });
  afterAll(async () => {
    await server?.close();
    await h?.close();
  });

  it('answers with the SDK’s types, exactly as the local tenant does', async () => {
    const t = remote().tenant(tenantId);
    const local = h.economy.tenant(tenantId);
    const receipt = await t.pay({ from: alice, to: bob, amount: 150n, memo: 'lunch' });
    expect(receipt.amount).toBe(150n);
    expect(typeof receipt.tax).toBe('bigint');
    expect(receipt.replayed).toBe(false);
    expect(receipt.transfers[0]?.createdAt).toBeInstanceOf(Date);
    expect(await t.balance(bob)).toBe(await local.balance(bob));
    expect(await t.balance(bob)).toBe(150n);
    expect(await t.holdings(alice)).toEqual(await local.holdings(alice));
    expect(await t.leaderboard({ limit: 5 })).toEqual(await local.leaderboard({ limit: 5 }));
    expect(await t.ledger.balance(`user:${bob}`)).toBe(150n);
    expect((await t.ledger.transfers({ limit: 3 })).items).toEqual(
      (await local.ledger.transfers({ limit: 3 })).items,
    );
  });

  it('replays a caller’s key, and refuses it for another request', async () => {
    const t = remote().tenant(tenantId);
    const first = await t.pay({ from: alice, to: bob, amount: 5n, key: 'remote-own-key' });
    const again = await t.pay({ from: alice, to: bob, amount: 5n, key: 'remote-own-key' });
    expect(again).toMatchObject({ id: first.id, replayed: true });
    const error = await failure(t.pay({ from: alice, to: bob, amount: 6n, key: 'remote-own-key' }));
    expect(error.code).toBe(ErrorCode.IDEMPOTENCY_CONFLICT);
  });

  it('throws the SDK’s error codes, retryAt included', async () => {
    const t = remote().tenant(tenantId);
    const before = await t.balance(bob);
    expect((await failure(t.pay({ from: bob, to: alice, amount: 10n ** 9n }))).code).toBe(
      ErrorCode.INSUFFICIENT_FUNDS,
    );
    expect(await t.balance(bob)).toBe(before);
    const claimed = await t.claim('daily', bob);
    expect(claimed.nextClaimAt).toBeInstanceOf(Date);
    const cooldown = await failure(t.claim('daily', bob));
    expect(cooldown).toBeInstanceOf(RetryLaterError);
    expect(cooldown.code).toBe(ErrorCode.COOLDOWN);
    expect((cooldown as RetryLaterError).retryAt.getTime()).toBe(claimed.nextClaimAt.getTime());
    // A write key may not do what moderators do.
    expect((await failure(t.grant(bob, 1n, { reason: 'no' }))).code).toBe(ErrorCode.FORBIDDEN);
    expect((await failure(t.pay({ from: alice, to: bob, amount: 0n }))).code).toBe(ErrorCode.INVALID_AMOUNT);
  });

  it('keeps the ledger’s contract: replays, conflicts, overdrafts, overflow, reversals once, pages', async () => {
    const t = remote({ apiKey: adminKey }).tenant(tenantId);
    const local = h.economy.tenant(tenantId);
    const carol = `user:310000000000000003`;
    const first = await t.ledger.transfer({
      id: 'remote-l1',
      from: 'faucet:seed',
      to: carol,
      amount: 90n,
      code: 'faucet.seed',
      metadata: { a: 1, b: 2 },
    });
    expect(first).toMatchObject({ id: 'remote-l1', tenant: tenantId, amount: 90n, metadata: { a: 1, b: 2 } });
    expect(first.createdAt).toBeInstanceOf(Date);
    const replay = await t.ledger.transfer({
      id: 'remote-l1',
      from: 'faucet:seed',
      to: carol,
      amount: 90n,
      code: 'faucet.seed',
      metadata: { b: 2, a: 1 },
    });
    expect(replay).toEqual(first);
    const conflict = t.ledger.transfer({
      id: 'remote-l1',
      from: 'faucet:seed',
      to: carol,
      amount: 91n,
      code: 'faucet.seed',
    });
    expect((await failure(conflict)).code).toBe(ErrorCode.IDEMPOTENCY_CONFLICT);
    const overdraw = t.ledger.transfer({ from: carol, to: 'sink:shop', amount: 91n, code: 'shop.buy' });
    expect((await failure(overdraw)).code).toBe(ErrorCode.INSUFFICIENT_FUNDS);
    const overflow = t.ledger.transfer({
      from: 'faucet:seed',
      to: carol,
      amount: 2n ** 63n,
      code: 'faucet.seed',
    });
    expect((await failure(overflow)).code).toBe(ErrorCode.AMOUNT_OVERFLOW);
    expect(await local.ledger.balance(carol)).toBe(90n);

    const [mirror] = await t.ledger.reverse('remote-l1', { reason: 'test', id: 'remote-r1' });
    expect(mirror).toMatchObject({ reverses: 'remote-l1', amount: 90n, from: carol });
    expect(await t.ledger.reverse('remote-l1', { reason: 'test', id: 'remote-r1' })).toEqual([mirror]);
    expect((await failure(t.ledger.reverse('remote-l1', { reason: 'again' }))).code).toBe(
      ErrorCode.ALREADY_REVERSED,
    );
    expect((await failure(t.ledger.reverse('remote-none', { reason: 'x' }))).code).toBe(ErrorCode.NOT_FOUND);
    expect(await t.ledger.balance(carol)).toBe(0n);

    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await t.ledger.transfers({ account: carol, limit: 1, ...(cursor && { cursor }) });
      pages.push(...page.items.map((x) => x.id));
      cursor = page.next;
    } while (cursor);
    expect(pages).toEqual((await local.ledger.transfers({ account: carol })).items.map((x) => x.id));
    expect(pages).toHaveLength(2);
    expect(await t.ledger.verify()).toEqual({ ok: true, problems: [] });
  });

  it('keeps the economy’s contract: frozen members, the bank, the shop’s refusals, games, audit, config', async () => {
    const admin = remote({ apiKey: adminKey }).tenant(tenantId);
    const local = h.economy.tenant(tenantId);
    const dave = '310000000000000004';
    await admin.grant(dave, 500n, { reason: 'seed' });
    await admin.freeze(dave, { reason: 'test' });
    expect(await admin.isFrozen(dave)).toBe(true);
    expect((await failure(admin.pay({ from: dave, to: alice, amount: 1n }))).code).toBe(
      ErrorCode.ACCOUNT_FROZEN,
    );
    await admin.unfreeze(dave);
    expect(await local.isFrozen(dave)).toBe(false);

    const deposit = await admin.deposit(dave, 200n);
    expect(deposit.amount).toBe(200n);
    expect(await admin.holdings(dave)).toEqual({ wallet: 300n, bank: 200n, total: 500n });
    expect(await admin.profile(dave)).toEqual(await local.profile(dave));
    // The viewer travels too (members may view each other's profiles here, so both answer the same).
    expect(await admin.profile(dave, { viewer: alice })).toEqual(
      await local.profile(dave, { viewer: alice }),
    );

    expect((await failure(admin.buy(dave, 'no-such-item'))).code).toBe(ErrorCode.NOT_FOUND);
    expect((await failure(admin.deposit(dave, 10n ** 6n))).code).toBe(ErrorCode.INSUFFICIENT_FUNDS);

    const round = await admin.play('coinflip', dave, { bet: 10n, side: 'heads', key: 'remote-flip' });
    expect(round).toMatchObject({ game: 'coinflip', bet: 10n, finished: true, replayed: false });
    expect(typeof round.payout).toBe('bigint');
    expect(await admin.play('coinflip', dave, { bet: 10n, side: 'heads', key: 'remote-flip' })).toMatchObject(
      {
        roundId: round.roundId,
        replayed: true,
      },
    );
    expect(await admin.round(round.roundId)).toEqual(await local.round(round.roundId));
    expect(await admin.fairness(dave)).toEqual(await local.fairness(dave));

    const log = await admin.auditLog({ limit: 5 });
    expect(log).toEqual(await local.auditLog({ limit: 5 }));
    expect(log.some((entry) => entry.actor.startsWith('api-key:'))).toBe(true);
    expect((await admin.configHistory()).length).toBeGreaterThan(0);
    const config = await admin.config();
    expect(config).toEqual(await local.config());
  });

  it('moves money once when the answer is lost after the commit (the retry reuses the key)', async () => {
    const proxy = await cuttingProxy(server.url);
    try {
      const t = remote({ url: proxy.url, apiKey: adminKey }).tenant(tenantId);
      const local = h.economy.tenant(tenantId);
      const [aliceBefore, bobBefore] = [await local.balance(alice), await local.balance(bob)];
      const transfersBefore = (await local.ledger.transfers({ limit: 1000 })).items.length;
      proxy.state.cutNextAnswer = true;
      const receipt = await t.pay({ from: alice, to: bob, amount: 40n });
      expect(proxy.state.cuts).toBe(1);
      expect(receipt.replayed).toBe(true);
      expect(await local.balance(bob)).toBe(bobBefore + 40n);
      expect(await local.balance(alice)).toBe(aliceBefore - 40n - receipt.tax - receipt.fee);
      const transfersAfter = (await local.ledger.transfers({ limit: 1000 })).items.length;
      expect(transfersAfter - transfersBefore).toBe(receipt.transfers.length);

      proxy.state.cutNextAnswer = true;
      const moved = await t.ledger.transfer({
        from: `user:${alice}`,
        to: `user:${bob}`,
        amount: 3n,
        code: 'test.move',
      });
      expect(moved.amount).toBe(3n);
      expect(await local.balance(bob)).toBe(bobBefore + 43n);
    } finally {
      await proxy.close();
    }
  });

  it('answers STORE_UNAVAILABLE when the server dies mid-call; the same key later applies it once', async () => {
    const proxy = await cuttingProxy(server.url);
    try {
      const dying = remote({ url: proxy.url, retry: { attempts: 3, budgetMs: 2_000 } }).tenant(tenantId);
      const local = h.economy.tenant(tenantId);
      const bobBefore = await local.balance(bob);
      const payment = { from: alice, to: bob, amount: 21n, key: 'server-killed-mid-call' };
      proxy.state.cutNextAnswer = true;
      proxy.state.dieAtCut = true;
      const started = Date.now();
      expect((await failure(dying.pay(payment))).code).toBe(ErrorCode.STORE_UNAVAILABLE);
      expect(Date.now() - started).toBeLessThan(4_000);
      expect(proxy.state.cuts).toBe(1);
      // The server had committed before it died: the money moved once, and was not lost.
      expect(await local.balance(bob)).toBe(bobBefore + 21n);
      // The caller sends the same key again once the API is back: the answer, not a second payment.
      const again = await remote().tenant(tenantId).pay(payment);
      expect(again.replayed).toBe(true);
      expect(await local.balance(bob)).toBe(bobBefore + 21n);
    } finally {
      await proxy.close();
    }
  });

  it('serves only its key’s tenant', async () => {
    const economy = remote({ apiKey: foreignKey });
    const error = (() => {
      try {
        economy.tenant(otherTenant);
        return null;
      } catch (e) {
        return e as GuildmintError;
      }
    })();
    expect(error?.code).toBe(ErrorCode.FORBIDDEN);
    // A key of the other tenant pointed at this one reads and writes nothing here.
    const t = economy.tenant(tenantId);
    const local = h.economy.tenant(tenantId);
    const before = { alice: await local.balance(alice), transfers: (await local.ledger.transfers()).items };
    expect((await failure(t.balance(alice))).code).toBe(ErrorCode.FORBIDDEN);
    expect((await failure(t.ledger.transfers())).code).toBe(ErrorCode.FORBIDDEN);
    expect((await failure(t.pay({ from: alice, to: bob, amount: 1n }))).code).toBe(ErrorCode.FORBIDDEN);
    expect((await failure(t.grant(alice, 1n, { reason: 'x' }))).code).toBe(ErrorCode.FORBIDDEN);
    expect(await local.balance(alice)).toBe(before.alice);
    expect((await local.ledger.transfers()).items).toEqual(before.transfers);
    // Its own tenant's data stays its own.
    const own = createRemoteEconomy({
      url: server.url,
      apiKey: foreignKey,
      tenantId: otherTenant,
      retry: FAST,
    });
    expect(await own.tenant(otherTenant).balance(alice)).toBe(777n);
  });

  it('is what createEconomy({ remote: { url, apiKey } }) opens (SDK-CONTRACT): the key’s tenant, and FORBIDDEN for any other', async () => {
    const economy = createEconomy({ remote: { url: server.url, apiKey: writeKey, retry: FAST } });
    try {
      await economy.migrate();
      const t = economy.tenant(tenantId);
      const local = h.economy.tenant(tenantId);
      const receipt = await t.pay({ from: alice, to: bob, amount: 3n, key: 'contract-remote-1' });
      expect(receipt).toMatchObject({ amount: 3n, replayed: false });
      expect((await t.pay({ from: alice, to: bob, amount: 3n, key: 'contract-remote-1' })).replayed).toBe(
        true,
      );
      expect(await t.balance(bob)).toBe(await local.balance(bob));
      const before = await h.economy.tenant(otherTenant).balance(alice);
      const elsewhere = economy.tenant(otherTenant);
      expect((await failure(elsewhere.balance(alice))).code).toBe(ErrorCode.FORBIDDEN);
      expect((await failure(elsewhere.pay({ from: alice, to: bob, amount: 1n }))).code).toBe(
        ErrorCode.FORBIDDEN,
      );
      expect(await h.economy.tenant(otherTenant).balance(alice)).toBe(before);
    } finally {
      await economy.close();
    }
  });

  it('answers STORE_UNAVAILABLE when the API cannot be reached, within the budget', async () => {
    const closed = createServer();
    const port = await listen(closed);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const t = remote({ url: `http://127.0.0.1:${port}`, retry: { attempts: 3, budgetMs: 2_000 } }).tenant(
      tenantId,
    );
    const started = Date.now();
    expect((await failure(t.balance(alice))).code).toBe(ErrorCode.STORE_UNAVAILABLE);
    expect((await failure(t.pay({ from: alice, to: bob, amount: 1n }))).code).toBe(
      ErrorCode.STORE_UNAVAILABLE,
    );
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('gives up on a server that never answers, and on 503s, with STORE_UNAVAILABLE', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    const silentPort = await listen(silent);
    let unavailable = 0;
    const failing = createHttpServer((_, res) => {
      unavailable++;
      res.writeHead(503, { 'content-type': 'text/plain' }).end('down');
    });
    const failingPort = await listen(failing);
    try {
      const slow = remote({
        url: `http://127.0.0.1:${silentPort}`,
        retry: { attempts: 2, budgetMs: 1_000, attemptTimeoutMs: 200 },
      }).tenant(tenantId);
      expect((await failure(slow.balance(alice))).code).toBe(ErrorCode.STORE_UNAVAILABLE);
      const down = remote({
        url: `http://127.0.0.1:${failingPort}`,
        retry: { attempts: 3, budgetMs: 2_000 },
      }).tenant(tenantId);
      expect((await failure(down.pay({ from: alice, to: bob, amount: 1n }))).code).toBe(
        ErrorCode.STORE_UNAVAILABLE,
      );
      expect(unavailable).toBe(3);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
      await new Promise<void>((resolve) => failing.close(() => resolve()));
    }
  });

  it('waits for a 429’s Retry-After, then sends the same key again', async () => {
    const keys: Array<string | undefined> = [];
    const limited = createHttpServer((req, res) => {
      keys.push(req.headers['idempotency-key'] as string | undefined);
      if (keys.length === 1) {
        const retryAt = new Date(Date.now() + 1000).toISOString();
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'slow down', retryAt } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'd1', amount: '5', interest: '0', transfers: [], replayed: false }));
    });
    const port = await listen(limited);
    try {
      const t = remote({ url: `http://127.0.0.1:${port}` }).tenant(tenantId);
      const started = Date.now();
      const receipt = await t.deposit(alice, 5n);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect(receipt.amount).toBe(5n);
      expect(keys).toHaveLength(2);
      expect(keys[0]).toMatch(/^remote_/);
      expect(keys[1]).toBe(keys[0]);
      // Past the budget, the caller gets RATE_LIMITED with its retryAt instead of a wait.
      keys.length = 0;
      const impatient = remote({ url: `http://127.0.0.1:${port}`, retry: { budgetMs: 200 } }).tenant(
        tenantId,
      );
      const error = await failure(impatient.deposit(alice, 5n));
      expect(error).toBeInstanceOf(RetryLaterError);
      expect(error.code).toBe(ErrorCode.RATE_LIMITED);
    } finally {
      await new Promise<void>((resolve) => limited.close(() => resolve()));
    }
  });
});
