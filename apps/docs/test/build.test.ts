import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltPage, buildSite, htmlName, NAV, PAGES_DIR } from '../scripts/build.js';

const DOCS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let outDir: string;
let pages: BuiltPage[];

beforeAll(async () => {
  outDir = mkdtempSync(join(DOCS_DIR, '.examples-build-'));
  ({ pages } = await buildSite({ outDir }));
});

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

const attr = (html: string, name: 'href' | 'src' | 'id') =>
  [...html.matchAll(new RegExp(`\\s${name}="([^"]*)"`, 'g'))].map((m) => m[1]!.replace(/&amp;/g, '&'));

describe('docs build', () => {
  it('renders one HTML page per Markdown page, and lists each in the navigation', () => {
    const sources = readdirSync(PAGES_DIR).filter((f) => f.endsWith('.md'));
    const html = readdirSync(outDir).filter((f) => f.endsWith('.html'));
    expect(html.sort()).toEqual(sources.map(htmlName).sort());
    expect(pages.map((p) => p.source).sort()).toEqual(sources.sort());
    expect(NAV.map((entry) => entry.file).sort()).toEqual(sources.sort());
    expect(existsSync(join(outDir, 'index.html'))).toBe(true);
    for (const page of pages) {
      const text = readFileSync(join(outDir, page.output), 'utf8');
      expect(text).toContain(`<title>${page.title.replace(/&/g, '&amp;')} · Guildmint docs</title>`);
      for (const entry of NAV) expect(text).toContain(`href="${htmlName(entry.file)}"`);
    }
  });

  it('has only working relative links (files and #anchors)', () => {
    const ids = new Map<string, Set<string>>();
    const read = (file: string) => readFileSync(join(outDir, file), 'utf8');
    const idsOf = (file: string) => {
      let set = ids.get(file);
      if (!set) {
        set = new Set(attr(read(file), 'id'));
        ids.set(file, set);
      }
      return set;
    };
    const broken: string[] = [];
    let checked = 0;
    for (const page of pages) {
      const html = read(page.output);
      for (const link of [...attr(html, 'href'), ...attr(html, 'src')]) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // http:, https:, mailto:
        checked++;
        const [path = '', fragment] = link.split('#');
        const target = path === '' ? page.output : path;
        if (target.includes('..') || target.startsWith('/') || !existsSync(join(outDir, target))) {
          broken.push(`${page.output}: ${link} (no file ${target})`);
          continue;
        }
        if (fragment && target.endsWith('.html') && !idsOf(target).has(decodeURIComponent(fragment))) {
          broken.push(`${page.output}: ${link} (no id "${fragment}" in ${target})`);
        }
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(pages.length * NAV.length);
  });

  it('never leaves a .md link behind', () => {
    for (const page of pages) {
      const links = attr(readFileSync(join(outDir, page.output), 'utf8'), 'href');
      expect(links.filter((l) => /\.md($|#)/.test(l) && !/^https?:/.test(l))).toEqual([]);
    }
  });
});
