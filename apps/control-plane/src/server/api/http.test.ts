import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, onboarded } from '../../../test/support/harness';
import type { SessionUser } from '../session';
import { appRouter } from './root';

/** The procedures over HTTP as the browser calls them: superjson bodies and the error shape. */
describe('tRPC over HTTP', () => {
  let h: Harness;
  let tenantId: string;
  let user: SessionUser;

  beforeAll(async () => {
    h = await createHarness('libsql');
    ({ tenantId, user } = await onboarded(h));
  });
  afterAll(() => h.close());

  async function call(path: string, input: unknown, as: SessionUser | null = user) {
    return send(path, superjson.serialize(input), as);
  }

  /** A body exactly as given: what a script, not our client, may send. */
  async function send(path: string, payload: unknown, as: SessionUser | null = user) {
    const response = await fetchRequestHandler({
      endpoint: '/api/trpc',
      req: new Request(`http://localhost/api/trpc/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      }),
      router: appRouter,
      createContext: async () => ({ session: as ? { user: as } : null, services: h.services }),
      allowMethodOverride: true,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('sends the SDK’s field problems with their paths, and publishes nothing', async () => {
    const { config } = await h.caller(user).economy.current({ tenantId });
    const bad = {
      ...config,
      currency: { ...config.currency, decimals: 9 },
      sinks: { ...config.sinks, transferTaxBps: -1 },
    };
    const { status, body } = await call('economy.publish', { tenantId, config: bad, basedOn: 1 });
    expect(status).toBe(400);
    const data = (body.error as { json: { data: { issues: Array<{ path: string }>; code: string } } }).json
      .data;
    expect(data.code).toBe('BAD_REQUEST');
    expect(data.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['config.currency.decimals', 'config.sinks.transferTaxBps']),
    );
    expect((await h.economy.tenant(tenantId).config()).version).toBe(1);
  });

  it('carries bigint amounts both ways', async () => {
    const { status, body } = await call('members.grant', {
      tenantId,
      userId: '700000000000000009',
      amount: 2n ** 60n,
      reason: 'big',
      key: crypto.randomUUID(),
    });
    expect(status).toBe(200);
    const result = superjson.deserialize<{ balance: bigint }>((body.result as { data: never }).data);
    expect(result.balance).toBe(2n ** 60n);
  });

  it('answers queries sent as POST (the editor’s preview carries a whole config)', async () => {
    const { status } = await call('economy.current', { tenantId });
    expect(status).toBe(200);
  });

  it('says UNAUTHORIZED with 401 to an anonymous caller and names the SDK code of a refused action', async () => {
    expect((await call('tenants.mine', undefined, null)).status).toBe(401);
    const { status, body } = await call('members.revoke', {
      tenantId,
      userId: '700000000000000010',
      amount: 5n,
      reason: 'nothing to take',
      key: crypto.randomUUID(),
    });
    expect(status).toBe(409);
    expect((body.error as { json: { data: { guildmintCode: string } } }).json.data.guildmintCode).toBe(
      'INSUFFICIENT_FUNDS',
    );
  });

  it('takes amounts only as plain decimal digits: " 7 ", "0x10", "1e3" are refused and nothing is granted', async () => {
    const member = '700000000000000011';
    for (const amount of [' 7 ', '0x10', '1e3', '+7', '7.0', '']) {
      const { status } = await send('members.grant', {
        json: { tenantId, userId: member, amount, reason: 'sneaky', key: crypto.randomUUID() },
        meta: { values: { amount: ['bigint'] } },
      });
      expect([amount, status]).toEqual([amount, 400]);
    }
    expect(await h.economy.tenant(tenantId).balance(member)).toBe(0n);
    const { status } = await send('members.grant', {
      json: { tenantId, userId: member, amount: '7', reason: 'plain', key: crypto.randomUUID() },
      meta: { values: { amount: ['bigint'] } },
    });
    expect(status).toBe(200);
    expect(await h.economy.tenant(tenantId).balance(member)).toBe(7n);
  });
});
