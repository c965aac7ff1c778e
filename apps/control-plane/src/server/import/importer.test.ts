import type { Tenant } from '@guildmint/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, onboarded } from '../../../test/support/harness';
import { type FakeUser, UnbelievaBoatFake } from '../../../test/support/unbelievaboat-fake';
import { ImportError } from './errors';
import { csvSource, dryRun, type PagedSource, runImport, unbelievaBoatSource } from './importer';

/** 25 members with fixed balances: some negative cash, one with nothing, ids in Discord's form. */
function members(count: number): FakeUser[] {
  return Array.from({ length: count }, (_, i) => ({
    user_id: (300000000000000000n + BigInt(i)).toString(),
    cash: i % 7 === 3 ? -50 : i === 5 ? 0 : 100 * (i + 1),
    bank: i === 5 ? 0 : 10 * i,
  }));
}
const sum = (users: FakeUser[], part: 'cash' | 'bank') =>
  users.reduce((total, u) => total + BigInt(Math.max(0, u[part])), 0n);

describe('moving in from UnbelievaBoat (loopback fake of its API)', () => {
  let h: Harness;
  let fake: UnbelievaBoatFake;
  const guildId = '700000000000000001';
  const users = members(25);
  /** Waits the client asked for, instead of sleeping. */
  const waits: number[] = [];
  let clock = Date.parse('2026-06-01T12:00:00Z');

  beforeAll(async () => {
    h = await createHarness('libsql');
    fake = await UnbelievaBoatFake.start({ now: () => clock });
    fake.addGuild(guildId, users);
  });
  afterAll(async () => {
    await fake?.close();
    await h?.close();
  });

  const source = (o: { token?: string; fetch?: typeof fetch } = {}) =>
    unbelievaBoatSource({
      token: o.token ?? fake.token,
      guildId,
      baseUrl: fake.url,
      pageSize: 10,
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
      ...(o.fetch && { fetch: o.fetch }),
    });
  async function snapshot(tenantId: string) {
    const t = h.economy.tenant(tenantId);
    return {
      board: await t.leaderboard({ by: 'total', limit: 100 }),
      audit: (await t.auditLog({ limit: 500 })).length,
    };
  }

  it('shows totals in a dry run and writes nothing', async () => {
    const { tenantId } = await onboarded(h);
    const before = await snapshot(tenantId);
    const totals = await dryRun(source());
    expect(totals).toMatchObject({
      members: 25,
      empty: 1,
      negatives: 4,
      wallet: sum(users, 'cash'),
      bank: sum(users, 'bank'),
    });
    expect(await snapshot(tenantId)).toEqual(before);
    expect(await h.services.imports.list(tenantId)).toEqual([]);
  });

  it('pages through the guild, credits wallet and bank once, and a re-run changes nothing', async () => {
    const { tenantId } = await onboarded(h);
    const tenant = h.economy.tenant(tenantId);
    const from = fake.requests.length;
    const totals = await runImport({ tenant, runs: h.services.imports, source: source(), actor: 'owner' });
    expect(totals).toMatchObject({
      members: 25,
      credited: 24,
      empty: 1,
      alreadyImported: 0,
      wallet: sum(users, 'cash'),
      bank: sum(users, 'bank'),
    });
    expect(fake.requests.slice(from).map((r) => r.path)).toEqual(
      [1, 2, 3].map((p) => `/v1/guilds/${guildId}/users?page=${p}&limit=10`),
    );
    expect(await tenant.holdings(users[9]!.user_id)).toEqual({ wallet: 1000n, bank: 90n, total: 1090n });
    expect(await tenant.holdings(users[3]!.user_id)).toEqual({ wallet: 0n, bank: 30n, total: 30n }); // debt not imported
    expect((await tenant.auditLog({ limit: 1 }))[0]).toMatchObject({ action: 'import', actor: 'owner' });
    expect(await h.services.imports.get(tenantId, 'unbelievaboat', guildId)).toMatchObject({
      status: 'done',
      nextPage: 4,
    });

    const before = await snapshot(tenantId);
    const again = await runImport({ tenant, runs: h.services.imports, source: source(), actor: 'owner' });
    expect(again).toMatchObject({ credited: 0, alreadyImported: 24, wallet: 0n, bank: 0n });
    expect(await snapshot(tenantId)).toEqual(before);
  });

  it('honours the rate limit headers and 429 with retry_after', async () => {
    const { tenantId } = await onboarded(h);
    clock += fake.windowMs; // a fresh window
    fake.limit = 2; // the third page needs the next window
    fake.forced429 = 1; // and the first request is refused once
    waits.length = 0;
    const from = fake.requests.length;
    try {
      await runImport({
        tenant: h.economy.tenant(tenantId),
        runs: h.services.imports,
        source: source(),
        actor: 'owner',
      });
    } finally {
      fake.limit = 20;
    }
    const statuses = fake.requests.slice(from).map((r) => r.status);
    expect(statuses).toEqual([429, 200, 200, 200]); // waited for the window instead of being refused again
    expect(waits[0]).toBe(fake.retryAfterMs);
    expect(waits.length).toBe(2);
    expect((await h.economy.tenant(tenantId).leaderboard({ by: 'total', limit: 100 })).length).toBe(24);
  });

  it('resumes after a crash mid-import from the page it stopped on, crediting no one twice', async () => {
    const { tenantId } = await onboarded(h);
    const tenant = h.economy.tenant(tenantId);
    // The process dies while crediting page 2: its sixth credit never happens.
    let calls = 0;
    const crashing: Tenant = {
      ...tenant,
      importBalance: (...args) =>
        ++calls === 16 ? Promise.reject(new Error('killed')) : tenant.importBalance(...args),
    };
    await expect(
      runImport({ tenant: crashing, runs: h.services.imports, source: source(), actor: 'owner' }),
    ).rejects.toThrow('killed');
    expect(await h.services.imports.get(tenantId, 'unbelievaboat', guildId)).toMatchObject({
      status: 'running',
      nextPage: 2,
    });

    const from = fake.requests.length;
    const totals = await runImport({ tenant, runs: h.services.imports, source: source(), actor: 'owner' });
    expect(fake.requests.slice(from).map((r) => r.path)).toEqual(
      [2, 3].map((p) => `/v1/guilds/${guildId}/users?page=${p}&limit=10`),
    );
    expect(totals).toMatchObject({
      members: 25,
      credited: 24,
      alreadyImported: 0,
      wallet: sum(users, 'cash'),
      bank: sum(users, 'bank'),
    });
    const board = await tenant.leaderboard({ by: 'total', limit: 100 });
    expect(board.reduce((t, r) => t + r.balance, 0n)).toBe(sum(users, 'cash') + sum(users, 'bank'));
  });

  it('refuses a bad token with a clear error and writes nothing', async () => {
    const { tenantId } = await onboarded(h);
    const before = await snapshot(tenantId);
    const run = runImport({
      tenant: h.economy.tenant(tenantId),
      runs: h.services.imports,
      source: source({ token: 'wrong' }),
      actor: 'owner',
    });
    await expect(run).rejects.toMatchObject({
      code: 'SOURCE_UNAUTHORIZED',
      message: expect.stringContaining('refused the API token'),
    });
    await expect(dryRun(source({ token: 'wrong' }))).rejects.toBeInstanceOf(ImportError);
    expect(await snapshot(tenantId)).toEqual(before);
    await expect(
      dryRun(unbelievaBoatSource({ token: fake.token, guildId: '700000000000000999', baseUrl: fake.url })),
    ).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
  });

  it('imports a CSV file once per member, the same guarantee as the API', async () => {
    const { tenantId } = await onboarded(h);
    const tenant = h.economy.tenant(tenantId);
    const csv =
      'user_id,cash,bank\n300000000000000001,100,50\r\n300000000000000002,0,7\n300000000000000003,0,0\n';
    const file: PagedSource = csvSource(csv);
    expect(await dryRun(file)).toMatchObject({ members: 3, credited: 2, empty: 1, wallet: 100n, bank: 57n });
    expect(await runImport({ tenant, runs: h.services.imports, source: file, actor: 'owner' })).toMatchObject(
      { credited: 2 },
    );
    // Another file for the same members (a corrected export): each member was credited once already.
    const other = csvSource('user_id,cash,bank\n300000000000000001,999,0\n');
    expect(
      await runImport({ tenant, runs: h.services.imports, source: other, actor: 'owner' }),
    ).toMatchObject({ credited: 0, alreadyImported: 1 });
    expect(await tenant.holdings('300000000000000001')).toEqual({ wallet: 100n, bank: 50n, total: 150n });
  });
});
