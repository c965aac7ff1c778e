import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformStore } from './types';

/**
 * The behaviour every PlatformStore must have, written once and run per dialect
 * (platform-store.libsql.test.ts, platform-store.postgres.integration.test.ts).
 */
export function platformStoreSuite(
  name: string,
  open: () => Promise<{ store: PlatformStore; drop(): Promise<void> }>,
) {
  describe(`platform store: ${name}`, () => {
    let store: PlatformStore;
    let drop: () => Promise<void>;
    const at = new Date('2026-05-01T10:00:00.000Z');

    beforeAll(async () => {
      ({ store, drop } = await open());
      await store.migrate();
      await store.migrate(); // a second start changes nothing
    });
    afterAll(async () => {
      await store.close();
      await drop();
    });
    const isAdmin = async (tenantId: string, userId: string) =>
      (await store.tenantsOf(userId)).some((t) => t.id === tenantId);

    it('creates a tenant with its first admin, once', async () => {
      await store.upsertUser({ id: 'u1', name: 'Ada', image: null });
      const tenant = {
        id: '111',
        guildId: '111',
        name: 'Guild One',
        ownerUserId: 'u1',
        preset: 'cozy' as const,
      };
      expect(await store.createTenant(tenant, { userId: 'u1', role: 'owner' }, at)).toBe(true);
      expect(
        await store.createTenant({ ...tenant, name: 'Again' }, { userId: 'u1', role: 'owner' }, at),
      ).toBe(false);
      expect(await store.tenant('111')).toEqual({ ...tenant, createdAt: at });
      expect(await isAdmin('111', 'u1')).toBe(true);
      expect(await store.tenantsOf('u1')).toEqual([{ ...tenant, createdAt: at, role: 'owner' }]);
    });

    it('finds tenants by id and nothing for unknown ids', async () => {
      expect((await store.tenants(['111', '999'])).map((t) => t.id)).toEqual(['111']);
      expect(await store.tenants([])).toEqual([]);
      expect(await store.tenant('999')).toBeNull();
    });

    it('syncs admin rows to what Discord says: adds managed tenants, drops the rest', async () => {
      await store.upsertUser({ id: 'u2', name: 'Grace', image: null });
      await store.createTenant(
        { id: '222', guildId: '222', name: 'Guild Two', ownerUserId: 'u2', preset: 'classic' },
        { userId: 'u2', role: 'owner' },
        at,
      );
      expect(await isAdmin('111', 'u2')).toBe(false);
      // Grace now manages 111 too (and 333, which has no tenant: ignored).
      await store.syncTenantAdmins(
        'u2',
        [
          { tenantId: '111', role: 'manager' },
          { tenantId: '222', role: 'owner' },
          { tenantId: '333', role: 'manager' },
        ],
        at,
      );
      expect((await store.tenantsOf('u2')).map((t) => [t.id, t.role])).toEqual([
        ['111', 'manager'],
        ['222', 'owner'],
      ]);
      // She loses MANAGE_GUILD on 222.
      await store.syncTenantAdmins('u2', [{ tenantId: '111', role: 'manager' }], at);
      expect(await isAdmin('222', 'u2')).toBe(false);
      expect(await isAdmin('111', 'u2')).toBe(true);
      await store.syncTenantAdmins('u2', [], at);
      expect(await store.tenantsOf('u2')).toEqual([]);
      // Ada's rows were never touched.
      expect(await isAdmin('111', 'u1')).toBe(true);
    });

    it('keeps the newest OAuth tokens per account, server-side', async () => {
      expect(await store.oauthLink('u1', 'discord')).toBeNull();
      const link = { provider: 'discord', providerAccountId: '5001', type: 'oauth' as const };
      await store.saveOAuthTokens('u1', link, {
        accessToken: 'a1',
        refreshToken: 'r1',
        expiresAt: 100,
        scope: 'identify guilds',
        tokenType: 'Bearer',
      });
      await store.saveOAuthTokens('u1', link, {
        accessToken: 'a2',
        refreshToken: 'r2',
        expiresAt: 200,
        scope: 'identify guilds',
        tokenType: 'Bearer',
      });
      expect(await store.oauthLink('u1', 'discord')).toEqual({
        providerAccountId: '5001',
        accessToken: 'a2',
        refreshToken: 'r2',
        expiresAt: 200,
      });
    });

    it('serves the Auth.js adapter on the same tables', async () => {
      const adapter = store.authAdapter();
      const created = await adapter.createUser!({
        id: 'ignored',
        name: 'Linus',
        email: 'l@example.com',
        emailVerified: null,
        image: null,
      });
      await adapter.linkAccount!({
        userId: created.id,
        type: 'oauth',
        provider: 'discord',
        providerAccountId: '6001',
        access_token: 'tok',
        token_type: 'bearer',
      });
      const found = await adapter.getUserByAccount!({ provider: 'discord', providerAccountId: '6001' });
      expect(found?.id).toBe(created.id);
      expect((await store.user(created.id))?.name).toBe('Linus');
      expect((await store.oauthLink(created.id, 'discord'))?.accessToken).toBe('tok');
    });
  });
}
