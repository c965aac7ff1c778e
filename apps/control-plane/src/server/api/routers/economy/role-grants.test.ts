import { DiscordSimulator } from '@guildmint/discord-simulator';
import { presets } from '@guildmint/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trpcError } from '../../../../../test/support/expect';
import { createHarness, guild, type Harness } from '../../../../../test/support/harness';
import { versionedDiscordApi } from '../../../discord/api';
import { Permission } from '../../../discord/permissions';
import { DiscordRoleGrantChecker } from '../../../discord/role-grants';
import type { SessionUser } from '../../../session';

/**
 * The bot holds Manage Roles, so a shop item that grants a role lets whoever publishes it hand that
 * role out. Publishing asks Discord (here the simulator, through its REST API as the bot) whether the
 * publisher could grant each role themselves, and whether the bot can.
 */
describe('publishing shop items that grant roles', () => {
  let sim: DiscordSimulator;
  let h: Harness;
  let guildId: string;
  const roles = {} as Record<'vip' | 'admins' | 'moderators' | 'staff' | 'council' | 'top', string>;
  let owner: SessionUser;
  let moderator: SessionUser;
  let staff: SessionUser;

  /** A platform user who manages the guild here and is `discordId` on Discord. */
  async function admin(name: string, discordId: string, isOwner: boolean): Promise<SessionUser> {
    const user = await h.user(name, [guild('Roles Guild', { id: guildId, owner: isOwner })]);
    return { ...user, discordId };
  }

  beforeAll(async () => {
    sim = await DiscordSimulator.start();
    h = await createHarness('libsql', {
      roleGrants: new DiscordRoleGrantChecker({
        token: sim.botToken,
        apiUrl: versionedDiscordApi(sim.apiUrl),
      }),
    });
    const ownerUser = sim.addUser({ username: 'owner' });
    const g = sim.addGuild({ name: 'Roles Guild', ownerId: ownerUser.id });
    guildId = g.id;
    // Each new role lands just below the bot's: later ones sit higher.
    roles.vip = sim.addRole(guildId, { name: 'VIP' });
    roles.admins = sim.addRole(guildId, { name: 'Admins', permissions: Permission.ADMINISTRATOR });
    roles.moderators = sim.addRole(guildId, { name: 'Moderators', permissions: Permission.MANAGE_GUILD });
    roles.staff = sim.addRole(guildId, {
      name: 'Staff',
      permissions: Permission.MANAGE_GUILD | Permission.MANAGE_ROLES,
    });
    roles.council = sim.addRole(guildId, { name: 'Council' });
    roles.top = sim.addRole(guildId, { name: 'Top', aboveBot: true });
    const mod = sim.addMember(guildId, { username: 'mod' }, { roles: [roles.moderators] });
    const staffer = sim.addMember(guildId, { username: 'staffer' }, { roles: [roles.staff] });

    owner = await admin('Owner', ownerUser.id, true);
    await h.caller(owner).tenants.create({ guildId, preset: 'classic' });
    moderator = await admin('Mod', mod.userId, false);
    staff = await admin('Staffer', staffer.userId, false);
    // Their rights here come from their guild list, as after opening /guilds.
    await h.caller(moderator).guilds.list();
    await h.caller(staff).guilds.list();
  });
  afterAll(async () => {
    await h?.close();
    await sim?.close();
  });

  /** The classic preset plus one item granting `roleId`. */
  function withRoleItem(roleId: string) {
    const config = structuredClone(presets.classic) as unknown as {
      shop: { items: Record<string, unknown> };
    };
    config.shop.items.badge = { name: 'Badge', price: 100, effects: [{ type: 'role', roleId }] };
    return config;
  }

  async function refused(user: SessionUser, roleId: string): Promise<string> {
    const { version } = await h.economy.tenant(guildId).config();
    const error = await trpcError(
      h.caller(user).economy.publish({ tenantId: guildId, config: withRoleItem(roleId), basedOn: version }),
    );
    expect(error.code).toBe('FORBIDDEN');
    expect((await h.economy.tenant(guildId).config()).version).toBe(version);
    return error.message;
  }

  it('refuses a Manage-Server-only moderator publishing an item that grants the Administrator role', async () => {
    expect(await refused(moderator, roles.admins)).toMatch(/needs the Manage Roles permission on Discord/);
    // Not even a harmless role: without Manage Roles they could not hand it out on Discord either.
    expect(await refused(moderator, roles.vip)).toMatch(/Manage Roles/);
  });

  it('lets a member with Manage Roles grant roles below their own highest role, and no higher', async () => {
    const { version } = await h.economy.tenant(guildId).config();
    expect(
      await h
        .caller(staff)
        .economy.publish({ tenantId: guildId, config: withRoleItem(roles.vip), basedOn: version }),
    ).toEqual({ version: version + 1 });
    expect(await refused(staff, roles.council)).toMatch(/role "Council" is not below your highest role/);
    expect(await refused(staff, roles.staff)).toMatch(/role "Staff" is not below your highest role/);
  });

  it('refuses a role above the bot, a managed role and @everyone, even for the owner', async () => {
    expect(await refused(owner, roles.top)).toMatch(/role "Top" is not below the bot's highest role/);
    const botRole = (
      (await await fetch(`${sim.apiUrl}/v10/guilds/${guildId}`, {
        headers: { authorization: `Bot ${sim.botToken}` },
      }).then((r) => r.json())) as { roles: Array<{ id: string; managed: boolean }> }
    ).roles.find((r) => r.managed)!.id;
    expect(await refused(owner, botRole)).toMatch(/managed by an integration/);
    expect(await refused(owner, guildId)).toMatch(/@everyone cannot be granted/);
    expect(await refused(owner, '999999999999999999')).toMatch(/does not exist/);
  });

  it('applies the same rules to a role income: no paying a role above your own, nor @everyone', async () => {
    const withIncome = (roleId: string) => ({
      ...structuredClone(presets.classic),
      roleIncome: { enabled: true, roles: [{ roleId, amount: 100, period: 'day' as const }] },
    });
    const publish = async (user: SessionUser, roleId: string) => {
      const { version } = await h.economy.tenant(guildId).config();
      return h
        .caller(user)
        .economy.publish({ tenantId: guildId, config: withIncome(roleId), basedOn: version });
    };
    const before = (await h.economy.tenant(guildId).config()).version;
    const council = await trpcError(publish(staff, roles.council));
    expect(council.code).toBe('FORBIDDEN');
    expect(council.message).toMatch(/role "Council" is not below your highest role/);
    expect((await trpcError(publish(moderator, roles.vip))).message).toMatch(/Manage Roles/);
    expect((await trpcError(publish(owner, guildId))).message).toMatch(/@everyone/);
    expect((await h.economy.tenant(guildId).config()).version).toBe(before);
    await expect(publish(staff, roles.vip)).resolves.toEqual({ version: before + 1 });
  });

  it('checks a rollback to a version whose roles the publisher may not grant', async () => {
    // Version with VIP was published by staff above; the moderator may not republish it.
    const history = await h.economy.tenant(guildId).configHistory();
    const withVip = history.find((v) => v.version > 1)!.version;
    const before = (await h.economy.tenant(guildId).config()).version;
    const error = await trpcError(
      h.caller(moderator).economy.rollback({ tenantId: guildId, version: withVip }),
    );
    expect(error.code).toBe('FORBIDDEN');
    expect((await h.economy.tenant(guildId).config()).version).toBe(before);
  });
});
