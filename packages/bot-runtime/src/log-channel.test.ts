import { type AuditLogEntry, defineEconomy } from '@guildmint/sdk';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LogChannel, MAX_LINES_PER_POST, MAX_QUEUED } from './log-channel.js';
import { auditEvent, configEvent } from './log-channel-admin.js';
import { anomalyEvent } from './log-channel-anomalies.js';
import { type CountedResult, moneyEvent } from './log-channel-events.js';

const config = defineEconomy({
  logChannel: { enabled: true, channelId: '42', largePaymentAt: 1_000, maxPostsPerMinute: 6 },
});
const log = pino({ level: 'silent' });

describe('LogChannel', () => {
  let posts: string[][];
  let fail: boolean;
  let channel: LogChannel;
  const descriptions = () => posts.map((p) => p.join('\n'));

  beforeEach(() => {
    vi.useFakeTimers();
    posts = [];
    fail = false;
    channel = new LogChannel({
      log,
      post: async (_channelId, body) => {
        if (fail) throw new Error('Discord said no');
        posts.push((body.embeds[0]?.description ?? '').split('\n'));
      },
    });
  });
  afterEach(() => {
    channel.close();
    vi.useRealTimers();
  });

  const event = (n: number) => ({ kind: 'payment' as const, text: `event ${n}` });

  it('coalesces a burst into one post, then waits its turn (6 posts a minute: one per 10 s)', async () => {
    for (let i = 1; i <= 5; i++) channel.record('g', config.logChannel, event(i));
    await vi.advanceTimersByTimeAsync(0);
    expect(posts).toEqual([['event 1', 'event 2', 'event 3', 'event 4', 'event 5']]);
    channel.record('g', config.logChannel, event(6));
    await vi.advanceTimersByTimeAsync(9_000);
    expect(posts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(posts[1]).toEqual(['event 6']);
  });

  it('keeps a bounded queue, counts what it could not keep, and says so in a post', async () => {
    for (let i = 1; i <= MAX_QUEUED + 30; i++) channel.record('g', config.logChannel, event(i));
    expect(channel.pending('g')).toEqual({ queued: MAX_QUEUED, dropped: 30 });
    await vi.advanceTimersByTimeAsync(0);
    expect(posts[0]).toHaveLength(MAX_LINES_PER_POST + 1);
    expect(posts[0]?.at(-1)).toMatch(/30 events were not posted/);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    // Every kept event was posted exactly once, in order.
    const lines = posts.flat().filter((l) => l.startsWith('event'));
    expect(lines).toEqual(Array.from({ length: MAX_QUEUED }, (_, i) => `event ${i + 1}`));
  });

  it('counts the events of a failed post and reports them with the next one', async () => {
    fail = true;
    channel.record('g', config.logChannel, event(1));
    channel.record('g', config.logChannel, event(2));
    await vi.advanceTimersByTimeAsync(0);
    expect(posts).toEqual([]);
    fail = false;
    channel.record('g', config.logChannel, event(3));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(descriptions()).toEqual([
      'event 3\n⚠️ 2 events were not posted (too many at once, or Discord refused).',
    ]);
  });

  it('posts nothing for a guild whose log channel is off or does not take the kind', async () => {
    channel.record('g', { ...config.logChannel, enabled: false }, event(1));
    channel.record('g', { ...config.logChannel, events: ['admin'] }, event(2));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(posts).toEqual([]);
  });

  it('tells a deliverer once every one of its events was posted, and a failed post as not posted (not counted)', async () => {
    const first = channel.deliver('g', config.logChannel, [event(1), event(2)]);
    await vi.advanceTimersByTimeAsync(0);
    expect(await first).toBe(true);
    fail = true;
    const second = channel.deliver('g', config.logChannel, [event(3)]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await second).toBe(false);
    // The deliverer posts it again itself: the next post does not report it as lost.
    fail = false;
    channel.record('g', config.logChannel, event(4));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(descriptions()).toEqual(['event 1\nevent 2', 'event 4']);
  });

  it('on close, drains the queue back to back within the time given; what is left is not posted', async () => {
    channel.record('g', config.logChannel, event(1));
    await vi.advanceTimersByTimeAsync(0);
    // Rate-limited now: these wait 10 s, 15 lines per post.
    const waiting = channel.deliver(
      'g',
      config.logChannel,
      Array.from({ length: MAX_LINES_PER_POST + 1 }, (_, i) => event(i + 2)),
    );
    const closed = channel.close(5_000);
    await vi.advanceTimersByTimeAsync(0);
    await closed;
    expect(await waiting).toBe(true);
    expect(posts.map((p) => p.length)).toEqual([1, MAX_LINES_PER_POST, 1]);
    await expect(channel.deliver('g', config.logChannel, [event(99)])).resolves.toBe(false);
  });

  it('on close without drain time, tells the deliverer its queued events were not posted', async () => {
    channel.record('g', config.logChannel, event(1));
    await vi.advanceTimersByTimeAsync(0);
    const waiting = channel.deliver('g', config.logChannel, [event(2)]);
    await channel.close(0);
    expect(await waiting).toBe(false);
    expect(posts).toHaveLength(1);
  });
});

describe('moneyEvent', () => {
  const o = { userId: '1', config };
  /** What `counted` hands over: a result with the fields of its operation. */
  const r = (result: CountedResult) => result;
  it('logs payments from the threshold on, purchases, completed trades and admin actions; never replays', () => {
    const pay = (amount: bigint, replayed = false) =>
      moneyEvent('pay', r({ replayed, amount, transfers: [{ to: 'user:2' }] }), o);
    expect(pay(999n)).toBeNull();
    expect(pay(1_000n)).toEqual({ kind: 'payment', text: '💸 <@1> paid <@2> **🪙 1,000**' });
    expect(pay(5_000n, true)).toBeNull();
    expect(
      moneyEvent('buy', r({ replayed: false, amount: 50n, effects: { item: 'x', quantity: 2 } }), o)?.kind,
    ).toBe('purchase');
    expect(moneyEvent('trade', r({ replayed: false, status: 'open', from: '1', to: '2' }), o)).toBeNull();
    expect(
      moneyEvent('trade', r({ replayed: false, status: 'completed', from: '1', to: '2' }), o)?.text,
    ).toBe('🤝 <@1> and <@2> completed a trade');
    // Admin actions come from the audit log (AuditFeed), whoever did them: never twice from here.
    expect(
      moneyEvent('grant', r({ replayed: false, amount: 10n, transfers: [{ to: 'user:3' }] }), o),
    ).toBeNull();
    expect(moneyEvent('claim', r({ replayed: false, amount: 10n }), o)).toBeNull();
  });
});

describe('anomalyEvent', () => {
  it('says who and how much, mentioning members without the account prefix', () => {
    const text = anomalyEvent(
      {
        kind: 'circular',
        accounts: ['user:1', 'user:2'],
        detail: { roundTrips: 4, returned: 10n, firstAt: new Date(0), lastAt: new Date(0) },
      },
      config,
    ).text;
    expect(text).toBe('🚨 Circular payments between <@1> and <@2> (4 round trips)');
  });
});

describe('auditEvent', () => {
  const at = new Date(0);
  const entry = (action: string, o: Partial<AuditLogEntry> = {}): AuditLogEntry => ({
    id: action,
    actor: '7',
    action,
    target: 'user:3',
    reason: 'a *bold*\nreason',
    details: null,
    createdAt: at,
    ...o,
  });
  const text = (...run: AuditLogEntry[]) => auditEvent(run, config)?.text;

  it('says who did what to whom and why, whoever did it, on one line without markdown from the reason', () => {
    expect(text(entry('grant', { details: { amount: '1500' } }))).toBe(
      '🛡️ <@7> granted **🪙 1,500** to <@3> — a bold reason',
    );
    expect(text(entry('revoke', { actor: 'api-key:gm_ab12', details: { amount: '5' } }))).toBe(
      '🛡️ API key `gm_ab12` revoked **🪙 5** from <@3> — a bold reason',
    );
    expect(text(entry('freeze', { actor: 'system' }))).toBe(
      "🧊 `system` froze <@3>'s wallet — a bold reason",
    );
    expect(text(entry('rollback', { details: { reversed: 4 } }))).toMatch(/rolled back <@3>: 4 transfers/);
    expect(text(entry('purchase.refund', { actor: 'stripe' }))).toMatch(/pack purchase by <@3> was refunded/);
    expect(configEvent({ version: 3, actor: '7' }).text).toBe('⚙️ <@7> published config version 3');
  });

  it('sums a run of imports into one line, and leaves the system’s bookkeeping out', () => {
    const imported = (id: string, wallet: string) =>
      entry('import', { id, details: { wallet, bank: '100' }, reason: 'imported from csv' });
    expect(text(imported('a', '900'), imported('b', '1000'))).toBe(
      '📥 <@7> imported **🪙 2,100** for 2 members',
    );
    expect(text(entry('plan.entitlement', { actor: 'discord' }))).toBeUndefined();
    expect(text(entry('policy.faucetMultiplier', { actor: 'system' }))).toBeUndefined();
  });
});
