import { PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { checkPacket, type InteractionPayload } from './guard.js';
import { IncomingInteraction } from './incoming.js';

/** The interaction as the runtime gets it: through the guard, like every gateway payload. */
function incoming(d: Record<string, unknown>): IncomingInteraction {
  const checked = checkPacket({ op: 0, t: 'INTERACTION_CREATE', s: 1, d });
  if (!checked.ok || !checked.interaction) throw new Error(`refused: ${JSON.stringify(checked)}`);
  return new IncomingInteraction(checked.interaction as InteractionPayload);
}

// 2015-01-01T00:00:01.000Z, Discord's epoch plus one second, in the id's upper bits.
const ID = String(1000n << 22n);
const member = (permissions?: bigint) => ({
  user: { id: '3333333333333333333', username: 'ada' },
  roles: ['5555555555555555555'],
  joined_at: '2024-05-01T10:00:00.000Z',
  ...(permissions !== undefined && { permissions: permissions.toString() }),
});
const base = { id: ID, application_id: '1111111111111111111', token: 'tok', guild_id: '2222222222222222222' };

describe('IncomingInteraction', () => {
  it('reads a slash command: ids, options, when it was created, the member', () => {
    const options = [{ name: 'amount', type: 3, value: '10' }];
    const i = incoming({
      ...base,
      type: 2,
      member: member(),
      data: { id: '4444444444444444444', name: 'pay', type: 1, options },
    });
    expect(i).toMatchObject({
      id: ID,
      token: 'tok',
      applicationId: '1111111111111111111',
      kind: 'command',
      guildId: '2222222222222222222',
      userId: '3333333333333333333',
      commandName: 'pay',
      customId: undefined,
      options,
    });
    expect(i.createdAt.toISOString()).toBe('2015-01-01T00:00:01.000Z');
    expect(i.member()).toEqual({
      roles: ['5555555555555555555'],
      joinedAt: new Date('2024-05-01T10:00:00.000Z'),
    });
  });

  it('reads the member Discord resolved for a USER option (/rob), and nothing for anyone else', () => {
    const target = '6666666666666666666';
    const i = incoming({
      ...base,
      type: 2,
      member: member(),
      data: {
        id: '4444444444444444444',
        name: 'rob',
        type: 1,
        options: [{ name: 'member', type: 6, value: target }],
        resolved: {
          members: { [target]: { roles: ['7777777777777777777'], joined_at: '2025-01-02T00:00:00Z' } },
        },
      },
    });
    expect(i.resolvedMember(target)).toEqual({
      roles: ['7777777777777777777'],
      joinedAt: new Date('2025-01-02T00:00:00Z'),
    });
    expect(i.resolvedMember('8888888888888888888')).toEqual({});
    expect(i.resolvedMember('__proto__')).toEqual({});
  });

  it('refuses resolved members of the wrong shape at the guard', () => {
    const checked = checkPacket({
      op: 0,
      t: 'INTERACTION_CREATE',
      s: 1,
      d: {
        ...base,
        type: 2,
        member: member(),
        data: { id: '4', name: 'rob', type: 1, resolved: { members: { '6': { roles: 'all of them' } } } },
      },
    });
    expect(checked.ok).toBe(false);
  });

  it('reads how Discord shows the member: nickname, display name or username; server or own avatar', () => {
    const command = { id: '4444444444444444444', name: 'balance', type: 1 };
    const user = { id: '3333333333333333333', username: 'ada' };
    const read = (m: Record<string, unknown>) =>
      incoming({ ...base, type: 2, data: command, member: m }).profile();
    expect(read({ user, roles: [] })).toEqual({ name: 'ada', avatar: null });
    expect(read({ user: { ...user, global_name: 'Ada L.', avatar: 'abc' }, roles: [] })).toEqual({
      name: 'Ada L.',
      avatar: 'https://cdn.discordapp.com/avatars/3333333333333333333/abc.png',
    });
    expect(
      read({
        user: { ...user, global_name: 'Ada L.', avatar: 'abc' },
        nick: 'Countess',
        avatar: 'def',
        roles: [],
      }),
    ).toEqual({
      name: 'Countess',
      avatar:
        'https://cdn.discordapp.com/guilds/2222222222222222222/users/3333333333333333333/avatars/def.png',
    });
    expect(read({ user: { ...user, global_name: null, avatar: null }, nick: null, roles: [] })).toEqual({
      name: 'ada',
      avatar: null,
    });
  });

  it('tells buttons, autocomplete and everything else apart', () => {
    const button = incoming({
      ...base,
      type: 3,
      member: member(),
      data: { custom_id: 'bj:hit:1', component_type: 2 },
    });
    expect(button).toMatchObject({
      kind: 'button',
      customId: 'bj:hit:1',
      commandName: undefined,
      options: [],
    });
    const select = { ...base, type: 3, member: member(), data: { custom_id: 'x', component_type: 3 } };
    expect(incoming(select).kind).toBe('other');
    const menu = { ...base, type: 2, member: member(), data: { id: '1', name: 'Inspect', type: 2 } };
    expect(incoming(menu).kind).toBe('other');
    const auto = { ...base, type: 4, member: member(), data: { id: '1', name: 'buy', type: 1 } };
    expect(incoming(auto).kind).toBe('autocomplete');
    const modal = { ...base, type: 5, member: member(), data: { custom_id: 'm' } };
    expect(incoming(modal).kind).toBe('other');
  });

  it('Manage Server, or Administrator (which implies it), as Discord judges permissions', () => {
    const slash = (permissions?: bigint) =>
      incoming({ ...base, type: 2, member: member(permissions), data: { name: 'eco', type: 1 } });
    expect(slash(PermissionFlagsBits.ManageGuild).canManageGuild()).toBe(true);
    expect(slash(PermissionFlagsBits.Administrator).canManageGuild()).toBe(true);
    expect(slash(PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages).canManageGuild()).toBe(
      true,
    );
    expect(slash(PermissionFlagsBits.ManageChannels | PermissionFlagsBits.BanMembers).canManageGuild()).toBe(
      false,
    );
    expect(slash(0n).canManageGuild()).toBe(false);
    expect(slash().canManageGuild()).toBe(false);
  });

  it('outside a guild: the user, no member, no guild', () => {
    const { guild_id: _guild, ...dm } = base;
    const i = incoming({
      ...dm,
      type: 2,
      user: { id: '6666666666666666666', username: 'bo' },
      data: { name: 'balance', type: 1 },
    });
    expect(i).toMatchObject({ guildId: null, userId: '6666666666666666666' });
    expect(i.member()).toEqual({});
    expect(i.canManageGuild()).toBe(false);
  });
});
