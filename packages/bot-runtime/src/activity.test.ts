import { describe, expect, it } from 'vitest';
import { messageFields } from './activity.js';
import { VoiceTracker } from './activity-voice.js';

const MIN = 60_000;
const base = { guildId: '1', deafened: false, bot: false, roles: [] };

describe('messageFields', () => {
  const message = {
    id: '10',
    guild_id: '1',
    channel_id: '2',
    type: 0,
    author: { id: '3' },
    member: { roles: ['4'] },
    content: 'never read',
  };

  it('reads author, channel, id and roles, never the content', () => {
    expect(messageFields(message)).toEqual({
      guildId: '1',
      channelId: '2',
      messageId: '10',
      userId: '3',
      roles: ['4'],
    });
  });

  it('ignores bots, webhooks, system messages, DMs and malformed payloads', () => {
    expect(messageFields({ ...message, author: { id: '3', bot: true } })).toBeNull();
    expect(messageFields({ ...message, webhook_id: '9' })).toBeNull();
    expect(messageFields({ ...message, type: 7 })).toBeNull();
    expect(messageFields({ ...message, guild_id: undefined })).toBeNull();
    expect(messageFields({ ...message, id: 'x' })).toBeNull();
    expect(messageFields(null)).toBeNull();
  });
});

describe('VoiceTracker', () => {
  it('pays only minutes with a listening companion, while not deafened', () => {
    const voice = new VoiceTracker();
    expect(voice.update({ ...base, userId: 'a', channelId: 'v' }, 0)).toEqual([]);
    // Alone for 3 minutes, then a deafened companion for 2, then a listening one for 4.
    voice.update({ ...base, userId: 'b', channelId: 'v', deafened: true }, 3 * MIN);
    voice.update({ ...base, userId: 'b', channelId: 'v' }, 5 * MIN);
    const [a] = voice.update({ ...base, userId: 'a', channelId: null }, 9 * MIN + 59_000);
    expect(a).toEqual({ guildId: '1', userId: 'a', periodId: 'a-0', minutes: 4, roles: [] });
    // b is alone now: b's 4 minutes so far are paid when b leaves.
    expect(voice.update({ ...base, userId: 'b', channelId: null }, 20 * MIN)).toMatchObject([
      { userId: 'b', minutes: 4 },
    ]);
    expect(voice.size).toBe(0);
  });

  it('does not count bots as company, and settles long stays as it goes, carrying part minutes over', () => {
    const voice = new VoiceTracker();
    voice.update({ ...base, userId: 'a', channelId: 'v' }, 0);
    voice.update({ ...base, userId: 'bot', channelId: 'v', bot: true }, 0);
    expect(voice.settle(30 * MIN, 1)).toEqual([]);
    voice.update({ ...base, userId: 'b', channelId: 'v' }, 30 * MIN);
    const due = voice.settle(40 * MIN + 30_000, 10);
    expect(due.map((p) => [p.userId, p.minutes, p.periodId])).toEqual([
      ['a', 10, 'a-0'],
      ['b', 10, `b-${30 * MIN}`],
    ]);
    // A move to another channel ends the period with the half minute carried over.
    const [moved] = voice.update({ ...base, userId: 'a', channelId: 'w' }, 41 * MIN);
    expect(moved).toMatchObject({ userId: 'a', minutes: 1, periodId: `a-${40 * MIN + 30_000}` });
  });
});

describe('VoiceTracker.resume (after a restart)', () => {
  const saved = (userId: string, presence: object | null, savedAt: number) => ({
    userId,
    session: {
      presence: presence && {
        channelId: '7',
        deafened: false,
        bot: false,
        roles: [],
        periodStart: 0,
        earnedMs: 0,
        earningSince: 0,
        ...presence,
      },
      savedAt,
      due: [],
    },
  });

  it('goes on with a member still in the channel (the downtime counts), pays one gone up to the save', () => {
    const voice = new VoiceTracker();
    // a and b were earning together from 0; c was alone-ish and deafened (not earning, 2 minutes held).
    const ended = voice.resume(
      '1',
      [
        saved('a', {}, 3 * MIN),
        saved('b', {}, 3 * MIN),
        saved('c', { deafened: true, earnedMs: 2 * MIN, earningSince: null }, 3 * MIN),
      ],
      [
        { ...base, userId: 'a', channelId: '7' },
        { ...base, userId: 'c', channelId: '8' },
        { ...base, userId: 'd', channelId: '8' },
      ],
      20 * MIN,
    );
    // b left during the downtime: paid up to the save (3 minutes), not to the restart; c moved: 2 minutes.
    expect(ended).toEqual([
      { guildId: '1', userId: 'b', periodId: 'b-0', minutes: 3, roles: [] },
      { guildId: '1', userId: 'c', periodId: 'c-0', minutes: 2, roles: [] },
    ]);
    // a is alone now: earning stopped at the restart, with the 20 minutes since 0 in the same period.
    expect(voice.presence('1', 'a')).toMatchObject({
      periodStart: 0,
      earnedMs: 20 * MIN,
      earningSince: null,
    });
    // c and d are together in 8 from the restart on, in new periods.
    expect(voice.presence('1', 'c')).toMatchObject({ periodStart: 20 * MIN, earningSince: 20 * MIN });
    expect(voice.settle(31 * MIN, 10).map((p) => [p.userId, p.minutes, p.periodId])).toEqual([
      ['a', 20, 'a-0'],
      ['c', 11, `c-${20 * MIN}`],
      ['d', 11, `d-${20 * MIN}`],
    ]);
  });

  it('ignores sessions of members no longer in voice, and tracks nobody when nobody is in voice', () => {
    const voice = new VoiceTracker();
    expect(voice.resume('1', [saved('a', null, 0)], [], MIN)).toEqual([]);
    expect(voice.size).toBe(0);
    expect(voice.guilds()).toEqual([]);
  });
});
