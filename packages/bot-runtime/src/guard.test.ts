import { describe, expect, it } from 'vitest';
import { checkPacket } from './guard.js';

const interaction = {
  id: '1234567890123456789',
  application_id: '1111111111111111111',
  type: 2,
  token: 'tok',
  guild_id: '2222222222222222222',
  member: { user: { id: '3333333333333333333', username: 'ada' }, roles: [], permissions: '0' },
  data: { id: '4444444444444444444', name: 'daily', type: 1 },
};

describe('gateway payload guard', () => {
  it('passes other dispatches through untouched', () => {
    const packet = { op: 0, t: 'GUILD_CREATE', s: 3, d: { id: '1' } };
    expect(checkPacket(packet)).toEqual({ ok: true, event: 'GUILD_CREATE', packet });
  });

  it('hands back a well-formed interaction parsed, every field kept', () => {
    const checked = checkPacket({ op: 0, t: 'INTERACTION_CREATE', s: 4, d: interaction });
    expect(checked).toMatchObject({ ok: true, event: 'INTERACTION_CREATE', interaction });
  });

  it('rejects what discord.js would choke on, and says whether it can still be answered', () => {
    const reject = (d: unknown) => checkPacket({ op: 0, t: 'INTERACTION_CREATE', s: 5, d });
    expect(reject(null)).toMatchObject({ ok: false, event: 'INTERACTION_CREATE' });
    expect(reject(null)).not.toHaveProperty('answer');
    expect(reject({ ...interaction, data: undefined })).toMatchObject({
      ok: false,
      answer: { id: interaction.id, token: 'tok' },
    });
    expect(reject({ ...interaction, member: undefined })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/member.user or user/),
    });
    expect(reject({ ...interaction, member: { ...interaction.member, permissions: 'all' } })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/permission bitfield/),
    });
    expect(reject({ ...interaction, type: 99 })).toMatchObject({ ok: false });
    expect(reject({ ...interaction, id: 'not-a-snowflake' })).not.toHaveProperty('answer');
    expect(checkPacket('garbage')).toMatchObject({ ok: false, event: 'unknown' });
  });
});
