import type { PublicLeaderboard } from '@guildmint/sdk';
import { describe, expect, it } from 'vitest';
import { escapeHtml, leaderboardHtml, notFoundHtml } from './leaderboard-html';
import { leaderboardQuery } from './public-leaderboard';

const board = (over: Partial<PublicLeaderboard> = {}): PublicLeaderboard => ({
  by: 'wallet',
  bank: false,
  page: 1,
  pageSize: 25,
  ranked: 1,
  pages: 1,
  currency: { name: 'Coins', symbol: '🪙', decimals: 2 },
  name: null,
  rows: [
    {
      place: 1,
      userId: '900',
      name: '<script>alert(1)</script> & "co"',
      avatar: 'https://cdn.discordapp.com/a.png?x="><img src=x>',
      balance: 123_456n,
      wallet: 123_456n,
      bank: 0n,
    },
  ],
  ...over,
});

describe('public leaderboard HTML', () => {
  it('escapes what members chose (names, avatar URLs) and shows amounts with the currency', () => {
    const html = leaderboardHtml(board(), '123');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&quot;');
    expect(html).toContain('src="https://cdn.discordapp.com/a.png?x=&quot;&gt;&lt;img src=x&gt;"');
    expect(html).toContain('🪙 1,234.56');
    expect(html).not.toContain('900'); // no user id
    expect(escapeHtml(`'`)).toBe('&#39;');
  });

  it('offers the bank and total boards only with a bank, and pages only when there are several', () => {
    expect(leaderboardHtml(board(), '1')).not.toContain('Rank by');
    const banked = leaderboardHtml(board({ bank: true, by: 'total', page: 2, pages: 3, ranked: 60 }), '1');
    expect(banked).toContain('aria-current="page">Wallet + bank');
    expect(banked).toContain('href="/leaderboard/1?by=total&amp;page=1">Previous page');
    expect(banked).toContain('href="/leaderboard/1?by=total&amp;page=3">Next page');
    expect(leaderboardHtml(board({ rows: [], ranked: 0 }), '1')).toContain('Nobody holds any Coins yet.');
    expect(notFoundHtml()).toContain('Page not found');
  });

  it('reads ?by and ?page, falling back to the first wallet page on anything else', () => {
    expect(leaderboardQuery({ by: 'bank', page: '3' })).toEqual({ by: 'bank', page: 3 });
    expect(leaderboardQuery({ by: 'x', page: '-1' })).toEqual({ page: 1 });
    expect(leaderboardQuery({ page: ['2', '5'] })).toEqual({ page: 2 });
    expect(leaderboardQuery({ page: '1e3' })).toEqual({ page: 1000 });
  });
});
