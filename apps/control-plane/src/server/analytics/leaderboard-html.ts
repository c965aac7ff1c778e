import type { PublicLeaderboard, PublicLeaderboardRow } from '@guildmint/sdk';
import { initialsOf } from '../../lib/initials';
import { formatAmount } from '../../lib/money';

/**
 * The public leaderboard as a standalone HTML document (served by a route handler, not a React page:
 * it must answer a real 404 before anything is sent, which a page under the app's loading.tsx cannot,
 * and it shows nothing of the visitor's session, so shared caches may keep it). No script; the colours
 * follow the system's light or dark mode.
 */

const TITLES = { wallet: 'Wallets', bank: 'Banks', total: 'Wallet + bank' } as const;

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text and attribute values escaped: names come from Discord members. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const STYLE = `
:root { color-scheme: light dark; --fg: #0f172a; --bg: #f8fafc; --muted: #475569; --line: #e2e8f0;
  --link: #4338ca; --chip: #e0e7ff; --on: #4f46e5; }
@media (prefers-color-scheme: dark) { :root { --fg: #f1f5f9; --bg: #020617; --muted: #cbd5e1; --line: #1e293b;
  --link: #a5b4fc; --chip: #4338ca; } }
body { margin: 0; font-family: ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  background: var(--bg); color: var(--fg); }
main { max-width: 42rem; margin: 0 auto; padding: 2rem 1rem; }
h1 { font-size: 1.5rem; }
a { color: var(--link); }
nav { display: flex; gap: .75rem; align-items: center; justify-content: space-between; margin: 1rem 0; }
nav.orders { justify-content: flex-start; }
nav a[aria-current] { background: var(--on); color: #fff; border-radius: .375rem; padding: .125rem .5rem;
  text-decoration: none; }
table { width: 100%; border-collapse: collapse; font-size: .875rem; }
th, td { text-align: left; padding: .5rem .25rem; border-bottom: 1px solid var(--line); }
th.n, td.n { text-align: right; font-variant-numeric: tabular-nums; }
.who { display: flex; align-items: center; gap: .5rem; }
.avatar { width: 28px; height: 28px; border-radius: 9999px; display: inline-flex; align-items: center;
  justify-content: center; background: var(--chip); font-size: .75rem; font-weight: 600; }
.muted { color: var(--muted); }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

function document(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} · Guildmint</title><style>${STYLE}</style></head>
<body><main id="main">${body}</main></body></html>`;
}

/** The same page for a guild without a public board and for one that does not exist. */
export function notFoundHtml(): string {
  return document(
    'Page not found',
    '<div data-testid="not-found"><h1>Page not found</h1><p class="muted">There is nothing at this address.</p></div>',
  );
}

function avatar(row: PublicLeaderboardRow, name: string): string {
  if (row.avatar) return `<img class="avatar" src="${escapeHtml(row.avatar)}" alt="" width="28" height="28">`;
  const initials = initialsOf(name);
  return `<span class="avatar" aria-hidden="true">${escapeHtml(initials || '?')}</span>`;
}

export function leaderboardHtml(board: PublicLeaderboard, guildId: string): string {
  const href = (o: { by?: string; page?: number }) =>
    escapeHtml(
      `/leaderboard/${guildId}?${new URLSearchParams({ by: o.by ?? board.by, page: String(o.page ?? 1) })}`,
    );
  const title = board.name ?? 'Leaderboard';
  const both = board.by !== 'wallet';
  const money = (amount: bigint) => escapeHtml(formatAmount(amount, board.currency));
  const orders = board.bank
    ? `<nav class="orders" aria-label="Rank by">${(['wallet', 'bank', 'total'] as const)
        .map(
          (by) =>
            `<a href="${href({ by })}"${by === board.by ? ' aria-current="page"' : ''}>${TITLES[by]}</a>`,
        )
        .join('')}</nav>`
    : '';
  const rows = board.rows
    .map((row) => {
      const name = row.name ?? 'Unnamed member';
      return `<tr><td>${row.place}</td><td><span class="who">${avatar(row, name)}${escapeHtml(name)}</span></td>${
        both ? `<td class="n">${money(row.wallet)}</td><td class="n">${money(row.bank)}</td>` : ''
      }<td class="n"><strong>${money(row.balance)}</strong></td></tr>`;
    })
    .join('');
  const table =
    board.rows.length === 0
      ? `<p class="muted">Nobody holds any ${escapeHtml(board.currency.name)} yet.</p>`
      : `<table><caption class="sr">${TITLES[board.by]}, places ${board.rows[0]!.place} to ${
          board.rows[board.rows.length - 1]!.place
        } of ${board.ranked}</caption><thead><tr><th scope="col">#</th><th scope="col">Member</th>${
          both ? '<th scope="col" class="n">Wallet</th><th scope="col" class="n">Bank</th>' : ''
        }<th scope="col" class="n">${TITLES[board.by]}</th></tr></thead><tbody>${rows}</tbody></table>`;
  const pages =
    board.pages > 1
      ? `<nav aria-label="Pages">${
          board.page > 1 ? `<a href="${href({ page: board.page - 1 })}">Previous page</a>` : '<span></span>'
        }<span>Page ${board.page} of ${board.pages}</span>${
          board.page < board.pages
            ? `<a href="${href({ page: board.page + 1 })}">Next page</a>`
            : '<span></span>'
        }</nav>`
      : '';
  return document(
    title,
    `<article data-testid="public-leaderboard"><h1>🏆 ${escapeHtml(title)}</h1>${orders}${table}${pages}</article>`,
  );
}
