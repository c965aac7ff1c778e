import { readdirSync } from 'node:fs';
import { defineConfig } from 'vitepress';
import { PAGES_DIR } from '../scripts/paths.js';
import { runnableBadge } from './runnable.js';
import { sidebarFor } from './sidebar.js';
import { slugify } from './slugify.js';

// The docs site: Markdown pages in pages/ (each at pages/<name>.md), the references generated into
// pages/reference/ by scripts/reference.ts before each build. Built offline: the default theme bundles its
// font, and search is VitePress's local index (no service called).

const topLevelPages = readdirSync(PAGES_DIR).filter((file) => file.endsWith('.md'));

export default defineConfig({
  title: 'Guildmint',
  titleTemplate: ':title · Guildmint docs',
  description: 'An economy for Discord communities: the SDK, the bot, the control plane and the HTTP API.',
  lang: 'en',
  srcDir: 'pages',
  outDir: 'dist',
  cacheDir: '.vitepress/cache',
  // Dead internal links fail the build (VitePress's check, kept on).
  ignoreDeadLinks: false,
  lastUpdated: false,
  // The SDK reference's root page is one ~0.5 MB chunk by design (one page per entry point): no warning for it.
  vite: { build: { chunkSizeWarningLimit: 1024 } },
  markdown: {
    anchor: { slugify },
    config: (md) => {
      md.use(runnableBadge);
    },
  },
  themeConfig: {
    siteTitle: '🪙 Guildmint',
    nav: [
      { text: 'Quickstart', link: '/quickstart' },
      { text: 'Guarantees', link: '/guarantees' },
      { text: 'SDK reference', link: '/reference/sdk/' },
      { text: 'HTTP reference', link: '/reference/http/' },
    ],
    sidebar: sidebarFor(topLevelPages),
    search: { provider: 'local' },
    outline: { level: [2, 3] },
    docFooter: { prev: 'Previous page', next: 'Next page' },
  },
});
