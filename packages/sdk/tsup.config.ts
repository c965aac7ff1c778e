import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    libsql: 'src/stores/libsql/index.ts',
    postgres: 'src/stores/postgres/index.ts',
    simulation: 'src/simulation/index.ts',
    webhooks: 'src/webhooks/index.ts',
    remote: 'src/remote/index.ts',
    // The libSQL writer thread's entry: the store starts it from dist/ (see stores/libsql/thread-executor.ts).
    'writer-thread': 'src/stores/libsql/writer-thread.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
  esbuildOptions(options, { format }) {
    // Drivers load on first use through import() (see src/drivers.ts). The CJS build turns those into
    // require() calls, as CJS consumers expect: a test runner that evaluates CJS in a vm (Jest) has no
    // import() without flags.
    if (format === 'cjs') options.supported = { ...options.supported, 'dynamic-import': false };
  },
});
