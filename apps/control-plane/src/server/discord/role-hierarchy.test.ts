import { describe, expect, it } from 'vitest';
import { Permission } from './permissions';
import { type GuildRole, roleGrantProblems } from './role-hierarchy';

const GUILD = '1000';
const role = (id: string, name: string, position: number, permissions = 0n, managed = false): GuildRole => ({
  id,
  name,
  position,
  permissions: permissions.toString(),
  managed,
});
const roles = [
  role(GUILD, '@everyone', 0),
  role('2001', 'VIP', 1),
  role('2002', 'Staff', 2, Permission.MANAGE_ROLES),
  role('2003', 'Admins', 3, Permission.ADMINISTRATOR),
  role('2004', 'Bot', 4, Permission.MANAGE_ROLES, true),
  // Same position as Admins but younger (a larger id): Discord orders it below Admins.
  role('2005', 'Twin', 3),
];
const facts = (publisherRoles: string[], granted: string[], publisherId = '42') => ({
  guild: { id: GUILD, ownerId: '1', roles },
  publisher: { id: publisherId, roles: publisherRoles },
  bot: { roles: ['2004'] },
  granted,
});

describe('roleGrantProblems', () => {
  it('allows a role below both the publisher and the bot', () => {
    expect(roleGrantProblems(facts(['2002'], ['2001']))).toEqual([]);
  });

  it('needs Manage Roles (or Administrator) from the publisher', () => {
    // Without any role they sit at @everyone, below every role, too.
    expect(roleGrantProblems(facts([], ['2001']))).toEqual([
      expect.stringMatching(/Manage Roles/),
      expect.stringMatching(/"VIP" is not below your highest role/),
    ]);
    expect(roleGrantProblems(facts(['2003'], ['2001']))).toEqual([]);
  });

  it('refuses a role at or above the publisher’s highest, ties broken as Discord does', () => {
    expect(roleGrantProblems(facts(['2002'], ['2002']))).toEqual([
      expect.stringMatching(/"Staff" is not below your/),
    ]);
    expect(roleGrantProblems(facts(['2003'], ['2005']))).toEqual([]);
    expect(roleGrantProblems(facts(['2005', '2002'], ['2003']))).toEqual([
      expect.stringMatching(/"Admins" is not below your/),
    ]);
  });

  it('lets the owner past their own checks, never past the bot’s', () => {
    expect(roleGrantProblems(facts([], ['2003'], '1'))).toEqual([]);
    expect(roleGrantProblems(facts([], ['2004', GUILD, '9999'], '1'))).toEqual([
      expect.stringMatching(/"Bot" is managed/),
      expect.stringMatching(/"Bot" is not below the bot's/),
      expect.stringMatching(/@everyone/),
      expect.stringMatching(/9999 does not exist/),
    ]);
  });

  it('refuses when the publisher is not a member or the bot is not in the guild', () => {
    expect(roleGrantProblems({ ...facts([], ['2001']), publisher: null })).toContainEqual(
      expect.stringMatching(/not a member/),
    );
    expect(roleGrantProblems({ ...facts(['2002'], ['2001']), bot: null })).toEqual([
      expect.stringMatching(/bot is not in this server/),
    ]);
  });
});
