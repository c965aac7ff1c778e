import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../../../test/support/api-server';
import { createHarness, type Harness, onboarded } from '../../../test/support/harness';
import { operations } from '../public-api/operations';
import { publicApiRouter } from '../public-api/trpc-router';

/**
 * The router walk for API v1 (the sibling of security.test.ts): every operation, over its JSON route and
 * as its tRPC procedure, refuses a request without a key (401) and one with another tenant's admin key
 * (403), with well-formed inputs so only the key can refuse them, and nothing changes. A new operation
 * is covered by adding it to operations.ts.
 */

const MEMBER = '300000000000000001';
/** A well-formed value for every field any operation takes (path, query or body). */
const SAMPLE: Record<string, unknown> = {
  userId: MEMBER,
  from: MEMBER,
  to: '300000000000000002',
  amount: '1',
  bet: '1',
  side: 'heads',
  faucet: 'daily',
  item: 'vip',
  game: 'coinflip',
  roundId: 'round-1',
  action: 'stand',
  reason: 'walk',
  since: '2026-01-01T00:00:00Z',
  account: 'user:300000000000000001',
  transferId: 'transfer-1',
  code: 'test.walk',
  config: {},
  name: 'daily',
};

describe('API v1 authorization walk', () => {
  let h: Harness;
  let server: Awaited<ReturnType<typeof startApiServer>>;
  let tenantId: string;
  let foreignKey: string;
  let snapshot: () => Promise<unknown>;

  beforeAll(async () => {
    h = await createHarness('libsql');
    server = await startApiServer(h.services);
    ({ tenantId } = await onboarded(h));
    const other = await onboarded(h);
    foreignKey = (
      await other.caller.apiKeys.create({ tenantId: other.tenantId, name: 'x', scopes: ['admin'] })
    ).secret;
    const tenant = h.economy.tenant(tenantId);
    await tenant.grant(MEMBER, 100n, { reason: 'seed', actor: 'test' });
    snapshot = async () => ({
      history: await tenant.configHistory(),
      audit: await tenant.auditLog({ limit: 500 }),
      transfers: await tenant.ledger.transfers({ limit: 500 }),
      frozen: await tenant.isFrozen(MEMBER),
    });
  });
  afterAll(async () => {
    await server?.close();
    await h?.close();
  });

  function request(op: (typeof operations)[number], authorization: string | null) {
    const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(SAMPLE[name])));
    const fields = Object.keys(op.input.shape).filter((name) => !op.path.includes(`{${name}}`));
    const values = Object.fromEntries(fields.filter((f) => f in SAMPLE).map((f) => [f, SAMPLE[f]]));
    const query = op.method === 'GET' ? `?${new URLSearchParams(values as Record<string, string>)}` : '';
    return fetch(`${server.url}/api/v1/tenants/${tenantId}${path}${query}`, {
      method: op.method,
      headers: { ...(authorization && { authorization }), 'idempotency-key': crypto.randomUUID() },
      ...(op.method === 'POST' && { body: JSON.stringify(values) }),
    });
  }

  it('covers every operation, over JSON and tRPC alike', () => {
    expect(operations.length).toBeGreaterThanOrEqual(25);
    expect(Object.keys(publicApiRouter._def.procedures).sort()).toEqual(operations.map((o) => o.name).sort());
  });

  it('every JSON route refuses a missing key (401) and another tenant’s key (403), changing nothing', async () => {
    const before = await snapshot();
    for (const op of operations) {
      const anonymous = await request(op, null);
      expect([op.name, anonymous.status, (await anonymous.json()).error.code]).toEqual([
        op.name,
        401,
        'UNAUTHORIZED',
      ]);
      const foreign = await request(op, `Bearer ${foreignKey}`);
      expect([op.name, foreign.status, (await foreign.json()).error.code]).toEqual([
        op.name,
        403,
        'FORBIDDEN',
      ]);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('asks for the key before it looks at the input: a malformed request without a key is a 401, not a 400', async () => {
    const json = await fetch(`${server.url}/api/v1/tenants/${tenantId}/payments`, {
      method: 'POST',
      body: JSON.stringify({ amount: 'lots' }),
    });
    expect([json.status, (await json.json()).error.code]).toEqual([401, 'UNAUTHORIZED']);
    const trpc = await fetch(`${server.url}/api/v1/trpc/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenantId, amount: 'lots' }),
    });
    expect([trpc.status, (await trpc.json()).error.data.guildmintCode]).toEqual([401, 'UNAUTHORIZED']);
  });

  it('every tRPC procedure refuses a missing key and another tenant’s key, changing nothing', async () => {
    const before = await snapshot();
    for (const op of operations) {
      const values = Object.fromEntries(
        Object.keys(op.input.shape)
          .filter((f) => f in SAMPLE)
          .map((f) => [f, SAMPLE[f]]),
      );
      const input = encodeURIComponent(JSON.stringify({ ...values, tenantId }));
      for (const [authorization, status] of [
        [null, 401],
        [`Bearer ${foreignKey}`, 403],
      ] as const) {
        const url = `${server.url}/api/v1/trpc/${op.name}${op.method === 'GET' ? `?input=${input}` : ''}`;
        const response = await fetch(url, {
          method: op.method,
          headers: { 'content-type': 'application/json', ...(authorization && { authorization }) },
          ...(op.method === 'POST' && { body: decodeURIComponent(input) }),
        });
        expect([op.name, response.status]).toEqual([op.name, status]);
      }
    }
    expect(await snapshot()).toEqual(before);
  });
});
