import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../../../test/support/api-server';
import { trpcCode } from '../../../test/support/expect';
import {
  createHarness,
  type Harness,
  nextId,
  onboarded,
  type StorageKind,
} from '../../../test/support/harness';
import { createKey } from '../api-keys/keys';
import { generateKey } from '../api-keys/token';
import { PLAN_CACHE_MS, planRequestsPerMinute } from './plan-limit';
import { createApiRateLimit } from './rate-limit';

/**
 * API v1 over real HTTP (fetch against API v1's handlers on loopback), on real stores: keys made by the
 * owner's tRPC procedures, every kind of bad key refused with nothing changed, idempotency (same body,
 * other body, concurrent twins), errors with the contract's codes and statuses, bounded bodies.
 */

interface Answer {
  status: number;
  headers: Headers;
  json: { error?: { code: string; message: string; retryAt?: string }; [k: string]: unknown };
}

/** `writerThread`: a libSQL economy's writer on its own thread (GUILDMINT_ECONOMY_WRITER_THREAD=1). */
export function publicApiSuite(kind: StorageKind, o: { writerThread?: boolean } = {}) {
  const label = o.writerThread ? `${kind}, writer thread` : kind;
  const writerThread = o.writerThread === true;
  describe(`public API v1 over HTTP (${label})`, () => {
    let h: Harness;
    let server: Awaited<ReturnType<typeof startApiServer>>;
    let tenantId: string;
    let otherTenant: string;
    let owner: Awaited<ReturnType<typeof onboarded>>;
    let writeKey: string;
    let readKey: string;
    let adminKey: string;
    let foreignKey: string;
    const alice = '300000000000000001';
    const bob = '300000000000000002';

    async function api(
      method: string,
      path: string,
      o: { key?: string | null; body?: unknown; rawBody?: string; idem?: string; tenant?: string } = {},
    ): Promise<Answer> {
      const headers: Record<string, string> = {};
      const key = o.key === undefined ? writeKey : o.key;
      if (key !== null) headers.authorization = `Bearer ${key}`;
      if (o.idem) headers['idempotency-key'] = o.idem;
      const body = o.rawBody ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${server.url}/api/v1/tenants/${o.tenant ?? tenantId}${path}`, {
        method,
        headers,
        ...(body !== undefined && { body }),
      });
      return { status: response.status, headers: response.headers, json: await response.json() };
    }

    /** Everything a refused request must leave as it was. */
    async function snapshot() {
      const tenant = h.economy.tenant(tenantId);
      return {
        alice: await tenant.balance(alice),
        bob: await tenant.balance(bob),
        transfers: (await tenant.ledger.transfers({ limit: 500 })).items.length,
        audit: (await tenant.auditLog({ limit: 500 })).length,
      };
    }

    beforeAll(async () => {
      h = await createHarness(kind, { writerThread });
      server = await startApiServer(h.services);
      owner = await onboarded(h);
      tenantId = owner.tenantId;
      const other = await onboarded(h);
      otherTenant = other.tenantId;
      const make = async (
        caller: typeof owner.caller,
        tenant: string,
        scopes: Array<'read' | 'write' | 'admin'>,
      ) => (await caller.apiKeys.create({ tenantId: tenant, name: scopes.join('+'), scopes })).secret;
      writeKey = await make(owner.caller, tenantId, ['write']);
      readKey = await make(owner.caller, tenantId, ['read']);
      adminKey = await make(owner.caller, tenantId, ['admin']);
      foreignKey = await make(other.caller, otherTenant, ['admin']);
      await h.economy.tenant(tenantId).grant(alice, 10_000n, { reason: 'seed', actor: 'test' });
    });
    afterAll(async () => {
      await server?.close();
      await h?.close();
    });

    it('answers a balance as a string, with the rate-limit headers', async () => {
      const answer = await api('GET', `/members/${alice}/balance`, { key: readKey });
      expect(answer.status).toBe(200);
      expect(answer.json).toEqual({ userId: alice, balance: '10000' });
      expect(answer.headers.get('ratelimit-limit')).toBe('1000');
      expect(Number(answer.headers.get('ratelimit-remaining'))).toBeLessThan(1000);
      expect(Number(answer.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    });

    it('refuses every bad key with its status and code, and changes nothing', async () => {
      const revoked = await owner.caller.apiKeys.create({ tenantId, name: 'to revoke', scopes: ['write'] });
      await owner.caller.apiKeys.revoke({ tenantId, id: revoked.key.id });
      const expired = await createKey(
        h.services.apiKeys,
        {
          tenantId,
          name: 'old',
          mode: 'live',
          scopes: ['write'],
          expiresAt: new Date(Date.now() - 1000),
          createdBy: 'test',
        },
        new Date(Date.now() - 86_400_000),
      );
      const wellFormedUnknown = generateKey('live').secret;
      const badChecksum = `${writeKey.slice(0, -1)}${writeKey.endsWith('A') ? 'B' : 'A'}`;
      const cases: Array<[string, string | null, number, string]> = [
        ['missing', null, 401, 'UNAUTHORIZED'],
        ['empty', '', 401, 'UNAUTHORIZED'],
        ['malformed', 'not-a-key', 401, 'UNAUTHORIZED'],
        ['bad checksum', badChecksum, 401, 'UNAUTHORIZED'],
        ['well-formed but unknown', wellFormedUnknown, 401, 'UNAUTHORIZED'],
        ['Stripe-looking', 'sk_live_51H8xxxxxxxxxxxxxxxxxxxxxxxx', 401, 'UNAUTHORIZED'],
        ['revoked', revoked.secret, 401, 'UNAUTHORIZED'],
        ['expired', expired.secret, 401, 'UNAUTHORIZED'],
        ['another tenant’s', foreignKey, 403, 'FORBIDDEN'],
        ['read-only on a write', readKey, 403, 'FORBIDDEN'],
      ];
      const before = await snapshot();
      for (const [label, key, status, code] of cases) {
        const answer = await api('POST', '/payments', {
          key,
          body: { from: alice, to: bob, amount: '100' },
          idem: randomUUID(),
        });
        expect([label, answer.status, answer.json.error?.code]).toEqual([label, status, code]);
      }
      // A write key cannot do what moderators do either.
      const grant = await api('POST', `/members/${bob}/grants`, { body: { amount: '5', reason: 'x' } });
      expect([grant.status, grant.json.error?.code]).toEqual([403, 'FORBIDDEN']);
      // Nor can a key reach another tenant's reads.
      const foreign = await api('GET', `/members/${alice}/balance`, { key: foreignKey });
      expect([foreign.status, foreign.json.error?.code]).toEqual([403, 'FORBIDDEN']);
      expect(await snapshot()).toEqual(before);
    });

    it('a retried payment with the same Idempotency-Key pays once; another body with it is a 409', async () => {
      const idem = randomUUID();
      const body = { from: alice, to: bob, amount: '250', memo: 'lunch' };
      const first = await api('POST', '/payments', { body, idem });
      expect(first.status).toBe(200);
      expect(first.json).toMatchObject({ amount: '250', replayed: false });
      const afterFirst = await snapshot();
      const again = await api('POST', '/payments', { body, idem });
      expect(again.status).toBe(200);
      expect(again.json).toMatchObject({ id: first.json.id, amount: '250', replayed: true });
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      const other = await api('POST', '/payments', { body: { ...body, amount: '251' }, idem });
      expect([other.status, other.json.error?.code]).toEqual([409, 'IDEMPOTENCY_CONFLICT']);
      expect(await snapshot()).toEqual(afterFirst);
    });

    it('concurrent identical requests with one Idempotency-Key pay once and all get the same receipt', async () => {
      const before = await snapshot();
      const idem = randomUUID();
      const answers = await Promise.all(
        Array.from({ length: 12 }, () =>
          api('POST', '/payments', { body: { from: alice, to: bob, amount: '7' }, idem }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
      expect(new Set(answers.map((a) => a.json.id)).size).toBe(1);
      expect(answers.filter((a) => a.json.replayed === false)).toHaveLength(1);
      const after = await snapshot();
      expect(after.bob - before.bob).toBe(7n);
    });

    it('moves coins between wallet and bank once per Idempotency-Key, and shows both', async () => {
      const carol = `3000000000${String(Date.now()).slice(-8)}`;
      await h.economy.tenant(tenantId).grant(carol, 1_000n, { reason: 'seed', actor: 'test' });
      const idem = randomUUID();
      const deposit = await api('POST', `/members/${carol}/bank/deposits`, { body: { amount: '400' }, idem });
      expect([deposit.status, deposit.json.amount, deposit.json.replayed]).toEqual([200, '400', false]);
      const again = await api('POST', `/members/${carol}/bank/deposits`, { body: { amount: '400' }, idem });
      expect([again.status, again.json.id, again.json.replayed]).toEqual([200, deposit.json.id, true]);
      const tooMuch = await api('POST', `/members/${carol}/bank/withdrawals`, {
        body: { amount: '401' },
        idem: randomUUID(),
      });
      expect([tooMuch.status, tooMuch.json.error?.code]).toEqual([409, 'INSUFFICIENT_FUNDS']);
      const holdings = await api('GET', `/members/${carol}/holdings`, { key: readKey });
      expect(holdings.json).toEqual({ wallet: '600', bank: '400', total: '1000' });
      const withdraw = await api('POST', `/members/${carol}/bank/withdrawals`, {
        body: { amount: '150' },
        idem: randomUUID(),
      });
      expect([withdraw.status, withdraw.json.amount]).toEqual([200, '150']);
      const profile = await api('GET', `/members/${carol}/profile`, { key: readKey });
      expect(profile.json).toMatchObject({ userId: carol, wallet: '750', bank: '250', total: '1000' });
      const byBank = await api('GET', '/leaderboard?by=bank&limit=5', { key: readKey });
      expect(byBank.json).toContainEqual({ userId: carol, balance: '250', wallet: '750', bank: '250' });
    });

    it('answers the contract’s codes with fitting statuses, changing nothing', async () => {
      const before = await snapshot();
      const cases: Array<[string, Promise<Answer>, number, string]> = [
        [
          'fraction',
          api('POST', '/payments', { body: { from: alice, to: bob, amount: '1.5' } }),
          400,
          'INVALID_AMOUNT',
        ],
        [
          // As the SDK answers `amount: 5` (a number, not a bigint): the amount is what is wrong.
          'number',
          api('POST', '/payments', { body: { from: alice, to: bob, amount: 5 } }),
          400,
          'INVALID_AMOUNT',
        ],
        [
          'negative',
          api('POST', '/payments', { body: { from: alice, to: bob, amount: '-5' } }),
          400,
          'INVALID_AMOUNT',
        ],
        ['not JSON', api('POST', '/payments', { rawBody: '{"from":' }), 400, 'INVALID_INPUT'],
        [
          'key too long',
          api('POST', '/payments', { body: { from: alice, to: bob, amount: '5' }, idem: 'k'.repeat(256) }),
          400,
          'INVALID_INPUT',
        ],
        [
          'too poor',
          api('POST', '/payments', { body: { from: bob, to: alice, amount: '99999999' } }),
          409,
          'INSUFFICIENT_FUNDS',
        ],
        ['no faucet', api('POST', `/members/${alice}/claims/nope`, {}), 404, 'NOT_FOUND'],
        ['no route', api('GET', '/nowhere'), 404, 'NOT_FOUND'],
        ['wrong method', api('GET', '/payments'), 405, 'METHOD_NOT_ALLOWED'],
      ];
      for (const [label, answer, status, code] of cases) {
        const a = await answer;
        expect([label, a.status, a.json.error?.code]).toEqual([label, status, code]);
      }
      expect(await snapshot()).toEqual(before);
    });

    it('a second claim within the cooldown is a 429 COOLDOWN with retryAt and Retry-After', async () => {
      const member = nextId();
      const first = await api('POST', `/members/${member}/claims/daily`, { idem: randomUUID() });
      expect(first.status).toBe(200);
      const second = await api('POST', `/members/${member}/claims/daily`, { idem: randomUUID() });
      expect([second.status, second.json.error?.code]).toEqual([429, 'COOLDOWN']);
      expect(Date.parse(second.json.error?.retryAt ?? '')).toBe(Date.parse(String(first.json.nextClaimAt)));
      expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('refuses a body over the limit with 413 before looking at it', async () => {
      const before = await snapshot();
      const answer = await api('POST', '/payments', {
        rawBody: JSON.stringify({ from: alice, to: bob, amount: '1', memo: 'x'.repeat(300_000) }),
      });
      expect([answer.status, answer.json.error?.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
      expect(await snapshot()).toEqual(before);
    });

    it('refuses a streamed body of no declared length once it passes the limit, and closes the connection', async () => {
      const before = await snapshot();
      const chunk = new TextEncoder().encode(`{"memo":"${'x'.repeat(64 * 1024)}`);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          // 64 MB if the server kept reading; it must answer once it has read the limit (256 kB).
          if (sent++ < 1_000) controller.enqueue(chunk);
          else controller.close();
        },
      });
      const response = await fetch(`${server.url}/api/v1/tenants/${tenantId}/payments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${writeKey}`, 'content-type': 'application/json' },
        body,
        duplex: 'half',
      } as RequestInit);
      expect([response.status, response.headers.get('connection')]).toEqual([413, 'close']);
      expect(((await response.json()) as Answer['json']).error?.code).toBe('PAYLOAD_TOO_LARGE');
      // The server stops reading at the limit; what the client got out is then held by the sockets' buffers
      // (62 chunks, 4 MB, on loopback here): far from all 1,000, and from the 400 of a server that read on.
      expect(sent).toBeLessThan(200);
      expect(await snapshot()).toEqual(before);
    });

    it('answers HEAD as GET, without a body', async () => {
      const response = await fetch(`${server.url}/api/v1/tenants/${tenantId}/members/${alice}/balance`, {
        method: 'HEAD',
        headers: { authorization: `Bearer ${readKey}` },
      });
      expect([response.status, response.headers.get('content-type')]).toEqual([200, 'application/json']);
      expect(response.headers.get('ratelimit-limit')).toBe('1000');
      expect(await response.text()).toBe('');
    });

    it('admin keys moderate, and the audit log names the key', async () => {
      const idem = randomUUID();
      const grant = await api('POST', `/members/${bob}/grants`, {
        key: adminKey,
        body: { amount: '40', reason: 'prize' },
        idem,
      });
      expect(grant.status).toBe(200);
      const audit = await api('GET', '/audit?limit=1', { key: adminKey });
      expect(audit.status).toBe(200);
      const prefix = (await owner.caller.apiKeys.list({ tenantId })).find((k) => k.name === 'admin')?.prefix;
      expect(audit.json).toMatchObject([{ actor: `api-key:${prefix}`, action: 'grant' }]);
    });

    it('a reversal through the API is in the audit log with the money, naming the key', async () => {
      const grant = await api('POST', `/members/${bob}/grants`, {
        key: adminKey,
        body: { amount: '15', reason: 'mistake' },
        idem: randomUUID(),
      });
      const transferId = (grant.json as { transfers: Array<{ id: string }> }).transfers[0]!.id;
      const reversed = await api('POST', `/ledger/transfers/${transferId}/reverse`, {
        key: adminKey,
        body: { reason: 'granted to the wrong member' },
        idem: randomUUID(),
      });
      expect(reversed.status).toBe(200);
      const prefix = (await owner.caller.apiKeys.list({ tenantId })).find((k) => k.name === 'admin')?.prefix;
      const audit = await api('GET', '/audit?limit=1', { key: adminKey });
      expect(audit.json).toMatchObject([
        {
          actor: `api-key:${prefix}`,
          action: 'reverse',
          target: `user:${bob}`,
          reason: 'granted to the wrong member',
        },
      ]);
    });

    it('plays a round with choices, and the tRPC endpoint answers as the JSON routes do', async () => {
      const round = await api('POST', `/members/${alice}/games/coinflip`, {
        body: { bet: '10', side: 'heads' },
        idem: randomUUID(),
      });
      expect(round.status).toBe(200);
      expect(round.json).toMatchObject({ game: 'coinflip', bet: '10', finished: true });

      const { createTRPCClient, httpLink } = await import('@trpc/client');
      const client = createTRPCClient<import('./trpc-router').PublicApiRouter>({
        links: [
          httpLink({ url: `${server.url}/api/v1/trpc`, headers: { authorization: `Bearer ${writeKey}` } }),
        ],
      }) as unknown as Record<
        string,
        { query(i: unknown): Promise<unknown>; mutate(i: unknown): Promise<unknown> }
      >;
      const balance = (await client.balance?.query({ tenantId, userId: alice })) as { balance: string };
      const json = await api('GET', `/members/${alice}/balance`);
      expect(balance.balance).toBe(json.json.balance);
      const idem = randomUUID();
      const paid = await client.pay?.mutate({
        tenantId,
        from: alice,
        to: bob,
        amount: '3',
        idempotencyKey: idem,
      });
      const replay = await client.pay?.mutate({
        tenantId,
        from: alice,
        to: bob,
        amount: '3',
        idempotencyKey: idem,
      });
      expect(replay).toMatchObject({ id: (paid as { id: string }).id, replayed: true });
      const refused = await client.pay
        ?.mutate({ tenantId: otherTenant, from: alice, to: bob, amount: '3' })
        .catch((e) => e);
      expect((refused as { data?: { guildmintCode?: string; httpStatus?: number } }).data).toMatchObject({
        guildmintCode: 'FORBIDDEN',
        httpStatus: 403,
      });
    });

    it('API keys are the owner’s: a manager is refused; lists show no secret; rotation retires the old key', async () => {
      const manager = await h.user('Manager', [{ id: tenantId, name: 'Guild', icon: null, owner: false }]);
      expect(
        await trpcCode(h.caller(manager).apiKeys.create({ tenantId, name: 'mine', scopes: ['admin'] })),
      ).toBe('FORBIDDEN');
      expect(await trpcCode(h.caller(manager).apiKeys.list({ tenantId }))).toBe('FORBIDDEN');
      const created = await owner.caller.apiKeys.create({
        tenantId,
        name: 'rotating',
        scopes: ['read'],
        mode: 'test',
      });
      expect(created.secret).toMatch(/^gm_test_[0-9A-Za-z]{36}$/);
      const listed = await owner.caller.apiKeys.list({ tenantId });
      expect(JSON.stringify(listed)).not.toContain(created.secret);
      expect(JSON.stringify(listed)).not.toContain('hash');
      const rotated = await owner.caller.apiKeys.rotate({ tenantId, id: created.key.id });
      expect(rotated.key).toMatchObject({ name: 'rotating', scopes: ['read'], mode: 'test' });
      const old = await api('GET', `/members/${alice}/balance`, { key: created.secret });
      expect([old.status, old.json.error?.message]).toEqual([401, 'this API key was revoked']);
      expect((await api('GET', `/members/${alice}/balance`, { key: rotated.secret })).status).toBe(200);
      expect(await trpcCode(owner.caller.apiKeys.rotate({ tenantId, id: created.key.id }))).toBe('NOT_FOUND');
      const used = (await owner.caller.apiKeys.list({ tenantId })).find((k) => k.id === rotated.key.id);
      expect(used?.lastUsedAt).toBeInstanceOf(Date);
    });
  });

  describe(`public API v1 rate limits (${label})`, () => {
    it('counts each key apart: RateLimit-Remaining counts down, then 429 + Retry-After with nothing changed', async () => {
      const h = await createHarness(kind, {
        writerThread,
        apiRateLimit: createApiRateLimit({
          requestsPerMinute: async () => 3,
          keyPrefix: `test-rl:${nextId()}`,
        }),
      });
      const server = await startApiServer(h.services);
      try {
        const { tenantId, caller } = await onboarded(h);
        const key = (await caller.apiKeys.create({ tenantId, name: 'a', scopes: ['write'] })).secret;
        const other = (await caller.apiKeys.create({ tenantId, name: 'b', scopes: ['write'] })).secret;
        await h.economy.tenant(tenantId).grant('1', 100n, { reason: 'seed', actor: 'test' });
        const pay = (k: string) =>
          fetch(`${server.url}/api/v1/tenants/${tenantId}/payments`, {
            method: 'POST',
            headers: { authorization: `Bearer ${k}`, 'idempotency-key': randomUUID() },
            body: JSON.stringify({ from: '1', to: '2', amount: '1' }),
          });
        const remaining: Array<string | null> = [];
        for (let i = 0; i < 3; i++) {
          const r = await pay(key);
          expect(r.status).toBe(200);
          remaining.push(r.headers.get('ratelimit-remaining'));
        }
        expect(remaining).toEqual(['2', '1', '0']);
        const refused = await pay(key);
        expect(refused.status).toBe(429);
        const error = (await refused.json()).error;
        expect(error.code).toBe('RATE_LIMITED');
        expect(Date.parse(error.retryAt)).toBeGreaterThan(Date.now());
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(refused.headers.get('ratelimit-remaining')).toBe('0');
        expect(await h.economy.tenant(tenantId).balance('2')).toBe(3n);
        expect((await pay(other)).status).toBe(200); // another key has its own budget
      } finally {
        await server.close();
        await h.close();
      }
    });

    it('takes each key’s limit from its tenant’s plan: Free 60 a minute, Pro 600 once the plan is active', async () => {
      const h = await createHarness(kind, { writerThread });
      let clock = Date.parse('2026-06-01T12:00:00Z');
      h.services.apiRateLimit = createApiRateLimit({
        requestsPerMinute: planRequestsPerMinute(h.economy, () => clock),
        keyPrefix: `test-plan:${nextId()}`,
      });
      const server = await startApiServer(h.services);
      try {
        const { tenantId, caller } = await onboarded(h);
        const key = (await caller.apiKeys.create({ tenantId, name: 'plan', scopes: ['read'] })).secret;
        const limit = async () =>
          (
            await fetch(`${server.url}/api/v1/tenants/${tenantId}/stats`, {
              headers: { authorization: `Bearer ${key}` },
            })
          ).headers.get('ratelimit-limit');
        expect(await limit()).toBe('60');
        await h.economy.tenant(tenantId).recordEntitlement({
          rail: 'stripe',
          ref: 'sub_test_1',
          plan: 'pro',
          status: 'active',
          currentPeriodEnd: null,
          graceUntil: null,
          observedAt: new Date(),
        });
        expect(await limit()).toBe('60'); // the plan read a moment ago still holds
        clock += PLAN_CACHE_MS;
        expect(await limit()).toBe('600');
      } finally {
        await server.close();
        await h.close();
      }
    });
  });
}
