import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing but Node; `integration` (*.integration.test.ts) needs
// PostgreSQL/Redis (see test/support in each package) and runs with fewer parallel files.
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
          include: [
            'packages/*/src/**/*.test.ts',
            'packages/*/test/**/*.test.ts',
            'apps/*/src/**/*.test.ts',
            'apps/*/test/**/*.test.ts',
            'apps/docs/test/**/*.test.ts',
            'examples/*/**/*.test.ts',
            'scripts/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**', '**/dist/**', '**/*.integration.test.ts'],
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
          exclude: ['**/node_modules/**', '**/dist/**'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
