#!/usr/bin/env node
// The README's test command: build what tests import, run every vitest project, print totals.
// With CI=true (or GUILDMINT_REQUIRE_SERVICES=1) PostgreSQL and Redis are required: a missing
// service fails the run. Elsewhere the suites that need them skip, each with a loud line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const env = { ...process.env };
if (env.CI === 'true' || env.CI === '1') env.GUILDMINT_REQUIRE_SERVICES = '1';

function run(cmd, args) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const result = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' });
  return result.status ?? 1;
}

if (run('pnpm', ['run', 'build']) !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const artifacts = join(root, '.test-artifacts');
mkdirSync(artifacts, { recursive: true });
const report = join(artifacts, 'vitest.json');
rmSync(report, { force: true });
const status = run('pnpm', [
  'exec',
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
]);

if (!existsSync(report)) {
  console.log('0 passed, 1 failed');
  process.exit(status || 1);
}
const totals = JSON.parse(readFileSync(report, 'utf8'));
const skipped = (totals.numPendingTests ?? 0) + (totals.numTodoTests ?? 0);
console.log(`\n${totals.numPassedTests} passed, ${totals.numFailedTests} failed, ${skipped} skipped`);
if (totals.numTotalTests === 0) {
  console.log('no test ran: treating as a failure');
  process.exit(1);
}
process.exit(status);
