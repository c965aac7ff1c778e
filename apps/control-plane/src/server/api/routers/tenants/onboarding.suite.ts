import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trpcCode } from '../../../../../test/support/expect';
import {
  createHarness,
  guild,
  type Harness,
  INVITE,
  type StorageKind,
} from '../../../../../test/support/harness';

export function onboardingSuite(kind: StorageKind) {
  describe(`onboarding (${kind})`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await createHarness(kind);
    });
    afterAll(() => h.close());

    it('lists manageable guilds, marks installed ones, and gives each an invite link', async () => {
      const home = guild('Home');
      const other = guild('Other', { owner: false });
      const user = await h.user('Ada', [home, other]);
      await h.economy.tenant(other.id).reportPresence(true);

      const guilds = await h.caller(user).guilds.list();
      expect(guilds.map((g) => [g.name, g.installed, g.tenant])).toEqual([
        ['Home', false, null],
        ['Other', true, null],
      ]);
      const invite = new URL(guilds[0]!.inviteUrl!);
      expect(invite.origin + invite.pathname).toBe(INVITE.authorizeUrl);
      expect(invite.searchParams.get('client_id')).toBe(INVITE.applicationId);
      expect(invite.searchParams.get('scope')).toBe('bot applications.commands');
      expect(invite.searchParams.get('guild_id')).toBe(home.id);
      expect(BigInt(invite.searchParams.get('permissions')!) & (1n << 11n)).toBe(1n << 11n);
    });

    it('notices when the bot joins (the runtime reports presence)', async () => {
      const g = guild('Joining');
      const user = await h.user('Bo', [g]);
      expect((await h.caller(user).guilds.presence({ guildId: g.id })).installed).toBe(false);
      await h.economy.tenant(g.id).reportPresence(true);
      expect((await h.caller(user).guilds.presence({ guildId: g.id })).installed).toBe(true);
      const stranger = await h.user('Eve', []);
      expect(await trpcCode(h.caller(stranger).guilds.presence({ guildId: g.id }))).toBe('FORBIDDEN');
    });

    it('creates the tenant with the chosen preset as version 1, and makes the creator its admin', async () => {
      const g = guild('Cozy Corner');
      const user = await h.user('Cy', [g]);
      const created = await h.caller(user).tenants.create({ guildId: g.id, preset: 'cozy' });
      expect(created).toEqual({ tenantId: g.id, version: 1 });

      const config = await h.economy.tenant(g.id).config();
      expect(config.version).toBe(1);
      expect(config.currency.name).toBe('Petals');
      expect(await h.economy.tenant(g.id).configHistory()).toEqual([
        { version: 1, actor: user.discordId, createdAt: expect.any(Date) },
      ]);
      expect(await h.caller(user).tenants.mine()).toEqual([
        { id: g.id, name: 'Cozy Corner', preset: 'cozy', role: 'owner' },
      ]);
      const header = await h.caller(user).tenants.get({ tenantId: g.id });
      expect(header).toMatchObject({
        name: 'Cozy Corner',
        preset: 'cozy',
        version: 1,
        currency: { symbol: '🌸' },
      });
      expect((await h.caller(user).guilds.list())[0]!.tenant).toMatchObject({ id: g.id, preset: 'cozy' });
    });

    it('refuses a second onboarding of the same guild and leaves the first intact', async () => {
      const g = guild('Twice');
      const user = await h.user('Di', [g]);
      await h.caller(user).tenants.create({ guildId: g.id, preset: 'classic' });
      expect(await trpcCode(h.caller(user).tenants.create({ guildId: g.id, preset: 'casino' }))).toBe(
        'CONFLICT',
      );
      expect((await h.platform.tenant(g.id))?.preset).toBe('classic');
      expect((await h.economy.tenant(g.id).configHistory()).length).toBe(1);
    });

    it('refuses to onboard a guild the user does not manage; nothing is created', async () => {
      const g = guild('Not Yours');
      const user = await h.user('Fay', []);
      expect(await trpcCode(h.caller(user).tenants.create({ guildId: g.id, preset: 'classic' }))).toBe(
        'FORBIDDEN',
      );
      expect(await h.platform.tenant(g.id)).toBeNull();
      expect(await h.economy.tenant(g.id).configHistory()).toEqual([]);
    });

    it('follows Discord: another manager has access at once, and loses it with the permission', async () => {
      const g = guild('Shared');
      const owner = await h.user('Gus', [g]);
      await h.caller(owner).tenants.create({ guildId: g.id, preset: 'classic' });
      const mod = await h.user('Hal', [{ ...g, owner: false }]);
      // No visit to the guild list needed: the tier asks Discord (here the fake directory) itself.
      expect((await h.caller(mod).tenants.get({ tenantId: g.id })).name).toBe('Shared');
      expect(await h.caller(mod).tenants.mine()).toEqual([
        { id: g.id, name: 'Shared', preset: 'classic', role: 'manager' },
      ]);
      h.directory.guilds.set(mod.id, []);
      expect(await trpcCode(h.caller(mod).tenants.get({ tenantId: g.id }))).toBe('FORBIDDEN');
      expect(await h.caller(mod).tenants.mine()).toEqual([]);
    });
  });
}
