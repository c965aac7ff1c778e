import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@guildmint/test-support';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkOf, PAGE_GROUPS, REFERENCE_GROUP, sidebarFor } from '../.vitepress/sidebar.js';
import { DOCS_DIR, PAGES_DIR, REFERENCE_DIR } from '../scripts/paths.js';
import { serveStatic } from './support/static-server.js';

// One real build (references generated, VitePress with its dead-link check on) into a folder of this run's
// own, then checks on the HTML it wrote. The build runs as `pnpm docs:build` does, in a process of its own
// (Vite's resolution of Vue differs inside vitest's module runner).

let work: string;
let outDir: string;

beforeAll(async () => {
  const started = Date.now();
  work = mkdtempSync(join(DOCS_DIR, '.build-test-'));
  outDir = join(work, 'dist');
  const tsx = createRequire(join(DOCS_DIR, 'package.json')).resolve('tsx/cli');
  const build = spawnSync(
    process.execPath,
    [tsx, join(DOCS_DIR, 'scripts/build.ts'), '--out-dir', outDir, '--work-dir', work],
    { cwd: DOCS_DIR, encoding: 'utf8', timeout: 280_000 },
  );
  expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
  console.log(`docs build: ${Date.now() - started} ms`);
}, 300_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

const sources = readdirSync(PAGES_DIR)
  .filter((f) => f.endsWith('.md'))
  .sort();
const htmlOf = (page: string) => page.replace(/\.md$/, '.html');
const read = (file: string) => readFileSync(join(outDir, file), 'utf8');
const attr = (html: string, name: 'href' | 'src' | 'id') =>
  [...html.matchAll(new RegExp(`\\s${name}="([^"]*)"`, 'g'))].map((m) => m[1]!.replace(/&amp;/g, '&'));

/** Every HTML file of the site, relative to its root. */
function htmlFiles(dir = outDir, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return path === 'assets' ? [] : htmlFiles(dir, path);
    return entry.name.endsWith('.html') ? [path] : [];
  });
}

