#!/usr/bin/env node
// The release, rehearsed: on a temporary copy of the repository, `changeset version` computes each published
// package's next version and changelog from .changeset/*.md, then `npm pack --dry-run --json` lists what
// each tarball would hold, and the contents are checked (dist, README, LICENSE, CHANGELOG, package.json; no
// sources, tests or configs). The repository itself is never written to. Exits 1 when a check fails.
//   node scripts/release-dry-run.mjs [--json]
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Every file a tarball of a published package must hold. */
export const REQUIRED_FILES = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'];

/** What must never be published: sources, tests, configs, maps of nothing but those. */
const FORBIDDEN = [
  { rule: /^(src|test|tests|bench|scripts|drizzle)\//, why: 'source, test or tooling folder' },
  { rule: /(^|\/)[^/]+\.(test|spec)\.[cm]?[jt]sx?$/, why: 'a test file' },
  { rule: /(^|\/)[^/]+(?<!\.d)\.[cm]?tsx?$/, why: 'a TypeScript source file (only .d.ts may ship)' },
  {
    rule: /(^|\/)(tsconfig[^/]*\.json|tsup\.config\.[a-z]+|vitest\.config\.[a-z]+|drizzle\.[a-z]+\.config\.ts)$/,
    why: 'a build or test config',
  },
  { rule: /(^|\/)\.env/, why: 'an environment file' },
];

/** The problems of one tarball's file list (paths relative to the package root). */
export function packProblems(files) {
  const problems = [];
  for (const file of REQUIRED_FILES) if (!files.includes(file)) problems.push(`missing ${file}`);
  if (!files.some((file) => file.startsWith('dist/') && /\.[cm]?js$/.test(file)))
    problems.push('no dist/*.js');
  if (!files.some((file) => file.startsWith('dist/') && /\.d\.[cm]?ts$/.test(file)))
    problems.push('no dist/*.d.ts');
  for (const file of files) {
    const hit = FORBIDDEN.find(({ rule }) => rule.test(file));
    if (hit) problems.push(`${file}: ${hit.why}`);
  }
  return problems;
}

/** The workspace's package folders (pnpm-workspace.yaml's `dir/*` globs). */
function workspaceDirs(root) {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const globs = [...yaml.matchAll(/^\s*-\s*['"]?([^'"\n]+?)\/\*['"]?\s*$/gm)].map((m) => m[1]);
  return globs.flatMap((glob) =>
    existsSync(join(root, glob))
      ? readdirSync(join(root, glob), { withFileTypes: true })
          .filter((entry) => entry.isDirectory() && existsSync(join(root, glob, entry.name, 'package.json')))
          .map((entry) => join(glob, entry.name))
      : [],
  );
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** A copy of the repository's tracked files, plus each published package's built files (dist/, bin/). */
function copyRepository(root, published) {
  const copy = mkdtempSync(join(tmpdir(), 'guildmint-release-'));
  const tracked = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
    .split('\0')
    .filter(Boolean);
  for (const file of tracked) {
    if (!existsSync(join(root, file))) continue; // deleted in the work tree
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(root, file), join(copy, file));
  }
  for (const { dir, manifest } of published) {
    for (const entry of manifest.files ?? []) {
      const from = join(root, dir, entry);
      if (existsSync(from)) cpSync(from, join(copy, dir, entry), { recursive: true });
    }
  }
  return copy;
}

function changesetBin(root) {
  const bin = join(root, 'node_modules/@changesets/cli/bin.js');
  if (!existsSync(bin)) throw new Error('@changesets/cli is not installed: run pnpm install');
  return bin;
}

/** The `## x.y.z` section of a changelog, without its heading. */
function changelogSection(changelog, version) {
  const start = changelog.indexOf(`## ${version}\n`);
  if (start < 0) return undefined;
  const rest = changelog.slice(start + version.length + 4);
  const next = rest.search(/^## /m);
  return (next < 0 ? rest : rest.slice(0, next)).trim();
}

export function releaseDryRun({ root = ROOT } = {}) {
  const published = workspaceDirs(root)
    .map((dir) => ({ dir, manifest: readJson(join(root, dir, 'package.json')) }))
    .filter(({ manifest }) => manifest.private !== true);
  const pending = readdirSync(join(root, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
  const copy = copyRepository(root, published);
  try {
    execFileSync(process.execPath, [changesetBin(root), 'version'], {
      cwd: copy,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: 'true' },
    });
    const left = readdirSync(join(copy, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    const packages = published.map(({ dir, manifest }) => {
      const next = readJson(join(copy, dir, 'package.json'));
      const changelogFile = join(copy, dir, 'CHANGELOG.md');
      const changelog = existsSync(changelogFile) ? readFileSync(changelogFile, 'utf8') : '';
      const section = changelogSection(changelog, next.version);
      const [pack] = JSON.parse(
        execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
          cwd: join(copy, dir),
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, npm_config_loglevel: 'error', npm_config_update_notifier: 'false' },
        }),
      );
      const files = pack.files.map((f) => f.path).sort();
      const problems = packProblems(files);
      if (next.version !== manifest.version && !section) {
        problems.push(`CHANGELOG.md has no "## ${next.version}" section`);
      }
      return {
        name: manifest.name,
        dir,
        from: manifest.version,
        to: next.version,
        changelog: section ?? '',
        tarball: pack.filename,
        size: pack.size,
        unpackedSize: pack.unpackedSize,
        files,
        problems,
      };
    });
    const problems = [
      ...packages.flatMap((p) => p.problems.map((problem) => `${p.name}: ${problem}`)),
      ...(left.length > 0 ? [`changesets not consumed by \`changeset version\`: ${left.join(', ')}`] : []),
    ];
    return { changesets: pending.length, packages, problems };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const report = releaseDryRun();
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    console.log(`release dry run: ${report.changesets} changesets`);
    for (const p of report.packages) {
      const kb = (bytes) => `${(bytes / 1024).toFixed(0)} kB`;
      console.log(
        `  ${p.name} ${p.from} → ${p.to}: ${p.tarball}, ${p.files.length} files, ${kb(p.size)} packed (${kb(p.unpackedSize)} unpacked)`,
      );
    }
    for (const problem of report.problems) console.log(`  PROBLEM ${problem}`);
    console.log(
      `\n${report.problems.length === 0 ? 'ok' : 'failed'}: the repository was not changed (${relative(process.cwd(), ROOT) || '.'})`,
    );
  }
  process.exit(report.problems.length === 0 ? 0 : 1);
}
