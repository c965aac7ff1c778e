#!/usr/bin/env node
// The README's test command: build what tests import, lint, run every vitest project, print totals.
// With CI=true (or GUILDMINT_REQUIRE_SERVICES=1) PostgreSQL and Redis are required: a missing
// service fails the run. Elsewhere the suites that need them skip, each with a loud line.
// The whole suite then runs the published packages' suites on Node 22 and 24 (scripts/node-matrix.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_LINES, runOnNode } from './node-matrix.mjs';

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
// Formatting and lint rules (biome, a second or two): a failure fails the run, after the tests have run.
const linted = run('pnpm', ['run', 'lint']) === 0;

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
const sums = { passed: totals.numPassedTests, failed: totals.numFailedTests, skipped: skippedOf(totals) };
let failed = status !== 0;
const digest = problemsOf(totals, `node ${process.versions.node.split('.')[0]}`);
if (!linted) {
  digest.push('  pnpm lint (biome check .) found problems: see its output above');
  failed = true;
}
if (totals.numTotalTests === 0) {
  console.log('no test ran: treating as a failure');
  failed = true;
}

// The whole suite (no paths given) also runs the published packages' suites on Node 22 and 24.
if (process.argv.length === 2) {
  for (const major of NODE_LINES) {
    const reportFile = join(artifacts, `vitest-node${major}.json`);
    rmSync(reportFile, { force: true });
    const outcome = runOnNode(major, { env, reportFile });
    if (outcome.skip || outcome.fail) {
      const why = outcome.skip ?? outcome.fail;
      if (env.GUILDMINT_REQUIRE_SERVICES === '1' && outcome.fail) {
        console.log(`node ${major}: ${why}`);
        failed = true;
      } else {
        console.log(`\n!!! SKIPPING the Node ${major} suites: ${why} !!!\n`);
      }
      continue;
    }
    const lineTotals = existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8')) : undefined;
    if (!lineTotals || lineTotals.numTotalTests === 0) {
      console.log(`node ${outcome.version}: no test ran`);
      failed = true;
      continue;
    }
    console.log(
      `node ${outcome.version}: ${lineTotals.numPassedTests} passed, ${lineTotals.numFailedTests} failed`,
    );
    sums.passed += lineTotals.numPassedTests;
    sums.failed += lineTotals.numFailedTests;
    sums.skipped += skippedOf(lineTotals);
    digest.push(...problemsOf(lineTotals, `node ${major}`));
    failed ||= outcome.status !== 0;
  }
}

// What went wrong, again at the very end: CI keeps only the tail of the output.
if (digest.length > 0) console.log(`\nwhat did not pass:\n${digest.join('\n')}`);
console.log(`\n${sums.passed} passed, ${sums.failed} failed, ${sums.skipped} skipped`);
process.exit(failed ? 1 : 0);

function skippedOf(t) {
  return (t.numPendingTests ?? 0) + (t.numTodoTests ?? 0);
}

/** One line per failed file (with its error's first lines), failed test and skipped test of a vitest JSON report. */
function problemsOf(report, line) {
  const problems = [];
  for (const file of report.testResults ?? []) {
    const name = file.name.startsWith(root) ? file.name.slice(root.length) : file.name;
    if (file.status === 'failed' && file.message) {
      problems.push(`  [${line}] ${name}: ${excerpt(file.message)}`);
    }
    for (const test of file.assertionResults ?? []) {
      if (test.status === 'failed') {
        problems.push(
          `  [${line}] FAILED ${name} > ${test.fullName}: ${excerpt(test.failureMessages?.[0] ?? '')}`,
        );
      } else if (test.status === 'pending' || test.status === 'skipped' || test.status === 'todo') {
        problems.push(`  [${line}] SKIPPED ${name} > ${test.fullName}`);
      }
    }
  }
  return problems;
}

function excerpt(message) {
  return message.split('\n').slice(0, 12).join('\n      ');
}
