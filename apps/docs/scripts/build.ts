import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Marked, type Tokens } from 'marked';

// Renders pages/*.md to static HTML: one file per page, a sidebar in NAV order, one stylesheet.
// Links between pages are written as `other.md#anchor` (so they also work on GitHub) and become `.html`.

const here = dirname(fileURLToPath(import.meta.url));
export const PAGES_DIR = resolve(here, '../pages');
export const OUT_DIR = resolve(here, '../dist');

/** The sidebar, in reading order. Every page must be listed here, and every entry must exist. */
export const NAV: ReadonlyArray<{ file: string; label: string }> = [
  { file: 'index.md', label: 'Getting started' },
  { file: 'ledger.md', label: 'Ledger' },
  { file: 'idempotency.md', label: 'Idempotency keys' },
  { file: 'config.md', label: 'Config & presets' },
  { file: 'faucets.md', label: 'Faucets' },
  { file: 'shop.md', label: 'Sinks & shop' },
  { file: 'items-between-members.md', label: 'Gifts & buyback' },
  { file: 'trades.md', label: 'Trades' },
  { file: 'bank.md', label: 'Wallet & bank' },
  { file: 'robbery.md', label: 'Robbery' },
  { file: 'role-income.md', label: 'Role income' },
  { file: 'levels.md', label: 'Levels & activity' },
  { file: 'lottery.md', label: 'Lottery' },
  { file: 'profile.md', label: 'Profile' },
  { file: 'moving-in.md', label: 'Moving in' },
  { file: 'games.md', label: 'Games' },
  { file: 'fairness.md', label: 'Provable fairness' },
  { file: 'streaks.md', label: 'Streaks' },
  { file: 'events.md', label: 'Events' },
  { file: 'stats.md', label: 'Stats & monetary policy' },
  { file: 'analytics.md', label: 'Analytics' },
  { file: 'abuse.md', label: 'Abuse & admin' },
  { file: 'log-channel.md', label: 'Log channel' },
  { file: 'texts.md', label: 'Reply texts' },
  { file: 'billing.md', label: 'Plans & billing' },
  { file: 'payments.md', label: 'Payments & currency packs' },
  { file: 'errors.md', label: 'Errors' },
  { file: 'http-api.md', label: 'HTTP API' },
  { file: 'webhooks.md', label: 'Webhooks' },
  { file: 'remote.md', label: 'Remote client' },
];

export interface BuiltPage {
  source: string;
  output: string;
  title: string;
}

export function htmlName(mdFile: string): string {
  return mdFile.replace(/\.md$/, '.html');
}

/** GitHub-style heading ids: lower case, punctuation dropped, spaces to hyphens. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/[`*_~[\]()]/g, '')
    .replace(/&[a-z]+;/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `faucets.md#cooldowns` → `faucets.html#cooldowns`; other links are left alone. */