describe('docs build', () => {
  it('renders every page, titled by its first heading', () => {
    expect(sources.length).toBeGreaterThan(20);
    for (const page of sources) {
      const heading = /^# (.+)$/m.exec(readFileSync(join(PAGES_DIR, page), 'utf8'))?.[1];
      expect(heading, `${page} has no "# Title"`).toBeTruthy();
      const title = heading!.replace(/`/g, '').replace(/&/g, '&amp;');
      expect(read(htmlOf(page))).toContain(`<title>${title} · Guildmint docs</title>`);
    }
  });

  it('lists every page in the sidebar of every page, once', () => {
    const listed = PAGE_GROUPS.flatMap((group) => group.items.map((item) => item.link));
    expect([...listed].sort()).toEqual(sources.map(linkOf).sort());
    for (const page of sources) {
      const links = new Set(attr(read(htmlOf(page)), 'href'));
      for (const link of listed)
        expect(links, `${page} → ${link}`).toContain(link === '/' ? '/' : `${link}.html`);
      for (const item of REFERENCE_GROUP.items) expect(links).toContain(item.link);
    }
  });

  it('refuses to build with a page left out of the sidebar, or a sidebar entry without its page', () => {
    expect(() => sidebarFor([...sources, 'orphan.md'])).toThrow(/not listed: \[\/orphan\]/);
    expect(() => sidebarFor(sources.filter((page) => page !== 'faucets.md'))).toThrow(
      /listed but missing: \[\/faucets\]/,
    );
  });

  it('has the SDK reference, one page per entry point, made from the types', () => {
    const sdk = read('reference/sdk/index.html');
    for (const specifier of ['@guildmint/sdk', '@guildmint/sdk/libsql', '@guildmint/sdk/remote'])
      expect(sdk).toContain(`>${specifier}<`);
    const root = read('reference/sdk/@guildmint.sdk.html');
    for (const name of ['createEconomy', 'GuildmintError', 'Tenant'])
      expect(root).toContain(`id="${name.toLowerCase()}"`);
  });

  it('has the HTTP reference: every operation of the OpenAPI document', () => {
    const files = readdirSync(join(REFERENCE_DIR, 'http')).filter((f) => f.endsWith('.md'));
    expect(files).toContain('index.md');
    const index = read('reference/http/index.html');
    const pages = files.map((f) => read(`reference/http/${htmlOf(f)}`)).join('\n');
    const operations = [...index.matchAll(/<td><code>(\/api\/v1\/[^<]+)<\/code><\/td>/g)].map((m) => m[1]);
    expect(operations.length).toBeGreaterThan(20);
    for (const path of operations) expect(pages).toContain(path!.replace(/&/g, '&amp;'));
    expect(pages).toContain('Idempotency-Key');
  });

  it('has no dead internal link or #anchor on any page', () => {
    const ids = new Map<string, Set<string>>();
    const idsOf = (file: string) => {
      if (!ids.has(file)) ids.set(file, new Set(attr(read(file), 'id')));
      return ids.get(file)!;
    };
    const broken: string[] = [];
    let checked = 0;
    for (const file of htmlFiles()) {
      const html = read(file).replace(/<pre[\s\S]*?<\/pre>/g, '');
      for (const link of attr(html, 'href')) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('/assets/') || link.endsWith('.css'))
          continue;
        checked++;
        const [path = '', fragment] = link.split('#');
        const base = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
        let target =
          path === '' ? file : path.startsWith('/') ? path.slice(1) : `${base}${path.replace(/^\.\//, '')}`;
        if (target === '' || target.endsWith('/')) target += 'index.html';
        target = decodeURIComponent(target);
        if (!existsSync(join(outDir, target))) {
          broken.push(`${file}: ${link} (no file ${target})`);
          continue;
        }
        if (fragment && !idsOf(target).has(decodeURIComponent(fragment))) {
          broken.push(`${file}: ${link} (no id "${fragment}" in ${target})`);
        }
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(sources.length * sources.length);
  });

  it('works offline: no font, script or stylesheet from another host', () => {
    for (const file of htmlFiles()) {
      const html = read(file);
      const external = [
        ...attr(html, 'src'),
        ...[...html.matchAll(/<link[^>]*href="([^"]*)"/g)].map((m) => m[1]!),
      ].filter((url) => /^(https?:)?\/\//.test(url));
      expect(external, file).toEqual([]);
    }
    const css = readdirSync(join(outDir, 'assets')).filter((f) => f.endsWith('.css'));
    for (const file of css)
      expect(readFileSync(join(outDir, 'assets', file), 'utf8')).not.toMatch(/url\((["']?)https?:/);
  });

  it('has the local search index and the dark-mode switch', () => {
    const assets = readdirSync(join(outDir, 'assets'), { recursive: true }) as string[];
    expect(assets.some((f) => /localSearchIndex/i.test(f))).toBe(true);
    expect(read('index.html')).toContain('vitepress-theme-appearance');
  });

  it('works in Chromium: no request leaves the site, dark mode switches, search finds a page, the sidebar navigates', async () => {
    const site = await serveStatic(outDir);
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const foreign: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith(site.url) && !request.url().startsWith('data:'))
          foreign.push(request.url());
      });
      await page.goto(`${site.url}/`);
      expect(await page.title()).toBe('Getting started · Guildmint docs');

      const dark = async () => /\bdark\b/.test((await page.locator('html').getAttribute('class')) ?? '');
      const wasDark = await dark();
      await page.locator('.VPNavBar .VPSwitchAppearance').first().click();
      expect(await dark()).toBe(!wasDark);

      await page.locator('#local-search button').first().click();
      await page.locator('#localsearch-input').fill('robbery');
      const results = page.locator('#localsearch-list li a');
      await results.first().waitFor();
      const hrefs = await results.evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
      expect(
        hrefs.some((href) => href.startsWith('/robbery.html')),
        hrefs.join(' '),
      ).toBe(true);
      await page.keyboard.press('Escape');

      await page.locator('.VPSidebar a', { hasText: 'Quickstart' }).first().click();
      await page.locator('h1', { hasText: 'Quickstart' }).waitFor();
      expect(page.url()).toBe(`${site.url}/quickstart.html`);
      // The quickstart shows the example's own code, included from examples/discord-bot.
      expect(await page.locator('.vp-doc pre').allTextContents()).toEqual(
        expect.arrayContaining([expect.stringContaining("case 'coinflip': {")]),
      );
      expect(foreign).toEqual([]);
    } finally {
      await browser.close();
      await site.close();
    }
  }, 60_000);
});
