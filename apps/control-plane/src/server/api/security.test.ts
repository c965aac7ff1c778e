import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trpcCode } from '../../../test/support/expect';
import { createHarness, type Harness, nextId, onboarded } from '../../../test/support/harness';
import { appRouter } from './root';
import type { ProcedureMeta } from './trpc';

/**
 * Walks every procedure of the router: each declares a tier; every non-public one refuses an
 * anonymous caller; every tenant procedure refuses a logged-in user who does not manage that
 * tenant, every owner-only one refuses a manager who is not the owner, and nothing they attempted
 * changed the tenant. A new procedure is covered by adding it.
 */

interface WalkedProcedure {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  tier: ProcedureMeta['tier'] | undefined;
}

const procedures: WalkedProcedure[] = Object.entries(
  appRouter._def.procedures as unknown as Record<
    string,
    { _def: { type: WalkedProcedure['type']; meta?: ProcedureMeta } }
  >,
).map(([path, procedure]) => ({ path, type: procedure._def.type, tier: procedure._def.meta?.tier }));

type Callable = (input: unknown) => Promise<unknown>;

function procedureOf(caller: unknown, path: string): Callable {
  let node = caller as Record<string, unknown>;
  for (const key of path.split('.')) node = node[key] as Record<string, unknown>;
  return node as unknown as Callable;
}

describe('router security', () => {
  let h: Harness;
  let tenantId: string;
  let snapshot: () => Promise<unknown>;

  beforeAll(async () => {
    h = await createHarness('libsql');
    ({ tenantId } = await onboarded(h));
    const tenant = h.economy.tenant(tenantId);
    await tenant.grant('300000000000000001', 100n, { reason: 'seed', actor: 'test' });
    snapshot = async () => ({
      history: await tenant.configHistory(),
      audit: await tenant.auditLog({ limit: 500 }),
      leaderboard: await tenant.leaderboard({ limit: 100 }),
      tenant: await h.platform.tenant(tenantId),
    });
  });
  afterAll(() => h.close());

  it('finds the whole router, and every procedure declares its tier', () => {
    expect(procedures.length).toBeGreaterThanOrEqual(20);
    for (const p of procedures)
      expect([p.path, p.tier]).toEqual([
        p.path,
        expect.stringMatching(/^(public|protected|tenantAdmin|tenantOwner)$/),
      ]);
    // Public procedures are few and named here on purpose: adding one is a decision.
    expect(procedures.filter((p) => p.tier === 'public').map((p) => p.path)).toEqual(['auth.session']);
  });

  it('every non-public procedure rejects an anonymous caller', async () => {
    const anonymous = h.caller(null);
    const before = await snapshot();
    for (const p of procedures.filter((p) => p.tier !== 'public')) {
      const input = { tenantId, guildId: tenantId, userId: '300000000000000001', amount: 1n, reason: 'x' };
      expect([p.path, await trpcCode(procedureOf(anonymous, p.path)(input))]).toEqual([
        p.path,
        'UNAUTHORIZED',
      ]);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('every tenant procedure rejects a logged-in user who does not manage that tenant', async () => {
    // Eve manages a guild of her own, but not this tenant's.
    const eve = await h.user('Eve', [{ id: nextId(), name: 'Eve’s place', icon: null, owner: true }]);
    const caller = h.caller(eve);
    await caller.guilds.list(); // syncing her rights must not grant her this tenant
    const before = await snapshot();
    const tenantProcedures = procedures.filter((p) => p.tier === 'tenantAdmin' || p.tier === 'tenantOwner');
    expect(tenantProcedures.length).toBeGreaterThanOrEqual(15);
    for (const p of tenantProcedures) {
      // A well-formed input, so only the permission check can refuse it.
      const input = {
        tenantId,
        userId: '300000000000000001',
        amount: 1n,
        reason: 'x',
        key: crypto.randomUUID(),
        version: 1,
        since: new Date(0),
        draft: {},
        config: {},
        basedOn: 1,
      };
      expect([p.path, await trpcCode(procedureOf(caller, p.path)(input))]).toEqual([p.path, 'FORBIDDEN']);
      // An unknown tenant looks exactly like a foreign one.
      expect([p.path, await trpcCode(procedureOf(caller, p.path)({ ...input, tenantId: '999999' }))]).toEqual(
        [p.path, 'FORBIDDEN'],
      );
    }
    expect(await snapshot()).toEqual(before);
  });

  it('every owner-only procedure rejects a manager who is not the guild’s owner', async () => {
    // Manny has Manage Server in this tenant's guild (he manages it), but does not own it.
    const manny = await h.user('Manny', [{ id: tenantId, name: 'Guild', icon: null, owner: false }]);
    const caller = h.caller(manny);
    const before = await snapshot();
    const ownerProcedures = procedures.filter((p) => p.tier === 'tenantOwner');
    expect(ownerProcedures.length).toBeGreaterThanOrEqual(1);
    for (const p of ownerProcedures) {
      const input = { tenantId, id: crypto.randomUUID(), name: 'x', scopes: ['admin'] };
      expect([p.path, await trpcCode(procedureOf(caller, p.path)(input))]).toEqual([p.path, 'FORBIDDEN']);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('the session the browser sees carries no token or secret', async () => {
    const user = await h.user('Ada');
    await h.platform.saveOAuthTokens(
      user.id,
      { provider: 'discord', providerAccountId: user.discordId, type: 'oauth' },
      {
        accessToken: 'secret-access',
        refreshToken: 'secret-refresh',
        expiresAt: null,
        scope: null,
        tokenType: null,
      },
    );
    const session = await h.caller(user).auth.session();
    expect(Object.keys(session ?? {}).sort()).toEqual(['discordId', 'id', 'image', 'name', 'provider']);
    expect(JSON.stringify(session)).not.toContain('secret');
    expect(await h.caller(null).auth.session()).toBeNull();
  });
});

describe('mutation rate limit', () => {
  it('refuses a user’s mutations over the limit, with nothing written, while queries still answer', async () => {
    const h = await createHarness('libsql', {
      limiter: (await import('../rate-limit')).createLimiter({
        points: 3,
        perSeconds: 60,
        keyPrefix: 'test',
      }),
    });
    try {
      const { tenantId, caller } = await onboarded(h); // tenants.create: 1 point
      const member = '300000000000000002';
      for (const n of [1n, 2n]) {
        await caller.members.grant({
          tenantId,
          userId: member,
          amount: n,
          reason: 'ok',
          key: crypto.randomUUID(),
        });
      }
      expect(
        await trpcCode(
          caller.members.grant({
            tenantId,
            userId: member,
            amount: 50n,
            reason: 'one too many',
            key: crypto.randomUUID(),
          }),
        ),
      ).toBe('TOO_MANY_REQUESTS');
      expect(await h.economy.tenant(tenantId).balance(member)).toBe(3n);
      expect((await caller.members.get({ tenantId, userId: member })).balance).toBe(3n);
    } finally {
      await h.close();
    }
  });
});