function rewriteHref(href: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#') || href.startsWith('/')) return href;
  return href.replace(/^([^#?]+)\.md(?=$|[#?])/, '$1.html');
}

function renderMarkdown(markdown: string): { html: string; title: string } {
  const used = new Map<string, number>();
  let title = '';
  const marked = new Marked({
    gfm: true,
    renderer: {
      heading({ tokens, depth, text }: Tokens.Heading) {
        const inner = this.parser.parseInline(tokens);
        const base = slugify(text) || 'section';
        const seen = used.get(base) ?? 0;
        used.set(base, seen + 1);
        const id = seen === 0 ? base : `${base}-${seen}`;
        if (depth === 1 && !title) title = inner.replace(/<[^>]*>/g, '');
        if (depth === 1) return `<h1 id="${id}">${inner}</h1>\n`;
        return `<h${depth} id="${id}"><a class="anchor" href="#${id}">${inner}</a></h${depth}>\n`;
      },
      code({ text, lang }: Tokens.Code) {
        const [language = '', ...flags] = (lang ?? '').trim().split(/\s+/);
        const runnable = flags.includes('run');
        const cls = language ? ` class="language-${escapeHtml(language)}"` : '';
        const badge = runnable
          ? '<div class="runnable" title="Run in CI by apps/docs/test/examples.test.ts">runnable example</div>'
          : '';
        return `<figure class="code${runnable ? ' run' : ''}">${badge}<pre><code${cls}>${escapeHtml(text)}</code></pre></figure>\n`;
      },
      link({ href, title: linkTitle, tokens }: Tokens.Link) {
        const inner = this.parser.parseInline(tokens);
        const t = linkTitle ? ` title="${escapeHtml(linkTitle)}"` : '';
        return `<a href="${escapeHtml(rewriteHref(href))}"${t}>${inner}</a>`;
      },
    },
  });
  const html = marked.parse(markdown, { async: false });
  return { html, title };
}

function layout(page: { file: string; title: string; body: string }): string {
  const index = NAV.findIndex((entry) => entry.file === page.file);
  const nav = NAV.map((entry) => {
    const current = entry.file === page.file ? ' aria-current="page"' : '';
    return `<li><a href="${htmlName(entry.file)}"${current}>${escapeHtml(entry.label)}</a></li>`;
  }).join('\n        ');
  const prev = index > 0 ? NAV[index - 1] : undefined;
  const next = index >= 0 && index < NAV.length - 1 ? NAV[index + 1] : undefined;
  const pager = [
    prev ? `<a class="prev" href="${htmlName(prev.file)}">← ${escapeHtml(prev.label)}</a>` : '<span></span>',
    next ? `<a class="next" href="${htmlName(next.file)}">${escapeHtml(next.label)} →</a>` : '<span></span>',
  ].join('\n      ');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(page.title)} · Guildmint docs</title>
  <link rel="stylesheet" href="style.css">
</head>
<body>
  <a class="skip" href="#content">Skip to content</a>
  <div class="layout">
    <nav class="sidebar" aria-label="Documentation">
      <a class="brand" href="index.html">🪙 Guildmint</a>
      <ul>
        ${nav}
      </ul>
    </nav>
    <main id="content">
${page.body}
      <nav class="pager" aria-label="Previous and next page">
      ${pager}
      </nav>
    </main>
  </div>
</body>
</html>
`;
}

const STYLE = `:root {
  --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --side: #f6f8fa; --line: #d1d9e0;
  --accent: #8a5a00; --code-bg: #f6f8fa; --run: #1a7f37;
}
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --side: #151b23; --line: #3d444d;
    --accent: #e3b341; --code-bg: #151b23; --run: #3fb950; }
}
* { box-sizing: border-box; }
html { font-size: 16px; }
body { margin: 0; color: var(--fg); background: var(--bg);
  font: 1rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--bg); padding: .5rem; z-index: 10; }
.layout { display: flex; min-height: 100vh; }
.sidebar { flex: 0 0 15rem; background: var(--side); border-right: 1px solid var(--line); padding: 1.25rem 1rem;
  position: sticky; top: 0; height: 100vh; overflow-y: auto; }
.sidebar .brand { display: block; font-weight: 700; font-size: 1.15rem; margin-bottom: 1rem; color: var(--fg);
  text-decoration: none; }
.sidebar ul { list-style: none; margin: 0; padding: 0; }
.sidebar li a { display: block; padding: .3rem .5rem; border-radius: 6px; color: var(--fg); text-decoration: none; }
.sidebar li a:hover { background: var(--line); }
.sidebar li a[aria-current="page"] { background: var(--accent); color: var(--bg); font-weight: 600; }
main { flex: 1; min-width: 0; max-width: 60rem; padding: 2rem 2.5rem 4rem; }
h1, h2, h3, h4 { line-height: 1.25; margin: 2rem 0 .75rem; }
h1 { margin-top: 0; font-size: 2rem; }
h2 { font-size: 1.45rem; padding-bottom: .3rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.15rem; }
h2 a.anchor, h3 a.anchor, h4 a.anchor { color: inherit; text-decoration: none; }
h2 a.anchor:hover::after, h3 a.anchor:hover::after { content: " #"; color: var(--muted); }
a { color: var(--accent); }
p, ul, ol, table, figure { margin: 0 0 1rem; }
code { font: .875em/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--code-bg);
  padding: .1em .3em; border-radius: 4px; }
figure.code { position: relative; }
pre { background: var(--code-bg); border: 1px solid var(--line); border-radius: 8px; padding: 1rem;
  overflow-x: auto; margin: 0; }
pre code { background: none; padding: 0; font-size: .85rem; }
figure.run pre { border-left: 4px solid var(--run); }
.runnable { position: absolute; right: .5rem; top: .4rem; font-size: .7rem; text-transform: uppercase;
  letter-spacing: .04em; color: var(--run); font-weight: 600; }
table { border-collapse: collapse; display: block; overflow-x: auto; }
th, td { border: 1px solid var(--line); padding: .4rem .7rem; text-align: left; vertical-align: top; }
th { background: var(--side); }
blockquote { margin: 0 0 1rem; padding: .5rem 1rem; border-left: 4px solid var(--accent); background: var(--side);
  border-radius: 0 6px 6px 0; }
blockquote p:last-child { margin-bottom: 0; }
.pager { display: flex; justify-content: space-between; margin-top: 3rem; padding-top: 1rem;
  border-top: 1px solid var(--line); }
@media (max-width: 50rem) {
  .layout { display: block; }
  .sidebar { position: static; height: auto; border-right: 0; border-bottom: 1px solid var(--line); }
  main { padding: 1.25rem; }
}
`;

/** Renders every page of `pagesDir` into `outDir` (emptied first). */
export async function buildSite(
  o: { pagesDir?: string; outDir?: string } = {},
): Promise<{ outDir: string; pages: BuiltPage[] }> {
  const pagesDir = o.pagesDir ?? PAGES_DIR;
  const outDir = o.outDir ?? OUT_DIR;
  const files = (await readdir(pagesDir)).filter((f) => f.endsWith('.md')).sort();
  const listed = new Set(NAV.map((entry) => entry.file));
  const unlisted = files.filter((f) => !listed.has(f));
  const missing = [...listed].filter((f) => !files.includes(f));
  if (unlisted.length > 0 || missing.length > 0) {
    throw new Error(
      `pages and NAV disagree: not in NAV: [${unlisted.join(', ')}]; in NAV but missing: [${missing.join(', ')}]`,
    );
  }
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'style.css'), STYLE);
  const pages: BuiltPage[] = [];
  for (const file of files) {
    const { html, title } = renderMarkdown(await readFile(join(pagesDir, file), 'utf8'));
    if (!title) throw new Error(`${file} has no "# Title" heading`);
    const output = htmlName(file);
    await writeFile(join(outDir, output), layout({ file, title, body: html }));
    pages.push({ source: file, output, title });
  }
  return { outDir, pages };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const { outDir, pages } = await buildSite();
  console.log(`built ${pages.length} pages into ${outDir} in ${Date.now() - started} ms`);
}
