import type { DefaultTheme } from 'vitepress';

// The sidebar, in reading order. Every page of pages/ (top level) must be listed here exactly once, and every
// entry must exist: the config refuses to build otherwise, so a new page cannot go missing from the navigation.
// Links are page names without `.md`, as VitePress writes them (`/` for index.md).

export interface SidebarGroup {
  text: string;
  items: Array<{ text: string; link: string }>;
}

/** The hand-written pages, grouped. */
export const PAGE_GROUPS: SidebarGroup[] = [
  {
    text: 'Getting started',
    items: [
      { text: 'Getting started', link: '/' },
      { text: 'Quickstart: a discord.js bot', link: '/quickstart' },
      { text: 'Moving in', link: '/moving-in' },
      { text: 'Clusters & online moves', link: '/clusters' },
    ],
  },
  {
    text: 'Concepts & guarantees',
    items: [
      { text: 'Guarantees', link: '/guarantees' },
      { text: 'Ledger', link: '/ledger' },
      { text: 'Idempotency keys', link: '/idempotency' },
      { text: 'Provable fairness', link: '/fairness' },
      { text: 'Errors', link: '/errors' },
    ],
  },
  {
    text: 'Features',
    items: [
      { text: 'Config & presets', link: '/config' },
      { text: 'Faucets', link: '/faucets' },
      { text: 'Sinks & shop', link: '/shop' },
      { text: 'Gifts & buyback', link: '/items-between-members' },
      { text: 'Trades', link: '/trades' },
      { text: 'Wallet & bank', link: '/bank' },
      { text: 'Robbery', link: '/robbery' },
      { text: 'Role income', link: '/role-income' },
      { text: 'Levels & activity', link: '/levels' },
      { text: 'Lottery', link: '/lottery' },
      { text: 'Profile', link: '/profile' },
      { text: 'Games', link: '/games' },
      { text: 'Streaks', link: '/streaks' },
      { text: 'Events', link: '/events' },
      { text: 'Reply texts', link: '/texts' },
    ],
  },
  {
    text: 'Developers & API',
    items: [
      { text: 'HTTP API', link: '/http-api' },
      { text: 'Webhooks', link: '/webhooks' },
      { text: 'Remote client', link: '/remote' },
    ],
  },
  {
    text: 'Operating',
    items: [
      { text: 'Stats & monetary policy', link: '/stats' },
      { text: 'Analytics', link: '/analytics' },
      { text: 'Abuse & admin', link: '/abuse' },
      { text: 'Log channel', link: '/log-channel' },
      { text: 'Plans & billing', link: '/billing' },
      { text: 'Payments & currency packs', link: '/payments' },
      { text: 'Bot fleet across hosts', link: '/bot-fleet' },
    ],
  },
];

/** The generated references (scripts/reference.ts writes them before each build). */
export const REFERENCE_GROUP: SidebarGroup = {
  text: 'Reference (generated)',
  items: [
    { text: 'SDK API reference', link: '/reference/sdk/' },
    { text: 'HTTP API reference', link: '/reference/http/' },
  ],
};

/** `faucets.md` → `/faucets`; `index.md` → `/`. */
export const linkOf = (page: string): string => (page === 'index.md' ? '/' : `/${page.replace(/\.md$/, '')}`);

/** The sidebar, after checking it against the pages on disk (`pages` = the top-level `.md` files). */
export function sidebarFor(pages: readonly string[]): DefaultTheme.SidebarItem[] {
  const listed = PAGE_GROUPS.flatMap((group) => group.items.map((item) => item.link));
  const onDisk = pages.map(linkOf);
  const unlisted = onDisk.filter((link) => !listed.includes(link));
  const missing = listed.filter((link) => !onDisk.includes(link));
  const twice = listed.filter((link, i) => listed.indexOf(link) !== i);
  if (unlisted.length + missing.length + twice.length > 0) {
    throw new Error(
      `pages/ and the sidebar (apps/docs/.vitepress/sidebar.ts) disagree: not listed: [${unlisted.join(', ')}]; listed but missing: [${missing.join(', ')}]; listed twice: [${twice.join(', ')}]`,
    );
  }
  return [...PAGE_GROUPS, REFERENCE_GROUP].map((group) => ({ ...group, collapsed: false }));
}
