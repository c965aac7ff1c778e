import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packProblems, releaseDryRun } from './release-dry-run.mjs';

// The release rehearsal as CI runs it: on a copy, versions and changelogs from the pending changesets, then
// what each published tarball would hold, checked. The repository must come out exactly as it went in.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const status = () =>
  execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: ROOT, encoding: 'utf8' });
const changesets = () => readdirSync(new URL('../.changeset', import.meta.url)).sort();

describe('release dry run', () => {
  it('versions every published package from the changesets, packs it cleanly, and changes nothing here', () => {
    const [statusBefore, changesetsBefore] = [status(), changesets()];
    const report = releaseDryRun();
    expect(report.problems).toEqual([]);
    expect(report.packages.map((p) => p.name).sort()).toEqual(['@guildmint/bot-runtime', '@guildmint/sdk']);
    for (const p of report.packages) {
      expect(p.files).toEqual(
        expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']),
      );
      expect(p.files.filter((f) => f.startsWith('src/') || /\.test\./.test(f))).toEqual([]);
      expect(p.tarball).toBe(`${p.name.slice(1).replace('/', '-')}-${p.to}.tgz`);
      if (p.to !== p.from) expect(p.changelog.length, `${p.name}'s changelog for ${p.to}`).toBeGreaterThan(0);
    }
    if (report.changesets > 0) expect(report.packages.some((p) => p.to !== p.from)).toBe(true);
    expect(status()).toBe(statusBefore);
    expect(changesets()).toEqual(changesetsBefore);
  }, 120_000);

  it('flags a tarball without its licence or with sources, tests or configs in it', () => {
    const good = ['CHANGELOG.md', 'LICENSE', 'README.md', 'dist/index.d.ts', 'dist/index.js', 'package.json'];
    expect(packProblems(good)).toEqual([]);
    expect(packProblems(good.filter((f) => f !== 'LICENSE'))).toEqual(['missing LICENSE']);
    expect(packProblems([...good, 'src/index.ts', 'dist/a.test.js', 'tsconfig.json', 'dist/x.ts'])).toEqual([
      'src/index.ts: source, test or tooling folder',
      'dist/a.test.js: a test file',
      'tsconfig.json: a build or test config',
      'dist/x.ts: a TypeScript source file (only .d.ts may ship)',
    ]);
    expect(packProblems(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'])).toEqual([
      'no dist/*.js',
      'no dist/*.d.ts',
    ]);
  });
});
