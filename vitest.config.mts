import { defineConfig } from 'vitest/config';

// Projects: `unit` and `unit-shared` need nothing but Node; `integration` (*.integration.test.ts) needs
// PostgreSQL/Redis (see test/support in each package).
const UNIT = [
  'packages/*/src/**/*.test.ts',
  'packages/*/test/**/*.test.ts',
  'apps/*/src/**/*.test.ts',
  'apps/*/test/**/*.test.ts',
  'examples/*/**/*.test.ts',
  'scripts/**/*.test.ts',
];
const SHARED_MODULES = [
  'packages/bot-runtime/src/**/*.test.ts',
  'packages/bot-runtime/test/**/*.test.ts',
  'apps/control-plane/src/**/*.test.ts',
];
const EXCLUDE = ['**/node_modules/**', '**/dist/**'];

export default defineConfig({
  test: {
    // Two test files at a time. Vitest's default on a 2-core machine is one (cores − 1), but most files
    // spend their time waiting on PostgreSQL, child processes, simulators and a browser, so a second file
    // fills that time: the whole suite fits CI's 15 minutes again. (VITEST_MAX_WORKERS overrides it.)
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: UNIT,
          exclude: [...EXCLUDE, '**/*.integration.test.ts', ...SHARED_MODULES],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The same, for the packages whose files spend most of their time importing (discord.js, Next's
        // server modules): their files share one module registry per worker instead of each importing
        // everything again (their imports took 86 s, now 18). Only files that leave no module state behind
        // belong here: each passes with the others run before it in any order (`--sequence.shuffle.files`).
        test: {
          name: 'unit-shared',
          include: SHARED_MODULES,
          exclude: [...EXCLUDE, '**/*.integration.test.ts'],
          isolate: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            'packages/*/src/**/*.integration.test.ts',
            'packages/*/test/**/*.integration.test.ts',
            'apps/*/src/**/*.integration.test.ts',
            'apps/*/test/**/*.integration.test.ts',
          ],
          exclude: EXCLUDE,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
