import { randomUUID } from 'node:crypto';
import { DiscordSimulator } from '@guildmint/discord-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLBACK, discordLogin, discordSettingsFor } from '../../../test/support/discord';
import { trpcCode } from '../../../test/support/expect';
import { createHarness, type Harness } from '../../../test/support/harness';
import { DiscordGuildDirectory } from '../discord/guilds';
import { Permission } from '../discord/permissions';
import type { SessionUser } from '../session';

/**
 * Admin rights follow Discord now: the tenant-admin tier asks Discord (the simulator, through the real
 * DiscordGuildDirectory and the settings a started app derives from sim.oauthEnv()) at most a minute
 * after its last answer, instead of trusting a stored row that only /guilds refreshed. The clock is the
 * test's: it moves the directory's one-minute cache and the simulator's token lifetimes without sleeping.
 */

const START = Date.parse('2026-06-01T12:00:00Z');
const OWNER = { id: '410000000000000001', name: 'Owner' };
const MEMBER = '610000000000000001';
/** The directory's cache lifetime: Discord's answer is at most this old when the tier decides. */
const MINUTE = 60_000;

describe('tenant admin tier: rights as Discord states them now', () => {
  let clock = START;
  const now = () => clock;
  let sim: DiscordSimulator;
  let h: Harness;
  let guildId: string;
  let managerRole: string;
  let owner: SessionUser;

  beforeAll(async () => {
    sim = await DiscordSimulator.start({ now });
    sim.registerOAuthApp({ redirectUris: [CALLBACK] });
    sim.addUser({ id: OWNER.id, username: 'owner' });
    guildId = sim.addGuild({ name: 'Moderated', ownerId: OWNER.id, withBot: false }).id;
    managerRole = sim.addRole(guildId, { name: 'Manager', permissions: Permission.MANAGE_GUILD });
    sim.addMember(guildId, { id: MEMBER, username: 'member' });

    h = await createHarness('libsql', { now: () => new Date(clock) });
    h.services.guilds = new DiscordGuildDirectory(h.platform, await discordSettingsFor(sim), fetch, now);
    owner = await discordLogin(sim, h.platform, OWNER, now);
    await h.caller(owner).tenants.create({ guildId, preset: 'classic' });
  });
  afterAll(async () => {
    expect(sim.internalErrors).toEqual([]);
    await h?.close();
    await sim?.close();
  });

  /** A moderator with Manage Server through a role, logged in, who has opened the guild list once. */
  async function moderator(id: string) {
    sim.addMember(guildId, { id, username: `mod-${id}` }, { roles: [managerRole] });
    const user = await discordLogin(sim, h.platform, { id, name: `Mod ${id}` }, now);
    const caller = h.caller(user);
    expect((await caller.guilds.list()).map((g) => g.id)).toEqual([guildId]);
    return { user, caller };
  }

  const grant = (caller: ReturnType<Harness['caller']>) =>
    caller.members.grant({
      tenantId: guildId,
      userId: MEMBER,
      amount: 1_000_000n,
      reason: 'mine',
      key: randomUUID(),
    });

  /** What a refused grant must leave as it was. */
  async function snapshot() {
    const tenant = h.economy.tenant(guildId);
    return { balance: await tenant.balance(MEMBER), audit: (await tenant.auditLog({ limit: 500 })).length };
  }

  /** Calls to /users/@me/guilds since `from` (the tier's own look-ups: nobody visits /guilds). */
  const guildLookups = (from: number) =>
    sim.calls.slice(from).filter((c) => c.path === '/users/@me/guilds').length;

  it('a moderator whose role is removed is refused within the minute, without visiting /guilds', async () => {
    const mod = await moderator('510000000000000001');
    await grant(mod.caller); // allowed while Discord says Manage Server
    sim.setMemberRoles(guildId, mod.user.discordId, []);
    const before = await snapshot();
    const calls = sim.calls.length;

    clock += MINUTE;
    expect(await trpcCode(grant(mod.caller))).toBe('FORBIDDEN');
    expect(
      await trpcCode(mod.caller.members.freeze({ tenantId: guildId, userId: OWNER.id, reason: 'x' })),
    ).toBe('FORBIDDEN');
    expect(guildLookups(calls)).toBe(1); // asked Discord once; the answer is cached for the second call
    expect(await snapshot()).toEqual(before);
    expect(await h.platform.tenantsOf(mod.user.id)).toEqual([]); // the stored row follows Discord too
    // The owner is not affected.
    await expect(grant(h.caller(owner))).resolves.toMatchObject({ replayed: false });
  });

  it('a moderator kicked from the guild is refused within the minute', async () => {
    const mod = await moderator('510000000000000002');
    await grant(mod.caller);
    sim.removeMember(guildId, mod.user.discordId);
    const before = await snapshot();

    clock += MINUTE;
    expect(await trpcCode(grant(mod.caller))).toBe('FORBIDDEN');
    expect(await snapshot()).toEqual(before);
    expect(await h.platform.tenantsOf(mod.user.id)).toEqual([]);
  });

  it('a login Discord refuses (401) ends access and removes the stored rows', async () => {
    const mod = await moderator('510000000000000003');
    await grant(mod.caller);
    const link = await h.platform.oauthLink(mod.user.id, 'discord');
    const revoked = await fetch(sim.oauthEndpoints.revocation, {
      method: 'POST',
      body: new URLSearchParams({
        token: link?.accessToken ?? '',
        client_id: sim.applicationId,
        client_secret: sim.clientSecret,
      }),
    });
    expect(revoked.status).toBe(200);
    const before = await snapshot();

    clock += MINUTE;
    expect(await trpcCode(grant(mod.caller))).toBe('UNAUTHORIZED');
    expect(await snapshot()).toEqual(before);
    expect(await h.platform.tenantsOf(mod.user.id)).toEqual([]);
    expect(await trpcCode(mod.caller.tenants.get({ tenantId: guildId }))).toBe('UNAUTHORIZED');
  });

  it('a new moderator manages at once, without a stored row or a visit to /guilds', async () => {
    const id = '510000000000000004';
    sim.addMember(guildId, { id, username: 'new-mod' }, { roles: [managerRole] });
    const user = await discordLogin(sim, h.platform, { id, name: 'New mod' }, now);
    await expect(grant(h.caller(user))).resolves.toMatchObject({ replayed: false });
    expect((await h.platform.tenantsOf(user.id)).map((t) => [t.id, t.role])).toEqual([[guildId, 'manager']]);
  });
});
