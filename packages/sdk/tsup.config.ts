import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    libsql: 'src/stores/libsql/index.ts',
    postgres: 'src/stores/postgres/index.ts',
    simulation: 'src/simulation/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
});
